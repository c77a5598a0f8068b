package statement_test

import (
	"bytes"
	"encoding/csv"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/oslokommune/payout/exporters/bundle/fixture"
	"github.com/oslokommune/payout/exporters/csvout"
	"github.com/oslokommune/payout/exporters/statement"
	"github.com/oslokommune/payout/fixtures/gen"
	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// pdfText extracts a PDF's text with pdftotext (poppler-utils, which
// .ci/run installs), in reading order.
func pdfText(t *testing.T, data []byte) string {
	t.Helper()
	tool, err := exec.LookPath("pdftotext")
	if err != nil {
		t.Skip("SKIPPED: pdftotext not installed (apt-get install poppler-utils); the statements' text was not checked")
	}
	path := filepath.Join(t.TempDir(), "s.pdf")
	require.NoError(t, os.WriteFile(path, data, 0o600))
	var out, errOut bytes.Buffer
	cmd := exec.Command(tool, "-layout", "-enc", "UTF-8", path, "-")
	cmd.Stdout, cmd.Stderr = &out, &errOut
	require.NoError(t, cmd.Run(), "pdftotext: %s", errOut.String())
	return out.String()
}

// The words a statement must never print: the kinds of absence, in the
// reports' Norwegian and as codes, and the rule titles that name them.
func forbidden() []string {
	words := []string{"sykdom", "syk ", "barn", "permisjon", "utdanning", "militær", "tillitsverv"}
	for _, k := range []payout.AbsenceKind{payout.KindSickness, payout.KindChildSickness, payout.KindParental,
		payout.KindEducation, payout.KindUnionPublic, payout.KindMilitaryService} {
		words = append(words, strings.ToLower(nb.KindName(k)), string(k))
	}
	return words
}

// linesCSV reads the run's real lines.csv, as a payee's accountant would.
func linesCSV(t *testing.T, res *payout.Result) []map[string]string {
	t.Helper()
	data, err := csvout.Lines(res)
	require.NoError(t, err)
	recs, err := csv.NewReader(bytes.NewReader(data)).ReadAll()
	require.NoError(t, err)
	var rows []map[string]string
	for _, rec := range recs[1:] {
		row := map[string]string{}
		for i, h := range recs[0] {
			row[h] = rec[i]
		}
		rows = append(rows, row)
	}
	return rows
}

var amountColumns = []string{"base", "absence_deduction", "vikar_amount", "entitlement", "withheld",
	"released", "adjustments", "carried_in", "net", "carried_out"}

// checkStatement asserts what every statement shows: each nonzero amount
// of the payee's rows of lines.csv (as Norwegian text, without its sign),
// the account masked to its last four digits, and no kind of absence.
func checkStatement(t *testing.T, text string, payee payout.Payee, rows []map[string]string) {
	t.Helper()
	for _, row := range rows {
		for _, col := range amountColumns {
			d := decimal.RequireFromString(row[col])
			if d.IsZero() {
				continue
			}
			require.Contains(t, text, nb.Kroner(d.Abs()), "%s: %s %s of agreement %s", payee.ID, col, row[col], row["agreement_id"])
		}
	}
	lower := strings.ToLower(text)
	for _, w := range forbidden() {
		require.NotContains(t, lower, w, "%s: the statement names an absence", payee.ID)
	}
	if len(payee.Account) == 11 {
		require.Contains(t, text, "****.**.*"+payee.Account[7:])
		require.NotContains(t, text, payee.Account)
		require.NotContains(t, text, payee.Account[:4]+"."+payee.Account[4:6]+"."+payee.Account[6:])
	}
}

// checkMonth renders every statement of res and checks each against the
// payee's rows of lines.csv; it returns the texts by payee.
func checkMonth(t *testing.T, res *payout.Result, dir *statement.Directory) map[string]string {
	t.Helper()
	m := statement.NewMonth(res, dir)
	rows := linesCSV(t, res)
	require.NotEmpty(t, m.Payees())
	texts := map[string]string{}
	for _, id := range m.Payees() {
		data, err := m.PDF(id)
		require.NoError(t, err)
		var mine []map[string]string
		for _, r := range rows {
			if r["payee_id"] == id {
				mine = append(mine, r)
			}
		}
		text := pdfText(t, data)
		checkStatement(t, text, dir.Payees[id], mine)
		require.Contains(t, text, statement.ID(id, res.Period))
		texts[id] = text
	}
	return texts
}

// The hand-made cases (testdata/cases, April 2015): every kind of row is on
// some statement, as pdftotext reads it.
func TestCaseStatements(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("testdata", "cases"))
	require.NoError(t, err)
	res, err := payout.Compute(in, payout.MustPeriod("2015-04"), payout.Options{})
	require.NoError(t, err)
	texts := checkMonth(t, res, statement.NewDirectory(res, in))
	may, err := payout.Compute(in, payout.MustPeriod("2015-05"), payout.Options{})
	require.NoError(t, err)
	require.Contains(t, checkMonth(t, may, statement.NewDirectory(may, in))["P4"], "krav om tilbakebetaling")
	for id, want := range map[string][]string{
		"P1": {"Fravær etter §13.2: 2 dager", "Fravær etter §13.6: 2 dager", "vedtak BYDEL-01-2015-7", "rettet 10.04.2015"},
		"P2": {"overtatt listen, 10 dager (§7.7)"},
		"P3": {"Overtakelse av avtale A2", "Fortsatt tilbakeholdt etter vedtak BYDEL-01-2015-9: 8 420,00 kr", "Organisasjonsnummer"},
		"P4": {"listelengde fra 1 200 til 0", "Ingen utbetaling denne måneden", "Til gode for kommunen"},
		"P5": {"Hjemmel", "60 %", "Trekk for fravær etter §13.4, 4 dager"},
	} {
		for _, w := range want {
			require.Contains(t, texts[id], w, id)
		}
	}
}

// A year's statement shows each month's net, the year's total, and what is
// still owed at the end.
func TestYearStatement(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("testdata", "cases"))
	require.NoError(t, err)
	var results []*payout.Result
	for p := payout.MustPeriod("2015-01"); p <= payout.MustPeriod("2015-05"); p++ {
		res, err := payout.Compute(in, p, payout.Options{})
		require.NoError(t, err)
		results = append(results, res)
	}
	last := results[len(results)-1]
	y, err := statement.NewYear(2015, results, statement.NewDirectory(last, in))
	require.NoError(t, err)
	files, err := y.Files(nil)
	require.NoError(t, err)
	require.Len(t, files, len(y.Payees()))
	for i, id := range y.Payees() {
		require.Equal(t, statement.YearFileName(id, 2015), files[i].Name)
		text := pdfText(t, files[i].Data)
		var total decimal.Decimal
		for _, r := range results {
			for _, pm := range r.Payments {
				if pm.PayeeID == id {
					require.Contains(t, text, nb.Kroner(pm.Amount), "%s %s", id, r.Period)
					total = total.Add(pm.Amount)
				}
			}
		}
		require.Contains(t, text, "Utbetalt i 2015")
		require.Contains(t, text, nb.Kroner(total), id)
	}
	_, err = statement.NewYear(2016, results, nil)
	require.ErrorContains(t, err, "is not of 2016")
}

func TestFixtureStatements(t *testing.T) {
	res := fixture.Result()
	checkMonth(t, res, statement.NewDirectory(res, fixture.Inputs()))
}

// The Oslo month: the statements of every payee whose month holds more
// than its base (a deduction, a vikar, a takeover, a withholding, a
// release, a correction, a set-off) and of a few plain ones.
func TestOsloStatements(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "..", "fixtures", "oslo"))
	require.NoError(t, err)
	res, err := payout.Compute(in, gen.Oslo().To, payout.Options{})
	require.NoError(t, err)
	dir := statement.NewDirectory(res, in)
	m := statement.NewMonth(res, dir)
	byPayee := map[string][]map[string]string{}
	for _, r := range linesCSV(t, res) {
		byPayee[r["payee_id"]] = append(byPayee[r["payee_id"]], r)
	}
	picked, plain := 0, 0
	seen := map[string]bool{}
	for _, id := range m.Payees() {
		interesting := false
		for _, r := range byPayee[id] {
			interesting = interesting || r["base"] != r["net"] || r["role"] != "holder" ||
				r["carried_in"] != "0.00" || r["carried_out"] != "0.00"
		}
		if !interesting && plain >= 5 {
			continue
		}
		if !interesting {
			plain++
		}
		picked++
		data, err := m.PDF(id)
		require.NoError(t, err)
		text := pdfText(t, data)
		checkStatement(t, text, dir.Payees[id], byPayee[id])
		for _, w := range []string{"Trekk for fravær etter §", "Tilbakeholdt etter §15.1, vedtak", "Korreksjon av"} {
			seen[w] = seen[w] || strings.Contains(text, w)
		}
	}
	t.Logf("%d of %d statements checked", picked, len(m.Payees()))
	for w, ok := range seen {
		require.True(t, ok, "no statement of the month shows %q: the test no longer covers it", w)
	}
}

// Two renders of the same month, one of them in parallel, give the same
// bytes, and the document's dates are the run's as-of date.
func TestDeterministic(t *testing.T) {
	res := fixture.Result()
	first, err := statement.NewMonth(res, statement.NewDirectory(res, fixture.Inputs())).Files()
	require.NoError(t, err)
	m := statement.NewMonth(fixture.Result(), statement.NewDirectory(res, fixture.Inputs()))
	again := make([][]byte, len(m.Payees()))
	var wg sync.WaitGroup
	for i, id := range m.Payees() {
		wg.Go(func() {
			data, err := m.PDF(id)
			require.NoError(t, err)
			again[i] = data
		})
	}
	wg.Wait()
	require.Len(t, again, len(first))
	for i := range first {
		require.Equal(t, first[i].Data, again[i], first[i].Name)
		require.Contains(t, string(first[i].Data), "/CreationDate (D:20150327000000)")
		require.Contains(t, string(first[i].Data), "/ModDate (D:20150327000000)")
	}
}

// The statement's number is the one the bank's remittance text names; a
// payee ID that could not name a file safely names it by a digest.
func TestNames(t *testing.T) {
	p := payout.MustPeriod("2022-12")
	require.Equal(t, "P00002-2022-12", statement.ID("P00002", p))
	require.Equal(t, payout.StatementRef("P00002", p), statement.ID("P00002", p))
	require.Equal(t, "P00002-2022-12.pdf", statement.FileName("P00002", p))
	require.Equal(t, "P00002-2022.pdf", statement.YearFileName("P00002", 2022))
	for _, id := range []string{"../etc/passwd", "a/b", ".hidden", "Kari Nordmann", ""} {
		name := statement.FileName(id, p)
		require.Regexp(t, `^payee-[0-9a-f]{12}-2022-12\.pdf$`, name, id)
	}
	require.NotEqual(t, statement.FileName("a/b", p), statement.FileName("a/c", p))
	require.Equal(t, "****.**.*8903", statement.MaskAccount("12345678903"))
	require.Equal(t, "******1234", statement.MaskAccount("9876541234"))
}
