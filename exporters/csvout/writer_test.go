package csvout

import (
	"bytes"
	stdcsv "encoding/csv"
	"math/rand/v2"
	"testing"
)

// TestTableIsEncodingCSV checks the writer against encoding/csv on fields
// with every character its quoting rule looks at.
func TestTableIsEncodingCSV(t *testing.T) {
	alphabet := []string{"a", "Ø", ",", `"`, "\r", "\n", " ", "\t", "\u00a0", "\u2003", `\`, ".", ";", "'", "=", "\xff", "1"}
	r := rand.New(rand.NewPCG(3, 4))
	var rows [][]string
	rows = append(rows, []string{""}, []string{"", ""}, []string{`\.`}, []string{`\.x`, ` lead`, `trail `, "\u00a0x", `a"b`, "x\r\ny"})
	for range 20000 {
		row := make([]string, r.IntN(5)+1)
		for i := range row {
			for range r.IntN(6) {
				row[i] += alphabet[r.IntN(len(alphabet))]
			}
		}
		rows = append(rows, row)
	}
	var want bytes.Buffer
	w := stdcsv.NewWriter(&want)
	tb := &table{}
	for _, row := range rows {
		if err := w.Write(row); err != nil {
			t.Fatal(err)
		}
		tb.row(row)
	}
	w.Flush()
	got, err := tb.bytes()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(got, want.Bytes()) {
		t.Fatalf("the table's bytes differ from encoding/csv's")
	}
}
