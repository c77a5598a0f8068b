package statement

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/go-pdf/fpdf"
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
	p := &pdf{f: f, tr: cp1252}
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
