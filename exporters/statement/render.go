package statement

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"github.com/go-pdf/fpdf"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"golang.org/x/text/encoding/charmap"
)

// document is what a statement says, before it is laid out: a month's and a
// year's statement are both one.
type document struct {
	title    string      // "Utbetalingsspesifikasjon"
	subtitle string      // "Basistilskudd fastlege – desember 2022"
	subject  string      // the PDF's subject: "P00002-2022-12"
	issuer   string      // the municipality
	created  payout.Date // the run's as-of date: the PDF's dates
	info     [][2]string // label, value
	sections []section
	summary  []row
	notes    []string
}

// section is one agreement and role (a month) or one table (a year).
type section struct {
	title string
	facts [][2]string
	rows  []row
	table *table
}

// row is one line of a section: a text and, when shown, an amount in the
// right-hand column. A total is bold with a rule above it.
type row struct {
	text   string
	amount decimal.Decimal
	shown  bool
	total  bool
	note   bool // an explanation without an amount, in italics
}

func amountRow(text string, d decimal.Decimal) row { return row{text: text, amount: d, shown: true} }
func totalRow(text string, d decimal.Decimal) row {
	return row{text: text, amount: d, shown: true, total: true}
}
func noteRow(text string) row { return row{text: text, note: true} }

// table is a grid of text cells; the first column is left-aligned and the
// others right-aligned; a last row in bold when lastTotal.
type table struct {
	head      []string
	widths    []float64 // mm; they sum to the content width
	rows      [][]string
	lastTotal bool
}

// The page: A4 with 18 mm margins; the amount column is 34 mm wide.
const (
	pageWidth = 210.0
	margin    = 18.0
	contentW  = pageWidth - 2*margin
	amountW   = 34.0
	lineH     = 5.0
	// font is Helvetica as fpdf keys it: SetFont lower-cases the family
	// for every call, which copies a name with capitals (same document).
	font = "helvetica"
)

// pdf is one document being laid out on a surface: fpdf's own page
// (fpdfSurface) or one written by page.go.
type pdf struct {
	s  surface
	tr func(string) string // UTF-8 to the core fonts' cp1252
}

// surface is what the layout calls: fpdf's methods of those names, and its
// SetFont and CellFormat as the statements use them (font, cell).
type surface interface {
	font(style string, size float64)
	cell(w, h float64, txt, border string, ln int, align string, fill bool)
	Ln(h float64)
	SetFillColor(r, g, b int)
	SetDrawColor(r, g, b int)
	Line(x1, y1, x2, y2 float64)
	GetX() float64
	GetY() float64
	SetX(x float64)
	SetY(y float64)
	GetStringSymbolWidth(s string) int
	GetFontSize() (ptSize, unitSize float64)
	GetCellMargin() float64
	SplitLines(txt []byte, w float64) [][]byte
	PageNo() int
}

// fpdfSurface lays out on fpdf's pages.
type fpdfSurface struct {
	*fpdf.Fpdf
	fonts  *fontTable // the shared core fonts; nil: fpdf loads them
	loaded uint8      // bit i: styleKeys[i] is in the document's font table
}

// font selects the statements' font; a style's first use in the document
// first puts the shared definition in the document (fonts.go).
func (s *fpdfSurface) font(style string, size float64) {
	if s.fonts != nil {
		if i := styleIndex(style); i >= 0 && s.loaded&(1<<i) == 0 {
			s.fonts.preload(s.Fpdf, style)
			s.loaded |= 1 << i
		}
	}
	s.SetFont(font, style, size)
}

func (s *fpdfSurface) cell(w, h float64, txt, border string, ln int, align string, fill bool) {
	s.CellFormat(w, h, txt, border, ln, align, fill, 0, "")
}

// render lays the document out as a PDF with fixed properties: dates from
// the run, sorted resources, no compression, core fonts.
func render(d *document) ([]byte, error) {
	return layout(d, options{sharedFonts: true, onePage: true})
}

// options are render's ways of getting the same bytes cheaper, each of which
// a test compares with fpdf's own way.
type options struct {
	sharedFonts bool // the core fonts parsed once per process (fonts.go)
	onePage     bool // a statement of one page written by page.go
}

// layout is render with the options given: page.go's page when the
// statement fits on one and fpdf's pages otherwise.
func layout(d *document, o options) ([]byte, error) {
	if o.onePage && !holdsAlias(d) {
		if data, ok, err := onePage(d); ok {
			return data, err
		}
	}
	f := newDocument(d)
	s := &fpdfSurface{Fpdf: f}
	if o.sharedFonts {
		s.fonts = sharedFonts()
	}
	p := &pdf{s: s, tr: cp1252}
	f.AliasNbPages(pageAlias)
	f.SetFooterFuncLpi(func(bool) { p.footer(d) })
	p.body(d)
	return output(f, d)
}

// onePage is d written on one page by page.go (with the shared fonts) and
// the document around it by onepage.go; false when it does not fit on one,
// or page cannot write it: fpdf lays it out then.
func onePage(d *document) ([]byte, bool, error) {
	pg, prelude := freshPage()
	if pg == nil {
		return nil, false, nil
	}
	p := &pdf{s: pg, tr: cp1252}
	p.body(d)
	pg.inFooter = true
	p.footer(d)
	data, ok := pg.document(d, prelude)
	return data, ok, nil
}

// newDocument is a document with the statements' properties and its first
// page begun.
func newDocument(d *document) *fpdf.Fpdf {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetCompression(false)
	f.SetCatalogSort(true)
	f.SetCreationDate(d.created.Time())
	f.SetModificationDate(d.created.Time())
	f.SetTitle(d.title+" "+d.subject, true)
	f.SetSubject(d.subtitle, true)
	f.SetAuthor(d.issuer, true)
	f.SetCreator("payout", false)
	f.SetLang("nb-NO")
	f.SetMargins(margin, margin, margin)
	f.SetAutoPageBreak(true, margin)
	f.AddPage()
	return f
}

// body lays out all but the footer.
func (p *pdf) body(d *document) {
	p.header(d)
	for i := range d.sections {
		p.section(&d.sections[i])
	}
	p.s.Ln(4)
	p.rows(d.summary)
	p.notes(d.notes)
}

// footer is each page's last line: the issuer, the statement and the page
// of the count (the page alias until fpdf closes the document).
func (p *pdf) footer(d *document) {
	p.s.SetY(-12)
	p.font("", 7.5)
	text := d.issuer + " · " + d.subject + " · side " + strconv.Itoa(p.s.PageNo()) + " av " + pageAlias
	p.s.cell(contentW, 4, p.tr(text), "", 0, "C", false)
}

// output is the document f made of d (f is not used after it).
func output(f *fpdf.Fpdf, d *document) ([]byte, error) {
	data, err := pooledOutput(f)
	if err != nil {
		return nil, fmt.Errorf("statement %s: %w", d.subject, err)
	}
	return data, nil
}

func (p *pdf) font(style string, size float64) { p.s.font(style, size) }

// pageAlias stands for the page count until fpdf closes the document.
const pageAlias = "{nb}"

// holdsAlias: some text of the document holds the page alias, or a NUL
// (fpdf also replaces the alias's UTF-16 form), so fpdf would replace it
// there too and only the alias gives the same bytes. (Amounts are digits.)
func holdsAlias(d *document) bool {
	has := func(texts ...string) bool {
		for _, t := range texts {
			if strings.Contains(t, pageAlias) || strings.IndexByte(t, 0) >= 0 {
				return true
			}
		}
		return false
	}
	rowsHave := func(rows []row) bool {
		for _, r := range rows {
			if has(r.text) {
				return true
			}
		}
		return false
	}
	pairsHave := func(kvs [][2]string) bool {
		for _, kv := range kvs {
			if has(kv[0], kv[1]) {
				return true
			}
		}
		return false
	}
	if has(d.title, d.subtitle, d.subject, d.issuer) || has(d.notes...) || pairsHave(d.info) || rowsHave(d.summary) {
		return true
	}
	for _, s := range d.sections {
		if has(s.title) || pairsHave(s.facts) || rowsHave(s.rows) {
			return true
		}
		if t := s.table; t != nil {
			if has(t.head...) {
				return true
			}
			for _, r := range t.rows {
				if has(r...) {
					return true
				}
			}
		}
	}
	return false
}

// cp1252 encodes text for the core fonts (Windows-1252, as fpdf's own
// translator does, but without parsing its map for every document and safe
// for concurrent use). A character the code page lacks becomes '?'.
func cp1252(s string) string {
	ascii := true
	for i := 0; i < len(s); i++ {
		if s[i] >= 0x80 {
			ascii = false
			break
		}
	}
	if ascii {
		return s
	}
	out := make([]byte, 0, len(s))
	for _, r := range s {
		out = append(out, cp1252Byte(r))
	}
	return string(out)
}

// cp1252Byte is charmap.Windows1252.EncodeRune from a table, or '?' (a
// test compares them for every rune).
func cp1252Byte(r rune) byte {
	if r < 0x80 {
		return byte(r)
	}
	if r < 0x100 {
		if b := cp1252Latin[r]; b != 0 {
			return b
		}
		return '?'
	}
	for _, e := range cp1252Wide {
		if e.r == r {
			return e.b
		}
	}
	return '?'
}

// The code page's bytes 0x80–0xFF by the rune they stand for: the runes
// below 0x100 in a table, the 27 others (€, –, ‘, …) in a list.
var (
	cp1252Latin [0x100]byte
	cp1252Wide  []struct {
		r rune
		b byte
	}
)

func init() {
	for b := 0x80; b <= 0xFF; b++ {
		r := charmap.Windows1252.DecodeByte(byte(b))
		if e, ok := charmap.Windows1252.EncodeRune(r); !ok || e != byte(b) {
			continue // a byte the code page does not define
		}
		if r < 0x100 {
			cp1252Latin[r] = byte(b)
		} else {
			cp1252Wide = append(cp1252Wide, struct {
				r rune
				b byte
			}{r, byte(b)})
		}
	}
}

func (p *pdf) header(d *document) {
	f := p.s
	p.font("B", 16)
	f.cell(contentW-60, 8, p.tr(d.title), "", 0, "L", false)
	p.font("B", 11)
	f.cell(60, 8, p.tr(d.issuer), "", 1, "R", false)
	p.font("", 11)
	f.cell(contentW, 6, p.tr(d.subtitle), "", 1, "L", false)
	f.Ln(3)
	p.facts(d.info, 9.5)
	f.Ln(3)
}

// facts writes label: value pairs in two columns.
func (p *pdf) facts(facts [][2]string, size float64) {
	for _, kv := range facts {
		p.font("B", size)
		p.s.cell(48, lineH, p.tr(kv[0]), "", 0, "L", false)
		p.font("", size)
		p.wrapped(contentW-48, kv[1], "", false)
	}
}

func (p *pdf) section(s *section) {
	f := p.s
	f.Ln(2)
	f.SetFillColor(228, 233, 242)
	p.font("B", 10.5)
	f.cell(contentW, 6.5, p.tr(s.title), "", 1, "L", true)
	f.Ln(1)
	p.facts(s.facts, 9)
	if len(s.facts) > 0 && len(s.rows) > 0 {
		f.Ln(1.5)
	}
	p.rows(s.rows)
	if s.table != nil {
		p.grid(s.table)
	}
}

// rows writes text rows with their amounts right-aligned.
func (p *pdf) rows(rows []row) {
	f := p.s
	for _, r := range rows {
		style := ""
		if r.total {
			style = "B"
			x, y := f.GetX(), f.GetY()
			f.SetDrawColor(120, 120, 120)
			f.Line(x+contentW-amountW-30, y, x+contentW, y)
		}
		size := 9.5
		if r.note {
			style, size = "I", 8.5
		}
		p.font(style, size)
		amount := ""
		if r.shown {
			amount = nb.Kroner(r.amount)
		}
		p.wrappedWithAmount(r.text, amount)
	}
}

// wrappedWithAmount writes text over as many lines as it needs, the amount
// on the first.
func (p *pdf) wrappedWithAmount(text, amount string) {
	f := p.s
	text = p.tr(text)
	if p.fits(text, contentW-amountW) {
		f.cell(contentW-amountW, lineH, text, "", 0, "L", false)
		f.cell(amountW, lineH, amount, "", 1, "R", false)
		return
	}
	lines := p.split(text, contentW-amountW)
	for i, l := range lines {
		if i == 0 {
			f.cell(contentW-amountW, lineH, l, "", 0, "L", false)
			f.cell(amountW, lineH, amount, "", 1, "R", false)
			continue
		}
		f.cell(contentW-amountW, lineH, l, "", 1, "L", false)
	}
}

// wrapped writes text in a column of width w from the current x.
func (p *pdf) wrapped(w float64, text, align string, fill bool) {
	text = p.tr(text)
	if p.fits(text, w) {
		p.s.cell(w, lineH, text, "", 1, align, fill)
		return
	}
	x := p.s.GetX()
	for i, l := range p.split(text, w) {
		if i > 0 {
			p.s.SetX(x)
		}
		p.s.cell(w, lineH, l, "", 1, align, fill)
	}
}

// split is fpdf's SplitLines of encoded text in a cell of width w, at least
// one line (an empty one for no text). Most texts fit on one line: that is
// found from the width alone, as SplitLines finds it (the sum of the
// glyphs' widths within ceil((w − 2 × cell margin) × 1000 / font size)),
// without its copies; a text with a line break or a NUL goes to SplitLines.
func (p *pdf) split(text string, w float64) []string {
	if p.fits(text, w) {
		return []string{text}
	}
	lines := p.s.SplitLines([]byte(text), w)
	if len(lines) == 0 {
		return []string{""}
	}
	out := make([]string, len(lines))
	for i, l := range lines {
		out[i] = string(l)
	}
	return out
}

// fits: split gives the text as its one line (see split).
func (p *pdf) fits(text string, w float64) bool {
	_, size := p.s.GetFontSize()
	wmax := int(math.Ceil((w - 2*p.s.GetCellMargin()) * 1000 / size))
	return strings.IndexByte(text, 0) < 0 && strings.IndexByte(text, '\n') < 0 && strings.IndexByte(text, '\r') < 0 &&
		p.s.GetStringSymbolWidth(text) <= wmax
}

// grid writes a table: a shaded header row, then the rows.
func (p *pdf) grid(t *table) {
	f := p.s
	f.SetFillColor(240, 240, 240)
	p.font("B", 8.5)
	p.gridRow(t, t.head, true)
	for i, r := range t.rows {
		style := ""
		if t.lastTotal && i == len(t.rows)-1 {
			style = "B"
		}
		p.font(style, 8.5)
		p.gridRow(t, r, false)
	}
}

func (p *pdf) gridRow(t *table, cells []string, fill bool) {
	for i, c := range cells {
		align, ln := "R", 0
		if i == 0 {
			align = "L"
		}
		if i == len(cells)-1 {
			ln = 1
		}
		p.s.cell(t.widths[i], lineH, p.tr(c), "B", ln, align, fill)
	}
}

func (p *pdf) notes(notes []string) {
	if len(notes) == 0 {
		return
	}
	p.s.Ln(4)
	p.font("", 8.5)
	for _, n := range notes {
		p.wrapped(contentW, n, "L", false)
	}
}
