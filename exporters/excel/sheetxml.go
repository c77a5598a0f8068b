package excel

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"hash/crc32"
	"io"
	"io/fs"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout"
	"github.com/xuri/excelize/v2"
)

// The worksheets are written here, not through excelize (issue 16):
// excelize keeps every cell as a struct and marshals each sheet by
// reflection, most of a run's CPU. excelize still makes the workbook's
// skeleton (workbook.xml with its defined names, styles, the chart,
// document properties, content types and relationships); its own copies
// of the worksheets are dropped before it writes (finish), and the
// workbook's zip writer (partZip) writes the parts made here in their
// place and deflates excelize's parts at the same level. Each row is
// written as XML as it is added to its sheet (sheetLayout.addRow), so a
// block's cells are let go once the block is added, and a sheet is
// deflated as soon as it is complete (workbook.writeSheets): its
// uncompressed XML does not stay in memory after.
//
// The XML follows the element order of CT_Worksheet (ECMA-376 part 1,
// 18.3.1.99): sheetPr, dimension, sheetViews, sheetFormatPr, cols,
// sheetData, autoFilter, pageSetup, headerFooter, ignoredErrors, drawing.
// Text is stored as inline strings (t="inlineStr"), so a part needs no
// shared string table; numbers as excelize writes them (strconv 'f', the
// shortest form that reads back as the same double); a totals cell as its
// SUBTOTAL(109,…) formula with its exact cached value, a number.

// sheetLevel is the deflate level of every part: level 1 (Go's fast
// matcher) costs a fraction of level 5, archive/zip's default, for a part
// about a quarter larger (the XML is very repetitive).
const sheetLevel = flate.BestSpeed

// part is one part of the file, deflated, as zip.Writer.CreateRaw takes
// it.
type part struct {
	data []byte
	crc  uint32
	size uint64
}

// partZip is the workbooks' zip writer. Each worksheet is written here
// (writeSheet) in place of excelize's: the one part excelize still names
// (the template's first sheet) is replaced, the others are added by
// Close; each of
// excelize's own parts is collected and deflated at sheetLevel when the
// next part begins, or taken from skeletonParts when an earlier workbook
// had the same part (the theme, the styles, most relationships).
type partZip struct {
	zw      *zip.Writer
	parts   map[string]*part
	pending string
	buf     bytes.Buffer
	rec     *recording // nil, or where the parts written are recorded (skeleton.go)
}

// zipWriter is the excelize.ZipWriter of w: the output buffer is grown to
// hold the sheets and skeleton bytes of skeleton at once, and each part is
// let go once it is copied.
func (w *workbook) zipWriter(out io.Writer, rec *recording, skeleton int) excelize.ZipWriter {
	if buf, ok := out.(*bytes.Buffer); ok {
		n := skeleton
		for name, p := range w.parts {
			n += zipEntrySize(name, p)
		}
		buf.Grow(n)
	}
	return &partZip{zw: zip.NewWriter(out), parts: w.parts, rec: rec}
}

// zipEntrySize is what a part takes in the file: its local header, its
// data and its central directory entry (archive/zip writes no extra
// field for a part without a modification time).
func zipEntrySize(name string, p *part) int { return 30 + 46 + 2*len(name) + len(p.data) }

func (z *partZip) Create(name string) (io.Writer, error) {
	if err := z.flush(); err != nil {
		return nil, err
	}
	if p := z.parts[name]; p != nil {
		delete(z.parts, name)
		if z.rec != nil {
			z.rec.entries = append(z.rec.entries, skeletonEntry{name: name})
		}
		return io.Discard, z.write(name, p)
	}
	z.pending = name
	z.buf.Reset()
	return &z.buf, nil
}

func (z *partZip) AddFS(fsys fs.FS) error {
	if err := z.flush(); err != nil {
		return err
	}
	if z.rec != nil {
		z.rec.invalid = true
	}
	return z.zw.AddFS(fsys)
}

// Close writes the worksheets excelize did not name (finish drops its
// own copies of them), in the order of their names, and the directory.
func (z *partZip) Close() error {
	if err := z.flush(); err != nil {
		return err
	}
	names := make([]string, 0, len(z.parts))
	for name := range z.parts {
		names = append(names, name)
	}
	sort.Strings(names)
	for _, name := range names {
		if err := z.write(name, z.parts[name]); err != nil {
			return err
		}
		delete(z.parts, name)
	}
	return z.zw.Close()
}

// flush writes the pending part of excelize's.
func (z *partZip) flush() error {
	if z.pending == "" {
		return nil
	}
	name := z.pending
	z.pending = ""
	p, err := skeletonPart(name, z.buf.Bytes())
	if err != nil {
		return err
	}
	if z.rec != nil {
		z.rec.entries = append(z.rec.entries, skeletonEntry{name: name, part: p})
		switch name {
		case workbookPart:
			z.rec.workbook = bytes.Clone(z.buf.Bytes())
		case corePart:
			z.rec.core = bytes.Clone(z.buf.Bytes())
		}
	}
	return z.write(name, p)
}

// zipVersion is what archive/zip's Create records as the version that
// made a part and the version needed to extract it (2.0: deflate);
// CreateRaw records what the header says.
const zipVersion = 20

func (z *partZip) write(name string, p *part) error {
	fw, err := z.zw.CreateRaw(&zip.FileHeader{Name: name, Method: zip.Deflate, CRC32: p.crc,
		CreatorVersion: zipVersion, ReaderVersion: zipVersion,
		CompressedSize64: uint64(len(p.data)), UncompressedSize64: p.size})
	if err != nil {
		return err
	}
	_, err = fw.Write(p.data)
	return err
}

// skeletonParts are deflated parts of excelize's by their name and
// content: most of a workbook's skeleton is the same in every workbook,
// and deflating the same bytes again gives the same bytes. At most
// maxSkeletonParts parts of at most 64 KiB are kept.
var skeletonParts = struct {
	sync.Mutex
	m map[string]*part
}{m: map[string]*part{}}

const maxSkeletonParts = 64

// ownParts are the parts that differ between any two workbooks (the sheet
// names and defined names, the title): not kept.
var ownParts = map[string]bool{"xl/workbook.xml": true, "docProps/core.xml": true}

func skeletonPart(name string, content []byte) (*part, error) {
	if len(content) > 64<<10 || ownParts[name] {
		return deflatePart(content)
	}
	key := name + "\x00" + string(content)
	skeletonParts.Lock()
	p := skeletonParts.m[key]
	skeletonParts.Unlock()
	if p != nil {
		return p, nil
	}
	p, err := deflatePart(content)
	if err != nil {
		return nil, err
	}
	skeletonParts.Lock()
	if len(skeletonParts.m) < maxSkeletonParts {
		skeletonParts.m[key] = p
	}
	skeletonParts.Unlock()
	return p, nil
}

// deflatePart deflates content at sheetLevel.
func deflatePart(content []byte) (*part, error) {
	o := newPartWriter()
	defer o.release()
	o.raw(content)
	return o.close()
}

// writeSheets writes every sheet that has rows and is not written yet:
// render calls it after each sheet's builder, finish for the rest.
func (w *workbook) writeSheets(all bool) error {
	for _, sheet := range w.spec.sheets {
		l := w.layout(sheet)
		if l.written || (!all && l.lastAdded == 0) {
			continue
		}
		if err := w.writeSheet(sheet, l); err != nil {
			return err
		}
	}
	return nil
}

// partName is the worksheet part of a sheet: excelize names the part of
// the sheet with ID n xl/worksheets/sheetn.xml, the sheets numbered from 1
// in the order they are made (sheetPart; buildSkeleton checks it).
func (w *workbook) partName(sheet string) string {
	return sheetPart(slices.Index(w.spec.sheets, sheet))
}

// writeSheet writes one sheet's part and lets its rows go.
func (w *workbook) writeSheet(sheet string, l *sheetLayout) error {
	o := newPartWriter()
	defer o.release()
	o.str(`<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n")
	o.str(`<worksheet xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main" xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships">`)
	o.str(`<sheetPr><pageSetUpPr fitToPage="1"/></sheetPr><dimension ref="A1`)
	if l.lastRow > 0 && (l.lastRow > 1 || l.lastCol > 1) {
		o.str(":")
		o.ref(l.lastCol, l.lastRow)
	}
	o.str(`"/><sheetViews><sheetView `)
	if sheet == w.spec.sheets[0] { // the active sheet (buildSkeleton checks it)
		o.str(`tabSelected="1" `)
	}
	o.str(`workbookViewId="0"`)
	if l.titles {
		o.str(`><pane ySplit="1" topLeftCell="A2" activePane="bottomLeft" state="frozen"/></sheetView>`)
	} else {
		o.str(`/>`)
	}
	o.str(`</sheetViews><sheetFormatPr defaultRowHeight="15"/>`)
	o.cols(l.chars)
	o.str(`<sheetData>`)
	if l.body != nil {
		l.body.writeTo(o)
		l.body = nil
	}
	o.str(`</sheetData>`)
	if l.filter != "" {
		o.str(`<autoFilter ref="` + l.filter + `"/>`)
	}
	o.str(`<pageSetup paperSize="9" orientation="landscape" fitToWidth="1" fitToHeight="0"/><headerFooter><oddFooter>`)
	o.text(footerCode(w.footer))
	o.str(`</oddFooter></headerFooter>`)
	if l.lastRow > 0 {
		o.str(`<ignoredErrors><ignoredError sqref="A1:`)
		o.ref(l.lastCol, l.lastRow)
		o.str(`" numberStoredAsText="1"/></ignoredErrors>`)
	}
	if l.drawing != "" {
		o.str(`<drawing r:id="` + l.drawing + `"/>`)
	}
	o.str(`</worksheet>`)
	p, err := o.close()
	if err != nil {
		return err
	}
	w.parts[w.partName(sheet)] = p
	l.written = true
	return nil
}

// xmlOut is XML being written: a part's (partWriter) or a sheet's rows
// (sheetLayout.body).
type xmlOut struct {
	buf []byte
}

// sheetBody is a sheet's rows as XML, in chunks of about chunkSize: a
// chunk is never copied to grow it (the Norway run's Linjer sheet is 11
// MB of XML), and the chunks go to the deflater one after the other.
type sheetBody struct {
	xmlOut          // the chunk being written
	full   [][]byte // the chunks before it
}

const chunkSize = 64 << 10

// chunks keeps the chunks of the sheets written for the next sheets (of
// any workbook), at most 64 (4 MiB).
var chunks = make(chan []byte, 64)

func newChunk() []byte {
	select {
	case c := <-chunks:
		return c[:0]
	default:
		return make([]byte, 0, chunkSize+8<<10)
	}
}

func newBody() *sheetBody { return &sheetBody{xmlOut: xmlOut{buf: newChunk()}} }

// row writes one row, starting a new chunk when the current one is full.
func (b *sheetBody) row(r sheetRow) {
	b.xmlOut.row(r)
	if len(b.buf) >= chunkSize {
		b.full = append(b.full, b.buf)
		b.buf = newChunk()
	}
}

// writeTo writes the body to o and gives its chunks back.
func (b *sheetBody) writeTo(o *partWriter) {
	for _, c := range append(b.full, b.buf) {
		o.raw(c)
		select {
		case chunks <- c:
		default: // enough kept
		}
	}
	b.full, b.buf = nil, nil
}

// partWriter writes a part's XML through a buffer into its deflater,
// keeping the CRC-32 and size of the XML. The deflated bytes go to out,
// kept with the writer for the next part: the part gets a copy of its
// exact size (close), not a buffer grown by doubling as it was written.
type partWriter struct {
	xmlOut
	fw   *flate.Writer
	out  bytes.Buffer
	crc  uint32
	size uint64
	err  error
}

// partWriters keeps the part writers let go for the next parts. A
// flate.Writer is some 650 KB to allocate and clear; a sync.Pool is
// emptied by each garbage collection, which comes every few milliseconds
// in a run, so the Oslo month's workbooks made some five new ones (3.4 MB)
// a run. A few are kept, as many as the workers use at once.
var partWriters = make(chan *partWriter, 4)

func newPartWriter() *partWriter {
	var o *partWriter
	select {
	case o = <-partWriters:
	default:
		fw, _ := flate.NewWriter(nil, sheetLevel)
		o = &partWriter{xmlOut: xmlOut{buf: make([]byte, 0, 4<<10)}, fw: fw}
	}
	o.out.Reset()
	o.fw.Reset(&o.out)
	o.buf, o.crc, o.size, o.err = o.buf[:0], 0, 0, nil
	return o
}

func (o *partWriter) release() {
	select {
	case partWriters <- o:
	default: // enough kept
	}
}

func (o *partWriter) flush() {
	if len(o.buf) == 0 || o.err != nil {
		return
	}
	o.write(o.buf)
	o.buf = o.buf[:0]
}

// raw writes b after what is written so far, without copying it into the
// buffer: the deflater's output depends only on the bytes, not on how
// they are handed to it.
func (o *partWriter) raw(b []byte) {
	o.flush()
	if len(b) > 0 && o.err == nil {
		o.write(b)
	}
}

func (o *partWriter) write(b []byte) {
	o.crc = crc32.Update(o.crc, crc32.IEEETable, b)
	o.size += uint64(len(b))
	_, o.err = o.fw.Write(b)
}

func (o *partWriter) close() (*part, error) {
	o.flush()
	if o.err == nil {
		o.err = o.fw.Close()
	}
	if o.err != nil {
		return nil, o.err
	}
	return &part{data: bytes.Clone(o.out.Bytes()), crc: o.crc, size: o.size}, nil
}

func (o *xmlOut) str(s string) { o.buf = append(o.buf, s...) }

func (o *xmlOut) int(n int) { o.buf = strconv.AppendInt(o.buf, int64(n), 10) }

// ref writes a cell reference, "AB12".
func (o *xmlOut) ref(col, row int) {
	o.str(colName(col))
	o.int(row)
}

// cols writes each column's width, adjacent columns of one width as one
// col element.
func (o *xmlOut) cols(chars []int) {
	if len(chars) == 0 {
		return
	}
	o.str(`<cols>`)
	for i := 0; i < len(chars); {
		j, width := i, columnWidth(chars[i])
		for j+1 < len(chars) && columnWidth(chars[j+1]) == width {
			j++
		}
		o.str(`<col min="`)
		o.int(i + 1)
		o.str(`" max="`)
		o.int(j + 1)
		o.str(`" width="`)
		o.buf = strconv.AppendFloat(o.buf, width, 'f', -1, 64)
		o.str(`" customWidth="1"/>`)
		i = j + 1
	}
	o.str(`</cols>`)
}

// row writes one row (appendRow).
func (o *xmlOut) row(r sheetRow) { o.buf = appendRow(o.buf, &r) }

// appendRow appends one row: every non-empty cell and every styled empty
// one. The XML functions append to a slice they return rather than to
// a writer's field: the slice stays in registers, and a heap field
// written on every append costs a write barrier while a collection runs.
func appendRow(b []byte, r *sheetRow) []byte {
	var num [20]byte
	rowNum := strconv.AppendInt(num[:0], int64(r.r), 10)
	b = append(b, `<row r="`...)
	b = append(b, rowNum...)
	b = append(b, `">`...)
	for c := range r.cells {
		v := &r.cells[c]
		if v.empty && v.style == 0 {
			continue
		}
		col := colName(c + 1)
		b = append(b, `<c r="`...)
		b = append(b, col...)
		b = append(b, rowNum...)
		b = append(b, '"')
		if v.style != 0 {
			b = append(b, ` s="`...)
			b = strconv.AppendInt(b, int64(v.style), 10)
			b = append(b, '"')
		}
		switch {
		case v.empty:
			b = append(b, `/>`...)
		case v.k == kText:
			b = appendInline(b, v.s)
		default:
			b = append(b, '>')
			if v.sum {
				b = append(b, `<f>SUBTOTAL(109,`...)
				b = append(b, col...)
				b = strconv.AppendInt(b, int64(r.sumFrom), 10)
				b = append(b, ':')
				b = append(b, col...)
				b = strconv.AppendInt(b, int64(r.sumTo), 10)
				b = append(b, `)</f>`...)
			}
			b = append(b, `<v>`...)
			b = appendNumber(b, v)
			b = append(b, `</v></c>`...)
		}
	}
	return append(b, `</row>`...)
}

// appendNumber appends a numeric cell's value as excelize's SetCellFloat
// and SetCellInt write it: an amount or quantity as the nearest double,
// in the shortest form that reads back as that double.
func appendNumber(b []byte, v *cell) []byte {
	switch v.k {
	case kMoney, kNum:
		// xlsx stores numbers as IEEE doubles: this is the one place an
		// exact decimal becomes a float, once per cell and only for
		// display; the CSV files and the manifest keep the exact value.
		if v.fixed && absInt64(int64(v.n)) < maxFixedDigits {
			return payout.AppendFixed(b, int64(v.n), int(v.exp))
		}
		f, _ := v.d.Float64()
		return strconv.AppendFloat(b, f, 'f', -1, 64)
	case kInt:
		return strconv.AppendInt(b, int64(v.n), 10)
	case kDate:
		return strconv.AppendInt(b, int64(excelSerial(payout.Date(v.n))), 10)
	}
	return b
}

// maxFixedDigits bounds the coefficients written by payout.AppendFixed,
// below which its text is strconv.AppendFloat(f, 'f', -1, 64) of the
// double f nearest to c·10^-k (decimal.Float64 divides two exact doubles,
// so f is the nearest): AppendFloat writes the shortest decimal that reads
// back as f, and a decimal of at most 15 significant digits is the only
// one of at most 15 digits that reads back as its nearest double
// (DBL_DIG), so that shortest decimal is c·10^-k itself, written without
// trailing zeros or exponent. TestAppendFixedIsAppendFloat compares the
// two.
const maxFixedDigits = 1e15

// appendInline appends the rest of a text cell: t="inlineStr" and the
// string, its spaces kept when it starts or ends with one (as excelize
// marks them).
func appendInline(b []byte, s string) []byte {
	b = append(b, ` t="inlineStr"><is><t`...)
	if s != "" {
		switch s[0] {
		case ' ', '\t', '\n', '\r':
			b = append(b, ` xml:space="preserve"`...)
		default:
			switch s[len(s)-1] {
			case ' ', '\t', '\n', '\r':
				b = append(b, ` xml:space="preserve"`...)
			}
		}
	}
	b = append(b, '>')
	b = appendText(b, s)
	return append(b, `</t></is></c>`...)
}

// text writes s as XML character data (appendText).
func (o *xmlOut) text(s string) { o.buf = appendText(o.buf, s) }

// appendText appends s as XML character data: &, < and > escaped, a
// carriage return as a reference (a parser would make a raw one a line
// feed), and a byte that is not UTF-8 or a character XML does not allow
// as U+FFFD, as encoding/xml (and so excelize) does.
func appendText(b []byte, s string) []byte {
	start := 0
	for i := 0; i < len(s); {
		c := s[i]
		if c >= 0x20 && c < utf8.RuneSelf && c != '&' && c != '<' && c != '>' {
			i++
			continue
		}
		r, size := rune(c), 1
		if c >= utf8.RuneSelf {
			r, size = utf8.DecodeRuneInString(s[i:])
		}
		var esc string
		switch {
		case r == '&':
			esc = "&amp;"
		case r == '<':
			esc = "&lt;"
		case r == '>':
			esc = "&gt;"
		case r == '\r':
			esc = "&#xD;"
		case r == '\t' || r == '\n':
		case r == utf8.RuneError && size == 1, !xmlChar(r):
			esc = "\uFFFD"
		}
		if esc == "" {
			i += size
			continue
		}
		b = append(b, s[start:i]...)
		b = append(b, esc...)
		i += size
		start = i
	}
	return append(b, s[start:]...)
}

// xmlChar reports whether XML 1.0 allows r (its Char production).
func xmlChar(r rune) bool {
	return r == 0x09 || r == 0x0A || r == 0x0D ||
		r >= 0x20 && r <= 0xD7FF || r >= 0xE000 && r <= 0xFFFD || r >= 0x10000 && r <= 0x10FFFF
}

// footerCode is the print footer: the period (and district) left, the
// sheet's name centred, "Side n av m" right; an & of the text doubled, as
// the footer codes need.
func footerCode(left string) string {
	return "&L" + strings.ReplaceAll(left, "&", "&&") + "&C&A&RSide &P av &N"
}
