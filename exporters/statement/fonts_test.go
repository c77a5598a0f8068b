package statement

import (
	"bytes"
	"path/filepath"
	"sync"
	"testing"

	"github.com/go-pdf/fpdf"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The core fonts are shared: fpdf's internals are those of v0.9.0 that
// fonts.go relies on. If this fails after a change of fpdf in go.mod, the
// statements still render (each document loads its fonts through fpdf
// again), but at about twice the CPU: check the new version's Fpdf.fonts,
// fontDefType and AddFontFromReader, and update fonts.go (or drop it).
func TestFontsShared(t *testing.T) {
	_, ok := fontsField()
	require.True(t, ok, "fpdf's Fpdf.fonts is not v0.9.0's map[string]fontDefType: the core fonts are no longer shared (fonts.go)")
	table := sharedFonts()
	require.NotNil(t, table, "the prototype's fonts are not as expected: the core fonts are no longer shared (fonts.go)")
	for i, style := range styleKeys {
		assert.True(t, table.defs[i].IsValid(), "style %q is not shared", style)
	}
	// SetFont selects the shared definition: the document's width table is
	// the prototype's (fpdf loading the font itself makes a new one).
	f := fpdf.New("P", "mm", "A4", "")
	for i, style := range styleKeys {
		require.True(t, table.preload(f, style), style)
		f.SetFont(font, style, 9)
		require.NoError(t, f.Error())
		def := table.table(f).MapIndex(table.keys[i])
		require.True(t, def.IsValid(), style)
		assert.Equal(t, table.defs[i].FieldByName("Cw").Pointer(), def.FieldByName("Cw").Pointer(), "style %q loaded again", style)
	}
}

// A document with the shared fonts has the bytes of one whose fonts fpdf
// loads: every style, alone and together, in either order, and one that
// uses a style more than once.
func TestSharedFontsSameBytes(t *testing.T) {
	uses := [][]string{{""}, {"B"}, {"I"}, {"BI"}, {"", "B", "I"}, {"I", "B", ""}, {"B", "", "B", "BI", "I", ""}}
	for _, styles := range uses {
		doc := func(shared bool) []byte {
			f := fpdf.New("P", "mm", "A4", "")
			f.SetCompression(false)
			f.SetCatalogSort(true)
			f.SetCreationDate(payout.MustDate("2022-12-28").Time())
			f.SetModificationDate(payout.MustDate("2022-12-28").Time())
			surface := &fpdfSurface{Fpdf: f}
			if shared {
				surface.fonts = sharedFonts()
			}
			p := &pdf{s: surface, tr: cp1252}
			f.AddPage()
			for _, s := range styles {
				p.font(s, 9.5)
				f.CellFormat(contentW, lineH, p.tr("Trekk for fravær etter §13.4 – "+s), "", 1, "L", false, 0, "")
				w := f.GetStringWidth("æøå WWW")
				f.CellFormat(w, lineH, p.tr("æøå WWW"), "", 1, "R", false, 0, "")
			}
			var buf bytes.Buffer
			require.NoError(t, f.Output(&buf))
			return buf.Bytes()
		}
		require.Equal(t, doc(false), doc(true), "%q", styles)
	}
}

// Every statement of the Oslo month and every yearly statement of the Oslo
// data set's 2022 and of the hand-made cases' 2015 has the same bytes with
// the shared fonts, and with those and the one-page fast path (render), as
// with fpdf's own loading and pages, also when rendered in parallel (run
// once with -race).
func TestSharedFontsSameStatements(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "..", "fixtures", "oslo"))
	require.NoError(t, err)
	var year []*payout.Result
	for p := payout.MustPeriod("2022-01"); p <= payout.MustPeriod("2022-12"); p++ {
		res, err := payout.Compute(in, p, payout.Options{})
		require.NoError(t, err)
		year = append(year, res)
	}
	dec := year[len(year)-1]
	var docs []*document
	m := NewMonth(dec, NewDirectory(dec, in))
	for _, id := range m.Payees() {
		d, err := m.document(id)
		require.NoError(t, err)
		docs = append(docs, d)
	}
	y, err := NewYear(2022, year, NewDirectory(dec, in))
	require.NoError(t, err)
	for _, id := range y.Payees() {
		d, err := y.document(id)
		require.NoError(t, err)
		docs = append(docs, d)
	}
	cases, casesIn := computeCases(t, "2015-01", "2015-05")
	cy, err := NewYear(2015, cases, NewDirectory(cases[len(cases)-1], casesIn))
	require.NoError(t, err)
	for _, id := range cy.Payees() {
		d, err := cy.document(id)
		require.NoError(t, err)
		docs = append(docs, d)
	}
	require.Greater(t, len(docs), 1300)

	want := make([][]byte, len(docs))
	for i, d := range docs {
		want[i], err = layout(d, options{})
		require.NoError(t, err)
	}
	got := make([][]byte, len(docs))
	fast := make([][]byte, len(docs))
	errs := make([]error, len(docs))
	var wg sync.WaitGroup
	for w := range 4 {
		wg.Go(func() {
			for i := w; i < len(docs); i += 4 {
				got[i], errs[i] = layout(docs[i], options{sharedFonts: true})
				if errs[i] == nil {
					fast[i], errs[i] = render(docs[i])
				}
			}
		})
	}
	wg.Wait()
	styles := map[string]bool{}
	for i, d := range docs {
		require.NoError(t, errs[i])
		require.Equal(t, want[i], got[i], d.subject)
		require.Equal(t, want[i], fast[i], d.subject)
		for _, name := range []string{"Helvetica", "Helvetica-Bold", "Helvetica-Oblique"} {
			if bytes.Contains(got[i], []byte("/BaseFont /"+name+"\n")) {
				styles[name] = true
			}
		}
	}
	assert.Len(t, styles, 3, "regular, bold and italic are all used: %v", styles)
}
