package importers

import (
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestReadCSVDialects: what Norwegian Excel and tired clerks produce.
func TestReadCSVDialects(t *testing.T) {
	tests := []struct {
		name, data string
		want       []payout.ListCount // ListID, AsOf, Count, Weighted, Src.Line
	}{
		{"plain", "list_id,as_of,count\nL1,2015-03-01,1200\n",
			[]payout.ListCount{lc("L1", "2015-03-01", 1200, "", 2)}},
		{"BOM, semicolon, decimal comma, thousands space, Norwegian date",
			"\ufefflist_id;as_of;count;weighted_count\r\nL1;01.03.2015;1 200;1250,5\r\n",
			[]payout.ListCount{lc("L1", "2015-03-01", 1200, "1250.5", 2)}},
		{"header case and spaces, columns in any order",
			" Count ,LIST_ID, As_Of \n1200,L1,2015-03-01\n",
			[]payout.ListCount{lc("L1", "2015-03-01", 1200, "", 2)}},
		{"blank lines and rows of empty cells are skipped, lines still counted",
			"list_id;as_of;count;;\n\n;;;;\nL1;2015-03-01;1200;;\n",
			[]payout.ListCount{lc("L1", "2015-03-01", 1200, "", 4)}},
		{"a quoted value over two lines: later lines keep their numbers",
			"list_id,as_of,count\n\"L1\",\"2015-03-01\n\",1\nL2,2015-03-01,2\n",
			[]payout.ListCount{lc("L1", "2015-03-01", 1, "", 2), lc("L2", "2015-03-01", 2, "", 4)}},
		{"whole number written with decimals", "list_id,as_of,count\nL1,2015-03-01,1200.0\n",
			[]payout.ListCount{lc("L1", "2015-03-01", 1200, "", 2)}},
		{"header only", "list_id,as_of,count\n", nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in, err := ReadFile("list_counts.csv", []byte(tt.data))
			require.NoError(t, err)
			require.Len(t, in.ListCounts, len(tt.want))
			for i, w := range tt.want {
				got := in.ListCounts[i]
				assert.Equal(t, w.ListID, got.ListID)
				assert.Equal(t, w.AsOf, got.AsOf)
				assert.Equal(t, w.Count, got.Count)
				assert.Equal(t, w.HasWeighted, got.HasWeighted)
				assert.True(t, w.Weighted.Equal(got.Weighted), got.Weighted.String())
				assert.Equal(t, w.Src, got.Src)
			}
			require.Len(t, in.Files, 1)
			assert.Equal(t, len(tt.want), in.Files[0].Rows)
		})
	}
}

func lc(list, asOf string, count int, weighted string, line int) payout.ListCount {
	c := payout.ListCount{ListID: list, AsOf: payout.MustDate(asOf), Count: count}
	if weighted != "" {
		c.Weighted, _ = parseDecimal(weighted, false)
		c.HasWeighted = true
	}
	c.Src = payout.NewSource("list_counts.csv", "", line)
	return c
}

func TestReadFileNames(t *testing.T) {
	tests := []struct{ name, want string }{
		{"notes.csv", "notes.csv: unknown file: the name must be one of agreements, payees, rates, list_counts, absences, caregivers, breaches, takeovers, with .csv or .xlsx, or policy.json"},
		{"absences.txt", "absences.txt: unknown file: the name must be one of agreements, payees, rates, list_counts, absences, caregivers, breaches, takeovers, with .csv or .xlsx, or policy.json"},
	}
	for _, tt := range tests {
		in, err := ReadFile(tt.name, []byte("x"))
		assert.Nil(t, in)
		assert.EqualError(t, err, tt.want)
	}
	in, err := ReadFile("/some/where/Absences.CSV", []byte("absence_id,agreement_id,kind,from,to,cover\nS1,A1,sickness,2015-03-02,2015-03-05,none\n"))
	require.NoError(t, err)
	assert.Equal(t, "Absences.CSV", in.Absences[0].Src.File())
	assert.Equal(t, payout.FileAbsences, in.Files[0].Kind)
}

// Control characters are refused in every column (issue 13): a line break,
// tab or NUL pasted into a name would reach the bank file. Each is named with
// its line, column and position.
func TestReadRefusesControlCharacters(t *testing.T) {
	data := "payee_id,name,account\nP1,\"Lege\nEide\",12000554330\nP2,Kari\tNordmann,12000554330\nP3,Ola\x00,12000554330\nP4,Per\u0085,12000554330\nP5,Åse – Ødegård,12000554330\n"
	in, err := ReadFile("payees.csv", []byte(data))
	assert.Nil(t, in)
	assert.EqualError(t, err, strings.Join([]string{
		"payees.csv:2 (name): holds the control character U+000A at character 5 (a line break, tab or NUL pasted in); names and texts go to the bank, which takes none: remove it",
		"payees.csv:4 (name): holds the control character U+0009 at character 5 (a line break, tab or NUL pasted in); names and texts go to the bank, which takes none: remove it",
		"payees.csv:5 (name): holds the control character U+0000 at character 4 (a line break, tab or NUL pasted in); names and texts go to the bank, which takes none: remove it",
		"payees.csv:6 (name): holds the control character U+0085 at character 4 (a line break, tab or NUL pasted in); names and texts go to the bank, which takes none: remove it",
	}, "\n"))
}

// The optional structured address of a payee (issue 13).
func TestReadPayeeAddress(t *testing.T) {
	head := "payee_id,name,account,street,postcode,town,country\n"
	in, err := ReadFile("payees.csv", []byte(head+"P1,Lege Eide AS,12000554330,Storgata 1,0155,Oslo,no\nP2,Kari,12000554330,,,,\nP3,Ola,12000554330,,,Tromsø,NO\n"))
	require.NoError(t, err)
	assert.Equal(t, payout.Address{Street: "Storgata 1", PostCode: "0155", Town: "Oslo", Country: "NO"}, in.Payees[0].Address)
	assert.True(t, in.Payees[1].Address.IsZero())
	assert.Equal(t, payout.Address{Town: "Tromsø", Country: "NO"}, in.Payees[2].Address)

	_, err = ReadFile("payees.csv", []byte(head+"P1,A,12000554330,Storgata 1,,,\nP2,B,12000554330,,,Oslo,\nP3,C,12000554330,,155,Oslo,NO\nP4,D,12000554330,,,Oslo,NOR\nP5,E,12000554330,,,"+strings.Repeat("x", 36)+",SE\n"))
	assert.EqualError(t, err, strings.Join([]string{
		"payees.csv:2 (country): empty, but the address has a town; the bank needs the country code (NO) too",
		"payees.csv:2 (town): empty, but the address has a street, postcode or country; the bank needs the town (poststed) too",
		"payees.csv:3 (country): empty, but the address has a town; the bank needs the country code (NO) too",
		"payees.csv:4 (postcode): \"155\" is not a Norwegian postcode (4 digits)",
		"payees.csv:5 (country): \"NOR\" is not a two-letter country code (ISO 3166), e.g. NO",
		"payees.csv:6 (town): has 36 characters; the bank takes at most 35",
	}, "\n"))
}

// TestCancellationNeedsOnlyTheKey: a clerk removes a record by its key.
func TestCancellationNeedsOnlyTheKey(t *testing.T) {
	in, err := ReadFile("absences.csv", []byte("absence_id,agreement_id,kind,from,to,cover,recorded_on,cancelled\nS1,,,,,,2015-04-01,ja\n"))
	require.NoError(t, err)
	assert.True(t, in.Absences[0].Cancelled)
	_, err = ReadFile("absences.csv", []byte("absence_id,agreement_id,kind,from,to,cover,recorded_on,cancelled\n,,,,,,2015-04-01,ja\n"))
	assert.EqualError(t, err, "absences.csv:2 (absence_id): required but empty; fill in the absence_id")
}
