package csvout_test

import (
	"strings"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/csvout"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// excelSplit splits one line of a text file as Excel does when it opens a
// .csv with sep as the list separator (comma in English Excel, semicolon
// in Norwegian): a field is quoted only when it starts with `"`, a quoted
// field runs to the `"` not followed by another (`""` is one quote), and
// what follows the closing quote up to the next separator is kept as it
// is. The quotes of a comma-separated file thus protect nothing from a
// semicolon split unless they open the field.
func excelSplit(line string, sep byte) []string {
	var cells []string
	for {
		var b strings.Builder
		i := 0
		if strings.HasPrefix(line, `"`) {
			for i = 1; i < len(line); i++ {
				if line[i] == '"' {
					if i+1 < len(line) && line[i+1] == '"' {
						b.WriteByte('"')
						i++
						continue
					}
					i++
					break
				}
				b.WriteByte(line[i])
			}
		}
		end := strings.IndexByte(line[i:], sep)
		if end < 0 {
			b.WriteString(line[i:])
			return append(cells, b.String())
		}
		b.WriteString(line[i : i+end])
		cells = append(cells, b.String())
		line = line[i+end+1:]
	}
}

// formula reports a cell Excel would evaluate: it starts (spaces aside)
// with = + - @ or a tab or carriage return, and is not a plain number.
func formula(cell string) bool {
	c := strings.TrimLeft(cell, " ")
	if c == "" || !strings.ContainsAny(c[:1], "=+-@\t\r") {
		return false
	}
	_, err := decimal.NewFromString(c)
	return err != nil
}

func TestExcelSplit(t *testing.T) {
	assert.Equal(t, []string{"a", "b,c", "d"}, excelSplit(`a,"b,c",d`, ','))
	assert.Equal(t, []string{`a,"Lege`, `=cmd",x`}, excelSplit(`a,"Lege;=cmd",x`, ';'))
	assert.Equal(t, []string{`x;y,z`, "w"}, excelSplit(`"x;y",z;w`, ';'))
	assert.Equal(t, []string{`say "hi"`}, excelSplit(`"say ""hi"""`, ';'))
	assert.True(t, formula("=1+1"))
	assert.True(t, formula(" @SUM(A1)"))
	assert.False(t, formula("-1000.00"))
	assert.False(t, formula("'=1+1"))
}

// No name, however written, becomes a formula in any cell of the CSV files
// when Excel opens them with a comma or a semicolon as list separator.
func TestNoFormulaAfterExcelSplits(t *testing.T) {
	attacks := []string{
		"Lege;=cmd|' /C calc'!A0;x", "=HYPERLINK(\"http://x\")", "a;+1", "b;-2+3", "c;@SUM(1)",
		"d;\t=1", "e; =1", "f,g;=1", `h";=1`, "i\r;=1",
	}
	res := fixture.Result()
	for i := range res.Lines {
		res.Lines[i].Name = attacks[i%len(attacks)]
	}
	for i := range res.Payments {
		res.Payments[i].Name = attacks[(i+3)%len(attacks)]
		res.Payments[i].Remittance = attacks[(i+5)%len(attacks)]
	}
	for name, render := range map[string]func() ([]byte, error){
		"lines.csv":       func() ([]byte, error) { return csvout.Lines(res) },
		"payments.csv":    func() ([]byte, error) { return csvout.Payments(res) },
		"adjustments.csv": func() ([]byte, error) { return csvout.Adjustments(res) },
	} {
		out, err := render()
		require.NoError(t, err, name)
		for n, line := range strings.Split(string(out), "\n") {
			for _, sep := range []byte{',', ';'} {
				for _, cell := range excelSplit(line, sep) {
					assert.False(t, formula(cell), "%s line %d split on %q: cell %q is a formula", name, n+1, sep, cell)
				}
			}
		}
	}
}
