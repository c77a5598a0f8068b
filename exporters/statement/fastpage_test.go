package statement

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// randomText is a text of up to n words from a vocabulary with what the
// layout treats apart: cp1252 letters, characters the code page lacks,
// what a PDF string escapes, halves of the page alias, long words.
func randomText(r *rand.Rand, n int) string {
	vocab := []string{"Basistilskudd", "fastlege", "–", "€", "æøå", "ÆØÅ", "(§8.4)", `a\b`, ")(", "{n", "b}",
		"21 805,34", "Oslo", "kommune", "中", "W", "iiiiii", "Overbetaling", "tilbakebetaling", "1/12", "—",
		strings.Repeat("M", 40), "«sitat»", "‘’“”", "…", "\t", " "}
	words := make([]string, r.IntN(n+1))
	for i := range words {
		words[i] = vocab[r.IntN(len(vocab))]
	}
	return strings.Join(words, " ")
}

func randomPairs(r *rand.Rand, n int) [][2]string {
	kvs := make([][2]string, r.IntN(n+1))
	for i := range kvs {
		kvs[i] = [2]string{randomText(r, 3), randomText(r, 25)}
	}
	return kvs
}

func randomRows(r *rand.Rand, n int) []row {
	rows := make([]row, r.IntN(n+1))
	for i := range rows {
		amount := decimal.New(r.Int64N(2_000_000_00)-1_000_000_00, -2)
		switch r.IntN(4) {
		case 0:
			rows[i] = totalRow(randomText(r, 6), amount)
		case 1:
			rows[i] = noteRow(randomText(r, 40))
		case 2:
			rows[i] = row{text: randomText(r, 30)}
		default:
			rows[i] = amountRow(randomText(r, 30), amount)
		}
	}
	return rows
}

func randomTable(r *rand.Rand) *table {
	cols := 2 + r.IntN(5)
	t := &table{lastTotal: r.IntN(2) == 0}
	left := contentW
	for i := range cols {
		w := left
		if i < cols-1 {
			w = float64(10 + r.IntN(int(left)/(cols-i)))
		}
		t.widths = append(t.widths, w)
		t.head = append(t.head, randomText(r, 2))
		left -= w
	}
	for range r.IntN(14) {
		cells := make([]string, cols)
		for i := range cells {
			cells[i] = randomText(r, 2)
		}
		t.rows = append(t.rows, cells)
	}
	return t
}

// randomDocuments are n documents of every shape the layout has, of one
// page or several.
func randomDocuments(seed uint64, n int) []*document {
	r := rand.New(rand.NewPCG(seed, 16))
	docs := make([]*document, n)
	for i := range docs {
		d := &document{title: randomText(r, 3), subtitle: randomText(r, 8), subject: fmt.Sprintf("R%05d-2022-12", i),
			issuer: randomText(r, 3), created: payout.MustDate("2022-12-28"), info: randomPairs(r, 7),
			summary: randomRows(r, 4)}
		for range r.IntN(5) {
			s := section{title: randomText(r, 8), facts: randomPairs(r, 4), rows: randomRows(r, 6)}
			if r.IntN(3) == 0 {
				s.table = randomTable(r)
			}
			d.sections = append(d.sections, s)
		}
		for range r.IntN(4) {
			d.notes = append(d.notes, randomText(r, 60))
		}
		docs[i] = d
	}
	return docs
}

// A page writes what fpdf writes for random sequences of the calls it
// takes, in every border, alignment, fill and colour, with or without
// text, from random places (a call fpdf would break the page for, or one
// page does not write, makes it fall back, which is counted, not
// compared).
func TestPageIsFpdf(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 16))
	fonts := sharedFonts()
	require.NotNil(t, fonts, "the core fonts are not shared (fonts.go): page has no metrics")
	compared, fell := 0, 0
	for range 3000 {
		ops := make([]func(s surface), 1+r.IntN(30))
		for i := range ops {
			ops[i] = randomCall(r)
		}
		doc := &document{created: payout.MustDate("2022-12-28")}
		ref := newDocument(doc)
		play(&fpdfSurface{Fpdf: ref, fonts: fonts}, ops)
		want, err := output(ref, doc)
		require.NoError(t, err)
		f := newDocument(doc)
		pg := newPage(f, fonts)
		play(pg, ops)
		if !pg.finish(f) {
			fell++
			continue
		}
		got, err := output(f, doc)
		require.NoError(t, err)
		require.Equal(t, string(want), string(got))
		compared++
	}
	assert.Greater(t, compared, 2000)
	assert.Greater(t, fell, 10)
}

// play selects a font first (fpdf refuses a cell without one).
func play(s surface, ops []func(s surface)) {
	s.font("", 9)
	for _, op := range ops {
		op(s)
	}
}

func randomCall(r *rand.Rand) func(s surface) {
	f := func() float64 { return float64(r.IntN(30000)) / 100 }
	styles := []string{"", "B", "I", "BI"}
	borders := []string{"", "", "1", "B", "L", "T", "R", "LTRB", "lr"}
	aligns := []string{"", "L", "R", "C"}
	sizes := []float64{0, 7.5, 8.5, 9, 9.5, 10.5, 11, 16}
	switch r.IntN(9) {
	case 0:
		style, size := styles[r.IntN(len(styles))], sizes[r.IntN(len(sizes))]
		return func(s surface) { s.font(style, size) }
	case 1:
		c := [3]int{r.IntN(300) - 20, r.IntN(256), r.IntN(256)}
		if r.IntN(2) == 0 {
			c[1], c[2] = c[0], c[0]
		}
		return func(s surface) { s.SetFillColor(c[0], c[1], c[2]) }
	case 2:
		c := [3]int{r.IntN(256), r.IntN(256), r.IntN(256)}
		if r.IntN(2) == 0 {
			c[1], c[2] = c[0], c[0]
		}
		return func(s surface) { s.SetDrawColor(c[0], c[1], c[2]) }
	case 3:
		x1, y1, x2, y2 := f(), f(), f(), f()
		return func(s surface) { s.Line(x1, y1, x2, y2) }
	case 4:
		h := float64(r.IntN(4)) - 1
		return func(s surface) { s.Ln(h) }
	case 5:
		x, y := f()-100, f()-120
		if r.IntN(2) == 0 {
			return func(s surface) { s.SetX(x) }
		}
		return func(s surface) { s.SetY(y) }
	default:
		w, h := float64(r.IntN(1800))/10, float64(r.IntN(90))/10
		if r.IntN(8) == 0 {
			w = 0
		}
		txt := cp1252(randomText(r, 5))
		border, align := borders[r.IntN(len(borders))], aligns[r.IntN(len(aligns))]
		ln, fill := r.IntN(3), r.IntN(3) == 0
		return func(s surface) { s.cell(w, h, txt, border, ln, align, fill) }
	}
}

// page's SplitLines and widths are fpdf's in every shared style.
func TestPageMeasuresAsFpdf(t *testing.T) {
	r := rand.New(rand.NewPCG(4, 16))
	fonts := sharedFonts()
	f := newDocument(&document{})
	pg := newPage(f, fonts)
	require.NotNil(t, pg)
	surface := &fpdfSurface{Fpdf: f, fonts: fonts}
	for range 2000 {
		style, size := styleKeys[r.IntN(len(styleKeys))], 6+float64(r.IntN(120))/10
		surface.font(style, size)
		pg.font(style, size)
		txt := cp1252(randomText(r, 30))
		if r.IntN(4) == 0 {
			txt += "\r\n\n" + cp1252(randomText(r, 5)) + "\x00x"
		}
		w := float64(r.IntN(2000)) / 10
		require.Equal(t, f.GetStringSymbolWidth(txt), pg.GetStringSymbolWidth(txt))
		require.Equal(t, f.GetStringWidth(txt), pg.GetStringWidth(txt))
		require.Equal(t, f.SplitLines([]byte(txt), w), pg.SplitLines([]byte(txt), w), "%q in %v", txt, w)
		pt, unit := f.GetFontSize()
		gpt, gunit := pg.GetFontSize()
		require.Equal(t, [2]float64{pt, unit}, [2]float64{gpt, gunit})
	}
}

// fpdf's document buffer is where buffer.go expects it; if this fails after
// a change of fpdf in go.mod, statements are as before but each grows its
// own buffer again.
func TestDocBufferPooled(t *testing.T) {
	_, ok := docBufferOffset()
	require.True(t, ok, "fpdf's Fpdf.buffer is not v0.9.0's fmtBuffer{bytes.Buffer}: documents no longer take a pooled buffer (buffer.go)")
}

// A document written through a pooled buffer (output) has the bytes of
// fpdf's own Output, for documents of one page and several, one after the
// other so that buffers are reused, grown and reused again.
func TestPooledOutputIsOutput(t *testing.T) {
	for _, d := range randomDocuments(5, 300) {
		plain := func() []byte {
			f := newDocument(d)
			p := &pdf{s: &fpdfSurface{Fpdf: f, fonts: sharedFonts()}, tr: cp1252}
			f.AliasNbPages(pageAlias)
			f.SetFooterFuncLpi(func(bool) { p.footer(d) })
			p.body(d)
			var buf bytes.Buffer
			require.NoError(t, f.Output(&buf))
			return buf.Bytes()
		}
		want := plain()
		got, err := layout(d, options{sharedFonts: true})
		require.NoError(t, err)
		require.Equal(t, want, got, d.subject)
		require.Equal(t, len(got), cap(got), "made to size")
	}
}
