package statement

// The one-page fast path: the page's content written here, the document
// around it by fpdf.
//
// Why: a statement is a small document, and fpdf lays one out slowly for
// its size. In the Oslo month's 669 statements (BenchmarkOsloMonth, 97 ms,
// 72 KB and 776 allocations per statement) fpdf's CellFormat was 28 % of
// the time and its SetFont 13 %: each formats its few numbers through
// fmt.Sprintf into a new string, and each copies into a page buffer grown
// from nothing, so the garbage collector had a share of its own (17 %).
// Most statements fit on one page, and what fpdf writes for one of these
// cells is a single line of text that depends on nothing but the cell, the
// position, the font and the colours.
//
// So page writes those lines itself, as fpdf v0.9.0's CellFormat, SetFont,
// SetFillColor, SetDrawColor and Line write them for the cells the
// statements use (core fonts, no links, no underline, no word spacing,
// aligned left, right or centred), into one buffer; fpdf still makes the
// document (New, AddPage, the fonts, Output), and the buffer becomes its
// page's content through RawWriteBuf. A page does not break: when a cell
// would have made fpdf start a new page, or a call is outside what page
// writes, the document is laid out by fpdf alone instead (fallback), so a
// long statement is still fpdf's.
//
// The page count: fpdf writes "{nb}" in the footer and replaces it with the
// count as it closes the document; page puts "1" in the same place, the
// width being measured with the alias as fpdf measures it. That is only
// the same when nothing else in the document holds the alias (holdsAlias),
// as fpdf would replace it there too: such a document is fpdf's alone.
//
// Tied to fpdf v0.9.0: TestFastPageSameBytes lays out every Oslo statement,
// month and year, the hand-made cases' and random documents of every shape
// both ways and compares the bytes, so a change of fpdf in go.mod that
// writes a cell differently fails there, not in an auditor's diff.

import (
	"bytes"
	"math"
	"strconv"
	"strings"
	"sync"
	"unsafe"

	"github.com/go-pdf/fpdf"
)

// page is one page being written: the content and fpdf's state as far as
// the statements' calls read or change it.
type page struct {
	buf    []byte
	pooled *[]byte // where buf came from (pageBuffers)
	// The document's geometry in user units (mm), and k, points per unit.
	k, w, h, lMargin, rMargin, cMargin, trigger float64
	x, y, lasth                                 float64
	fonts                                       *fontTable
	style                                       int // in styleKeys; -1: no font yet
	sizePt, size                                float64
	used                                        uint8 // bit i: styleKeys[i] was selected
	fill, draw, text                            string
	colorFlag                                   bool // fill and text colours differ (CellFormat's q … Q)
	inFooter                                    bool
	fallback                                    bool // the page broke or a call was not one page writes
}

// newPage is the page fpdf's f has just begun (AddPage), with the shared
// fonts' metrics; nil when the fonts are not shared or f does not break
// its pages itself (page's one page would then not be fpdf's).
func newPage(f *fpdf.Fpdf, fonts *fontTable) *page {
	auto, bottom := f.GetAutoPageBreak()
	if fonts == nil || !auto || f.PageNo() != 1 {
		return nil
	}
	l, _, r, _ := f.GetMargins()
	w, h := f.GetPageSize()
	p := &page{pooled: pageBuffers.Get().(*[]byte), k: f.GetConversionRatio(), w: w, h: h, lMargin: l, rMargin: r,
		cMargin: f.GetCellMargin(), trigger: h - bottom, x: f.GetX(), y: f.GetY(), fonts: fonts, style: -1}
	p.buf = (*p.pooled)[:0]
	p.fill = p.color(f.GetFillColor())
	p.text = p.color(f.GetTextColor())
	dr, dg, db := f.GetDrawColor()
	p.draw = colorString(dr, dg, db, "G", "RG")
	p.colorFlag = p.fill != p.text
	return p
}

// color is fpdf's string of a fill or text colour.
func (p *page) color(r, g, b int) string { return colorString(r, g, b, "g", "rg") }

// colorString is fpdf's rgbColorValue(r, g, b, gray, full).str, its test of
// gray included (it compares red with green as integers and red with blue
// as fractions).
func colorString(r, g, b int, gray, full string) string {
	ir, fr := colorComp(r)
	ig, fg := colorComp(g)
	_, fb := colorComp(b)
	var s []byte
	s = strconv.AppendFloat(s, fr, 'f', 3, 64)
	if ir == ig && fr == fb {
		return string(append(append(s, ' '), gray...))
	}
	s = strconv.AppendFloat(append(s, ' '), fg, 'f', 3, 64)
	s = strconv.AppendFloat(append(s, ' '), fb, 'f', 3, 64)
	return string(append(append(s, ' '), full...))
}

// colorComp is fpdf's: the component clamped to 0–255, and as a fraction.
func colorComp(v int) (int, float64) {
	v = min(max(v, 0), 255)
	return v, float64(v) / 255.0
}

// f2 appends v as fpdf's %.2f writes it.
func (p *page) f2(v float64) { p.buf = strconv.AppendFloat(p.buf, v, 'f', 2, 64) }

func (p *page) str(s string) { p.buf = append(p.buf, s...) }

// font is fpdf's SetFont of the statements' font in style at size points.
func (p *page) font(style string, size float64) {
	i := styleIndex(style)
	if i < 0 || !p.fonts.defs[i].IsValid() {
		p.fallback = true
		return
	}
	if size == 0 {
		size = p.sizePt
	}
	p.style, p.used = i, p.used|1<<i
	p.sizePt, p.size = size, size/p.k
	p.str("BT /F")
	p.str(p.fonts.ids[i])
	p.str(" ")
	p.f2(p.sizePt)
	p.str(" Tf ET\n")
}

// cell is fpdf's CellFormat(w, h, txt, border, ln, align, fill, 0, ""):
// border "" or "1" or of L, T, R, B; align "", "L", "R" or "C".
func (p *page) cell(w, h float64, txt, border string, ln int, align string, fill bool) {
	if p.fallback || p.style < 0 || (align != "" && align != "L" && align != "R" && align != "C") {
		p.fallback = true
		return
	}
	border = strings.ToUpper(border)
	if p.y+h > p.trigger && !p.inFooter {
		p.fallback = true // fpdf would begin a new page here
		return
	}
	if w == 0 {
		w = p.w - p.rMargin - p.x
	}
	start := len(p.buf)
	p.frame(w, h, border, fill)
	if len(txt) > 0 {
		p.textAt(w, h, txt, align)
	}
	if len(p.buf) > start {
		p.buf = append(p.buf, '\n')
	}
	p.lasth = h
	if ln > 0 {
		p.y += h
		if ln == 1 {
			p.x = p.lMargin
		}
	} else {
		p.x += w
	}
}

// frame is CellFormat's rectangle (fill or border "1") and border lines.
func (p *page) frame(w, h float64, border string, fill bool) {
	k := p.k
	if h > 0 && (fill || border == "1") {
		op := "S"
		if fill && border == "1" {
			op = "B"
		} else if fill {
			op = "f"
		}
		p.f2(p.x * k)
		p.str(" ")
		p.f2((p.h - p.y) * k)
		p.str(" ")
		p.f2(w * k)
		p.str(" ")
		p.f2(-h * k)
		p.str(" re ")
		p.str(op)
		p.str(" ")
	}
	if len(border) == 0 || border == "1" {
		return
	}
	x, y := p.x, p.y
	left, top, right, bottom := x*k, (p.h-y)*k, (x+w)*k, (p.h-(y+h))*k
	for _, side := range [...]struct {
		c              string
		x1, y1, x2, y2 float64
	}{{"L", left, top, left, bottom}, {"T", left, top, right, top}, {"R", right, top, right, bottom}, {"B", left, bottom, right, bottom}} {
		if strings.Contains(border, side.c) {
			p.f2(side.x1)
			p.str(" ")
			p.f2(side.y1)
			p.str(" m ")
			p.f2(side.x2)
			p.str(" ")
			p.f2(side.y2)
			p.str(" l S ")
		}
	}
}

// textAt is CellFormat's text: placed by align, in the text colour when it
// differs from the fill colour, with \, ( and ) escaped. The page alias
// (the footer's) is measured as it is and written as the page count.
func (p *page) textAt(w, h float64, txt, align string) {
	var dx, dy float64
	switch align {
	case "R":
		dx = w - p.cMargin - p.GetStringWidth(txt)
	case "C":
		dx = (w - p.GetStringWidth(txt)) / 2
	default:
		dx = p.cMargin
	}
	if p.colorFlag {
		p.str("q ")
		p.str(p.text)
		p.str(" ")
	}
	p.str("BT ")
	p.f2((p.x + dx) * p.k)
	p.str(" ")
	p.f2((p.h - (p.y + dy + .5*h + .3*p.size)) * p.k)
	p.str(" Td (")
	at := len(p.buf)
	if strings.ContainsAny(txt, `\()`) {
		for i := 0; i < len(txt); i++ {
			if c := txt[i]; c == '\\' || c == '(' || c == ')' {
				p.buf = append(p.buf, '\\', c)
			} else {
				p.buf = append(p.buf, c)
			}
		}
	} else {
		p.buf = append(p.buf, txt...)
	}
	if p.inFooter { // the alias is the footer's only (holdsAlias)
		if i := bytes.Index(p.buf[at:], []byte(pageAlias)); i >= 0 {
			p.buf = append(append(p.buf[:at+i], '1'), p.buf[at+i+len(pageAlias):]...)
		}
	}
	p.str(")Tj ET")
	if p.colorFlag {
		p.str(" Q")
	}
}

// Ln is fpdf's.
func (p *page) Ln(h float64) {
	p.x = p.lMargin
	if h < 0 {
		p.y += p.lasth
	} else {
		p.y += h
	}
}

// SetFillColor is fpdf's: the colour for fills, written at once.
func (p *page) SetFillColor(r, g, b int) {
	p.fill = p.color(r, g, b)
	p.colorFlag = p.fill != p.text
	p.str(p.fill)
	p.str("\n")
}

// SetDrawColor is fpdf's: the colour for lines, written at once.
func (p *page) SetDrawColor(r, g, b int) {
	p.draw = colorString(r, g, b, "G", "RG")
	p.str(p.draw)
	p.str("\n")
}

// Line is fpdf's.
func (p *page) Line(x1, y1, x2, y2 float64) {
	p.f2(x1 * p.k)
	p.str(" ")
	p.f2((p.h - y1) * p.k)
	p.str(" m ")
	p.f2(x2 * p.k)
	p.str(" ")
	p.f2((p.h - y2) * p.k)
	p.str(" l S\n")
}

func (p *page) GetX() float64 { return p.x }
func (p *page) GetY() float64 { return p.y }

// SetX is fpdf's: from the right edge when negative.
func (p *page) SetX(x float64) {
	if x >= 0 {
		p.x = x
	} else {
		p.x = p.w + x
	}
}

// SetY is fpdf's: back to the left margin, from the bottom when negative.
func (p *page) SetY(y float64) {
	p.x = p.lMargin
	if y >= 0 {
		p.y = y
	} else {
		p.y = p.h + y
	}
}

func (p *page) GetFontSize() (float64, float64) { return p.sizePt, p.size }
func (p *page) GetCellMargin() float64          { return p.cMargin }
func (p *page) PageNo() int                     { return 1 }

// GetStringWidth is fpdf's, in user units.
func (p *page) GetStringWidth(s string) float64 {
	return float64(p.GetStringSymbolWidth(s)) * p.size / 1000
}

// GetStringSymbolWidth is fpdf's for a core font: the glyphs' widths up to
// the first NUL.
func (p *page) GetStringSymbolWidth(s string) int {
	if p.style < 0 {
		return 0
	}
	cw := &p.fonts.widths[p.style]
	w := 0
	for i := 0; i < len(s) && s[i] != 0; i++ {
		w += cw[s[i]]
	}
	return w
}

// SplitLines is fpdf's (contributed there by Bruno Michel), line for line.
func (p *page) SplitLines(txt []byte, w float64) [][]byte {
	lines := [][]byte{}
	if p.style < 0 {
		return lines
	}
	cw := &p.fonts.widths[p.style]
	wmax := int(math.Ceil((w - 2*p.cMargin) * 1000 / p.size))
	s := bytes.ReplaceAll(txt, []byte("\r"), []byte{})
	nb := len(s)
	for nb > 0 && s[nb-1] == '\n' {
		nb--
	}
	s = s[0:nb]
	sep, i, j, l := -1, 0, 0, 0
	for i < nb {
		c := s[i]
		l += cw[c]
		if c == ' ' || c == '\t' || c == '\n' {
			sep = i
		}
		if c == '\n' || l > wmax {
			if sep == -1 {
				if i == j {
					i++
				}
				sep = i
			} else {
				i = sep + 1
			}
			lines = append(lines, s[j:sep])
			sep, j, l = -1, i, 0
		} else {
			i++
		}
	}
	if i != j {
		lines = append(lines, s[j:i])
	}
	return lines
}

// finish puts the page's content and fonts into f, whose page it is: the
// fonts selected are put in f's font table (as fpdf's SetFont would have
// loaded them) and the content becomes the page's (RawWriteStr ends it with
// the newline the last line had). False when the page fell back.
func (p *page) finish(f *fpdf.Fpdf) bool {
	defer p.release()
	if p.fallback || len(p.buf) == 0 {
		return false
	}
	for i, style := range styleKeys {
		if p.used&(1<<i) != 0 && !p.fonts.preload(f, style) {
			return false
		}
	}
	// RawWriteStr copies the content into the page (one copy: RawWriteBuf
	// would read it in pieces, growing the page's buffer as it goes).
	f.RawWriteStr(unsafe.String(unsafe.SliceData(p.buf), len(p.buf)-1))
	return true
}

// pageBuffers are pages' content buffers, reused: a statement's page is
// about 5 KB, written into a buffer of 8 KB at first.
var pageBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 8<<10); return &b }}

// release gives the page's buffer back (grown, if it grew); the page is not
// written after it.
func (p *page) release() {
	if p.pooled != nil {
		*p.pooled = p.buf[:0]
		pageBuffers.Put(p.pooled)
		p.pooled, p.buf = nil, nil
	}
}
