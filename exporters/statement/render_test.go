package statement

import (
	"bytes"
	"math/rand/v2"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/encoding/charmap"
)

// The table gives what charmap.Windows1252.EncodeRune gives, for every rune.
func TestCP1252ByteIsEncodeRune(t *testing.T) {
	for r := rune(0); r <= utf8.MaxRune; r++ {
		want, ok := charmap.Windows1252.EncodeRune(r)
		if !ok {
			want = '?'
		}
		if got := cp1252Byte(r); got != want {
			t.Fatalf("U+%04X: %#x, EncodeRune %#x", r, got, want)
		}
	}
	assert.Equal(t, "\x80 \x96 \xe6\xf8\xe5 ? ?", cp1252("€ – æøå 中 \xff"))
}

// split gives the lines fpdf's SplitLines gives, in every style and size
// the statements use, for texts that fit, that just fit, that wrap and that
// carry line breaks.
func TestSplitIsSplitLines(t *testing.T) {
	f := fpdf.New("P", "mm", "A4", "")
	f.SetMargins(margin, margin, margin)
	f.AddPage()
	p := &pdf{s: &fpdfSurface{Fpdf: f}, tr: cp1252}
	words := strings.Fields("Overbetaling som ikke kan trekkes i senere utbetalinger: krav om tilbakebetaling " +
		"(overbetalt fra desember 2022; avtalen gir ikke lenger utbetaling til deg) Fravær etter §13.4: 3 dager uten tilskudd")
	var texts []string
	for n := 0; n <= len(words); n++ {
		texts = append(texts, strings.Join(words[:n], " "))
	}
	texts = append(texts, "a\nb", "a\r\nb\n", "x\x00y", strings.Repeat("W", 200), " ", "ends in a space ")
	for _, style := range []string{"", "B", "I"} {
		for _, size := range []float64{7.5, 8.5, 9, 9.5, 10.5, 11, 16} {
			f.SetFont(font, style, size)
			for _, w := range []float64{30, 48, contentW - 48, contentW - amountW, contentW} {
				for _, text := range texts {
					enc := cp1252(text)
					want := []string{""}
					if lines := f.SplitLines([]byte(enc), w); len(lines) > 0 {
						want = want[:0]
						for _, l := range lines {
							want = append(want, string(l))
						}
					}
					require.Equal(t, want, p.split(enc, w), "%q at %s %v in %v mm", text, style, size, w)
				}
			}
		}
	}
}

// osloDocuments is the document of every statement of the Oslo month.
func osloDocuments(t testing.TB) []*document {
	t.Helper()
	in, _, err := importers.LoadFolder(filepath.Join("..", "..", "fixtures", "oslo"))
	require.NoError(t, err)
	res, err := payout.Compute(in, payout.MustPeriod("2022-12"), payout.Options{})
	require.NoError(t, err)
	m := NewMonth(res, NewDirectory(res, in))
	var docs []*document
	for _, id := range m.Payees() {
		d, err := m.document(id)
		require.NoError(t, err)
		docs = append(docs, d)
	}
	return docs
}

// The one-page fast path (render) gives the bytes fpdf alone gives: for
// every statement of the Oslo month, for one of several pages (which falls
// back), for one whose text holds the alias or a NUL (laid out by fpdf),
// and for random documents of every shape the layout has (fastpage_test.go).
func TestFastPageSameBytes(t *testing.T) {
	docs := osloDocuments(t)
	long := *docs[0]
	for range 12 {
		long.sections = append(long.sections, docs[0].sections...)
	}
	aliased := *docs[1]
	aliased.issuer = "Kommune {nb}"
	nul := *docs[2]
	nul.notes = append(nul.notes, "a\x00b")
	docs = append(docs, &long, &aliased, &nul)
	month := len(docs)
	docs = append(docs, randomDocuments(1, 1500)...)
	pages := map[int]int{}
	randomPages := map[int]int{}
	for i, d := range docs {
		got, err := render(d)
		require.NoError(t, err)
		want, err := layout(d, options{})
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), d.subject)
		n := bytes.Count(got, []byte("/Type /Page\n"))
		if i < month {
			pages[n]++
		} else {
			randomPages[n]++
		}
	}
	assert.Greater(t, pages[1], 600, "most statements have one page")
	assert.NotZero(t, pages[2]+pages[3]+pages[4]+pages[5], "one of several pages: %v", pages)
	assert.Greater(t, randomPages[1], 300, "%v", randomPages)
	assert.Greater(t, randomPages[2]+randomPages[3]+randomPages[4], 100, "%v", randomPages)
}

// Payees lists the payees NewMonth does, in its order.
func TestPayeesAreTheMonths(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "..", "fixtures", "oslo"))
	require.NoError(t, err)
	res, err := payout.Compute(in, payout.MustPeriod("2022-12"), payout.Options{})
	require.NoError(t, err)
	assert.Equal(t, NewMonth(res, nil).Payees(), Payees(res))
	assert.Len(t, Payees(res), 669)
}

// A one-page statement's document written by onepage.go is fpdf's to the
// byte: the Oslo month's and random documents, with titles, subjects and
// authors of every escape, control characters, characters past the BMP,
// and dates across the years.
func TestDocumentIsFpdfs(t *testing.T) {
	docs := osloDocuments(t)
	r := rand.New(rand.NewPCG(7, 11))
	texts := []string{"", "a", `\`, "(", ")", "\r", "\n", "\t", "æøå", "–", "€", "中", "😀", "𝄞x", "\x00", "Oslo kommune", "(§8.4)", `a\(b)c`}
	pick := func() string {
		var b strings.Builder
		for range r.IntN(6) {
			b.WriteString(texts[r.IntN(len(texts))])
		}
		return b.String()
	}
	for _, d := range randomDocuments(5, 400) {
		d.title, d.subtitle, d.issuer = pick(), pick(), pick()
		d.created = payout.MustDate("2014-01-01") + payout.Date(r.IntN(6000))
		docs = append(docs, d)
	}
	written := 0
	for _, d := range docs {
		got, ok, err := onePage(d)
		require.NoError(t, err)
		if !ok {
			continue
		}
		written++
		want, err := layout(d, options{})
		require.NoError(t, err)
		require.Equal(t, string(want), string(got), "%q %q %q", d.title, d.subtitle, d.issuer)
		Recycle(got) // the next document is written into these bytes
	}
	require.Greater(t, written, 800, "most of the documents are written by onepage.go")
}

// utf16Text is fpdf's utf8toutf16, and refuses a text cut inside a
// character (where fpdf would index past its end).
func TestUTF16TextIsFpdfs(t *testing.T) {
	for _, s := range []string{"", "abc", "æøå", "€–中", "😀", "\x80\xbf", "\xff\x80\x80"} {
		got, ok := utf16Text(s)
		require.True(t, ok, "%q", s)
		f := fpdf.New("P", "mm", "A4", "")
		f.SetTitle(s, true)
		f.SetCompression(false)
		var out bytes.Buffer
		require.NoError(t, f.Output(&out))
		require.Contains(t, out.String(), "/Title "+textString(got)+"\n", "%q", s)
	}
	for _, s := range []string{"\xc3", "a\xe2\x82", "\xf0\x9f", "a\xff"} {
		_, ok := utf16Text(s)
		require.False(t, ok, "%q", s)
	}
}

// FuzzDocumentIsFpdfs: a one-page statement with any title, subject,
// author and date is written by onepage.go as fpdf writes it, and where
// fpdf cannot write it (a text cut inside a character makes fpdf v0.9.0
// read past its end) onepage.go leaves it to fpdf.
func FuzzDocumentIsFpdfs(f *testing.F) {
	f.Add("Utbetalingsspesifikasjon", "Basistilskudd – desember", "Oslo kommune", uint16(4000))
	f.Add(`a\(b)c`+"\r", "😀中€", "\xe2\x82", uint16(0))
	base := osloDocuments(f)[0]
	f.Fuzz(func(t *testing.T, title, subtitle, issuer string, day uint16) {
		d := *base
		d.title, d.subtitle, d.issuer = title, subtitle, issuer
		d.created = payout.MustDate("2014-01-01") + payout.Date(day%20000)
		got, ok, err := onePage(&d)
		require.NoError(t, err)
		var want []byte
		panicked := func() (p bool) {
			defer func() { p = recover() != nil }()
			want, err = layout(&d, options{})
			return false
		}()
		if panicked {
			require.False(t, ok, "fpdf cannot write %q %q %q, onepage.go did", title, subtitle, issuer)
			return
		}
		require.NoError(t, err)
		if ok {
			require.Equal(t, string(want), string(got))
		}
	})
}
