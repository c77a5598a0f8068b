package statement

// A one-page statement written whole, without fpdf.
//
// Why (issue 16): page.go writes a one-page statement's content as fpdf
// v0.9.0 would, but fpdf still made each document around it: fpdf.New (a
// document of 40-odd maps and tables, 5.6 KB a statement), AddPage, the
// fonts put into its table, and Output's assembly of the objects, the
// cross-reference table and the trailer, each line through fmt. At the
// national scale that was 9 400 documents a month (37 700 at four times),
// a sixth of the statements' CPU and 650 MB of the 4× run's 2.5 GB of
// allocations. What fpdf writes around one uncompressed page of core fonts
// is fixed but for the page's length, the fonts it uses, the document's
// title, subject, author and dates, and the offsets: docWriter writes
// exactly that, as fpdf v0.9.0's enddoc writes it (putheader, putpages,
// putfonts, putresourcedict, putinfo, putcatalog, puttrailer) for the
// properties newDocument sets (a change there shows in the tests below).
//
// TestFastPageSameBytes holds the bytes against fpdf's own layout and
// Output for every Oslo statement and hundreds of random documents, and
// TestDocumentIsFpdfs for random titles, subjects and authors (every
// escape, characters past the BMP) and dates; a document page.go cannot
// write is laid out by fpdf as before.

import (
	"bytes"
	"cmp"
	"slices"
	"strconv"
	"sync"
)

// pagePrototype is the page of a document just begun by newDocument (the
// same for every statement: the margins, the page and the colours do not
// depend on the document), without a buffer, and what fpdf's AddPage
// wrote at its start (the line cap and join, the line width, the colours),
// read from that page as Output writes it; a nil page when the fonts are
// not shared or the page cannot be read.
var pagePrototype = sync.OnceValues(func() (*page, []byte) {
	f := newDocument(&document{})
	p := newPage(f, sharedFonts())
	if p == nil {
		return nil, nil
	}
	p.release()
	var out bytes.Buffer
	if err := f.Output(&out); err != nil {
		return nil, nil
	}
	b := out.Bytes()
	start, end := bytes.Index(b, []byte("stream\n")), bytes.Index(b, []byte("\nendstream\n"))
	if start < 0 || end < start+len("stream\n") {
		return nil, nil
	}
	return p, bytes.Clone(b[start+len("stream\n") : end])
})

// producer is the producer fpdf.New sets (SetProducer, in UTF-16).
const producer = "FPDF 1.7"

// freshPage is a new page as newPage makes it on a new document, and the
// prelude fpdf would have begun it with; nil when page cannot write one.
func freshPage() (*page, []byte) {
	proto, prelude := pagePrototype()
	if proto == nil {
		return nil, nil
	}
	p := *proto
	p.pooled = pageBuffers.Get().(*[]byte)
	p.buf = (*p.pooled)[:0]
	return &p, prelude
}

// document writes d with p as its one page (after prelude) into a new
// slice of its size, as fpdf's Output would write the document
// newDocument makes of d with p's content on its page; false (and
// nothing) when p fell back or used a font that is not shared. p is
// released.
func (p *page) document(d *document, prelude []byte) ([]byte, bool) {
	defer p.release()
	if p.fallback || len(p.buf) == 0 || d.created.Time().IsZero() {
		return nil, false // fpdf's dates would be the clock's
	}
	var used []int // the styles used, in the order of fpdf's font keys
	for i := range styleKeys {
		if p.used&(1<<i) != 0 {
			if !p.fonts.defs[i].IsValid() {
				return nil, false
			}
			used = append(used, i)
		}
	}
	slices.SortFunc(used, func(a, b int) int { return cmp.Compare(fontKey(styleKeys[a]), fontKey(styleKeys[b])) })
	pooled := docBuffers.Get().(*[]byte)
	w := docWriter{b: (*pooled)[:0]}
	ok := w.write(d, p, used, prelude)
	var out []byte
	if ok {
		out = append(takeOutput(len(w.b)), w.b...)
	}
	*pooled = w.b[:0]
	docBuffers.Put(pooled)
	return out, ok
}

// outputs are statements' bytes given back by Recycle, for the next
// statement's. A statement is 5–9 KB, and the bundle writes each as soon
// as it is rendered: at the national scale 9 400 a month (37 700 at four
// times, 247 MB) would otherwise each be a new allocation, garbage a
// moment later.
var outputs sync.Pool

// takeOutput is an empty slice of at least n bytes' room, recycled when
// one is at hand.
func takeOutput(n int) []byte {
	if b, _ := outputs.Get().(*[]byte); b != nil && cap(*b) >= n {
		return (*b)[:0]
	}
	return make([]byte, 0, n+n/8) // room for the next, larger one
}

// Recycle gives back a statement's bytes (PDF's, Year.PDF's) once nothing
// reads them any more, for the next statement rendered: the caller must
// not keep them, nor anything made of them without a copy.
func Recycle(b []byte) {
	if cap(b) > 0 {
		b = b[:0]
		outputs.Put(&b)
	}
}

// docWriter is fpdf's document buffer: the bytes and each object's offset.
type docWriter struct {
	b       []byte
	offsets [16]int // by object number ([0] unused): at most 10 (4 styles)
	utf16   []byte  // scratch for a text in UTF-16
}

// out is fpdf's out: s and a line end.
func (w *docWriter) out(s ...string) {
	for _, part := range s {
		w.b = append(w.b, part...)
	}
	w.b = append(w.b, '\n')
}

// obj is fpdf's newobj of object n (or its "n 0 obj" of the pages root and
// the resources, numbered 1 and 2 ahead).
func (w *docWriter) obj(n int) {
	w.offsets[n] = len(w.b)
	w.b = strconv.AppendInt(w.b, int64(n), 10)
	w.out(" 0 obj")
}

// ref appends "n 0 R" and the line end.
func (w *docWriter) ref(n int) {
	w.b = strconv.AppendInt(w.b, int64(n), 10)
	w.out(" 0 R")
}

// num appends n and the line end.
func (w *docWriter) num(n int) {
	w.b = strconv.AppendInt(w.b, int64(n), 10)
	w.out()
}

// text appends key, s as fpdf's textstring writes it and the line end;
// in UTF-16 (fpdf's utf8toutf16) when utf16. false when s cannot be.
func (w *docWriter) text(key, s string, utf16 bool) bool {
	w.b = append(w.b, key...)
	if utf16 {
		var ok bool
		if w.utf16, ok = appendUTF16(w.utf16[:0], s); !ok {
			return false
		}
		w.b = appendText(w.b, w.utf16)
	} else {
		w.b = appendText(w.b, s)
	}
	w.out()
	return true
}

// write is enddoc of newDocument(d) with one page, p's, and the shared
// fonts of the styles used; false when a text of the information cannot
// be written as fpdf writes it (w.b then holds a part of the document).
func (w *docWriter) write(d *document, p *page, used []int, prelude []byte) bool {
	w.out("%PDF-1.3")
	w.pages(p, prelude)
	n := w.resources(p, used)
	if !w.info(n+1, d) {
		return false
	}
	w.catalog(n + 2)
	w.xref(n + 2)
	return true
}

// pages is putpages of one page: the page (3) and its content (4), then
// the pages root (1).
func (w *docWriter) pages(p *page, prelude []byte) {
	// The page's content as fpdf holds it: the prelude, then what finish
	// hands to RawWriteStr (the buffer but its last byte) and the line end
	// RawWriteStr adds.
	content := p.buf[:len(p.buf)-1]
	w.obj(3)
	w.out("<</Type /Page")
	w.out("/Parent 1 0 R")
	w.out("/Resources 2 0 R")
	w.out("/Contents 4 0 R>>")
	w.out("endobj")
	w.obj(4)
	w.b = strconv.AppendInt(append(w.b, "<</Length "...), int64(len(prelude)+len(content)+1), 10)
	w.out(">>")
	w.out("stream")
	w.b = append(append(w.b, prelude...), content...)
	w.out("") // RawWriteStr's line end
	w.out("") // putstream's
	w.out("endstream")
	w.out("endobj")
	w.obj(1)
	w.out("<</Type /Pages")
	w.out("/Kids [3 0 R ]")
	w.out("/Count 1")
	w.out("/MediaBox [0 0 ", f2(p.w*p.k), " ", f2(p.h*p.k), "]")
	w.out(">>")
	w.out("endobj")
}

// resources is putfonts (a core font's object each, 5 on, in the order
// of their keys) and the resource dictionary (2, the fonts in the order
// of their resource names); it returns the last object's number.
func (w *docWriter) resources(p *page, used []int) int {
	var objs [len(styleKeys)]int
	n := 4
	for _, i := range used {
		n++
		objs[i] = n
		w.obj(n)
		w.out("<</Type /Font")
		w.out("/BaseFont /", p.fonts.names[i])
		w.out("/Subtype /Type1")
		w.out("/Encoding /WinAnsiEncoding")
		w.out(">>")
		w.out("endobj")
	}
	byID := slices.Clone(used)
	slices.SortStableFunc(byID, func(a, b int) int { return cmp.Compare(p.fonts.ids[a], p.fonts.ids[b]) })
	w.obj(2)
	w.out("<<")
	w.out("/ProcSet [/PDF /Text /ImageB /ImageC /ImageI]")
	w.out("/Font <<")
	for _, i := range byID {
		w.b = append(append(append(w.b, "/F"...), p.fonts.ids[i]...), ' ')
		w.ref(objs[i])
	}
	w.out(">>")
	w.out("/XObject <<")
	w.out(">>")
	w.out("/ColorSpace <<")
	w.out(">>")
	w.out(">>")
	w.out("endobj")
	return n
}

// info is object n, putinfo of what newDocument sets.
func (w *docWriter) info(n int, d *document) bool {
	w.obj(n)
	w.out("<<")
	if !w.text("/Producer ", producer, true) || !w.text("/Title ", d.title+" "+d.subject, true) ||
		!w.text("/Subject ", d.subtitle, true) || !w.text("/Author ", d.issuer, true) {
		return false
	}
	w.text("/Creator ", "payout", false)
	for _, key := range []string{"/CreationDate (D:", "/ModDate (D:"} {
		w.b = d.created.Time().AppendFormat(append(w.b, key...), "20060102150405")
		w.out(")") // digits: nothing to escape
	}
	w.out(">>")
	w.out("endobj")
	return true
}

// catalog is object n, putcatalog of what newDocument sets.
func (w *docWriter) catalog(n int) {
	w.obj(n)
	w.out("<<")
	w.out("/Type /Catalog")
	w.out("/Pages 1 0 R")
	w.out("/Lang (nb-NO)")
	w.out("/Names <<")
	w.out("/EmbeddedFiles << /Names [\n  \n] >>")
	w.out(">>")
	w.out(">>")
	w.out("endobj")
}

// xref writes the cross-reference table of objects 1 to n and the trailer.
func (w *docWriter) xref(n int) {
	start := len(w.b)
	w.out("xref")
	w.b = append(w.b, "0 "...)
	w.num(n + 1)
	w.out("0000000000 65535 f ")
	for j := 1; j <= n; j++ {
		at := len(w.b)
		w.b = strconv.AppendInt(append(w.b, "0000000000"...), int64(w.offsets[j]), 10)
		digits := len(w.b) - at - 10
		w.b = append(w.b[:at], w.b[at+digits:]...) // %010d
		w.out(" 00000 n ")
	}
	w.out("trailer")
	w.out("<<")
	w.b = append(w.b, "/Size "...)
	w.num(n + 1)
	w.b = append(w.b, "/Root "...)
	w.ref(n)
	w.b = append(w.b, "/Info "...)
	w.ref(n - 1)
	w.out(">>")
	w.out("startxref")
	w.num(start)
	w.out("%%EOF")
}

func f2(v float64) string { return strconv.FormatFloat(v, 'f', 2, 64) }

// appendText appends fpdf's textstring of s in an unencrypted document: in
// parentheses, with \, (, ) and CR escaped (byte by byte, in UTF-16 too).
func appendText[S ~string | ~[]byte](b []byte, s S) []byte {
	b = append(b, '(')
	for i := 0; i < len(s); i++ {
		switch c := s[i]; c {
		case '\\', '(', ')':
			b = append(b, '\\', c)
		case '\r':
			b = append(b, '\\', 'r')
		default:
			b = append(b, c)
		}
	}
	return append(b, ')')
}

// textString is appendText as a string.
func textString(s string) string { return string(appendText(nil, s)) }

// appendUTF16 appends fpdf v0.9.0's utf8toutf16 of s, with its byte-order
// mark, to the byte: a character of four UTF-8 bytes is read as one of
// three and the rest, as fpdf reads it. false for a text that ends inside
// a character, where fpdf would read past its end.
func appendUTF16(res []byte, s string) ([]byte, bool) {
	res = append(res, 0xFE, 0xFF)
	for i := 0; i < len(s); {
		c1 := s[i]
		i++
		switch {
		case c1 >= 224 && i+1 < len(s):
			c2, c3 := s[i], s[i+1]
			i += 2
			res = append(res, ((c1&0x0F)<<4)+((c2&0x3C)>>2), ((c2&0x03)<<6)+(c3&0x3F))
		case c1 >= 192 && c1 < 224 && i < len(s):
			c2 := s[i]
			i++
			res = append(res, (c1&0x1C)>>2, ((c1&0x03)<<6)+(c2&0x3F))
		case c1 >= 192:
			return res, false
		default:
			res = append(res, 0, c1)
		}
	}
	return res, true
}

// utf16Text is appendUTF16 as a string.
func utf16Text(s string) (string, bool) {
	b, ok := appendUTF16(nil, s)
	return string(b), ok
}
