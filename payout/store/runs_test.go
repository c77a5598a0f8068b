package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// manyLines is a result of the store's one-agreement world with n lines
// and m payments of made-up payees.
// listCounted is the world with one list count of L1 imported, and the
// state of its inputs: where the save tests start.
func listCounted(t *testing.T) (*Store, InputState) {
	t.Helper()
	s, _, _ := world(t)
	importText(t, s, "list_counts.csv", "L1,2022-10-01,1500\n")
	_, st, err := s.Inputs()
	require.NoError(t, err)
	return s, st
}

func manyLines(t *testing.T, s *Store, n, m int) *payout.Result {
	t.Helper()
	in, _, err := s.Inputs()
	require.NoError(t, err)
	res, err := payout.Compute(in, payout.MustPeriod("2022-10"), payout.Options{})
	require.NoError(t, err)
	line := res.Lines[0]
	res.Lines = nil
	for i := range n {
		l := line
		l.AgreementID = fmt.Sprintf("A%04d", i)
		l.Net = decimal.New(int64(i)*101, -2)
		res.Lines = append(res.Lines, l)
	}
	pay := res.Payments[0]
	res.Payments = nil
	for i := range m {
		p := pay
		p.PayeeID = fmt.Sprintf("P%04d", i)
		p.Name = fmt.Sprintf(`Lege "%d" & Sønn <AS> \ æøå`, i)
		p.Amount = decimal.New(int64(i)*7, 0)
		res.Payments = append(res.Payments, p)
	}
	return res
}

// SaveRun stores every line and payment, in order, with the result as
// computed and the manifest the files were written with.
func TestSaveRunStoresEveryRow(t *testing.T) {
	s, st := listCounted(t)
	res := manyLines(t, s, 237, 100)
	run, _, err := s.SaveRun(res, st, SaveOptions{At: at(0), By: kari, Write: func() (string, error) { return "manifest-sum", nil }})
	require.NoError(t, err)
	require.Equal(t, "manifest-sum", run.ManifestSHA256)
	require.Equal(t, len(res.Lines), run.Lines)

	var lines []struct {
		Agreement string `db:"agreement_id"`
		Net       string `db:"net"`
	}
	require.NoError(t, s.db.Select(&lines, `SELECT agreement_id, net FROM run_lines WHERE run_id = ? ORDER BY agreement_id`, run.ID))
	require.Len(t, lines, len(res.Lines))
	for i, l := range lines {
		require.Equal(t, res.Lines[i].AgreementID, l.Agreement)
		require.Equal(t, res.Lines[i].Net.StringFixed(2), l.Net)
	}
	var payments []struct {
		Name   string `db:"name"`
		Amount string `db:"amount"`
	}
	require.NoError(t, s.db.Select(&payments, `SELECT name, amount FROM run_payments WHERE run_id = ? ORDER BY payee_id`, run.ID))
	require.Len(t, payments, len(res.Payments))
	for i, p := range payments {
		require.Equal(t, res.Payments[i].Name, p.Name)
		require.Equal(t, res.Payments[i].Amount.StringFixed(2), p.Amount)
	}

	requireStoredResult(t, s, run.ID, res)
}

// A recomputation stores exactly its own lines and payments, whichever of
// them it shares with the run it replaces (replaceRows writes only the
// difference), and a line given twice is refused, not dropped.
func TestRecomputeStoresExactlyItsRows(t *testing.T) {
	s, st := listCounted(t)
	save := func(res *payout.Result) (*Run, error) {
		run, _, err := s.SaveRun(res, st, SaveOptions{At: at(0), By: kari, Write: func() (string, error) { return "m", nil }})
		return run, err
	}
	first, err := save(manyLines(t, s, 120, 40))
	require.NoError(t, err)
	res := manyLines(t, s, 150, 30) // 30 lines and payments more, 10 payments fewer
	res.Lines = slices.Delete(res.Lines, 10, 20)
	for i := 0; i < len(res.Lines); i += 7 {
		res.Lines[i].Net = res.Lines[i].Net.Add(decimal.New(1, -2))
		res.Lines[i].Bydel = "HEL"
	}
	res.Payments[3].Name, res.Payments[5].Amount = "Ny Lege", decimal.New(999, 0)
	run, err := save(res)
	require.NoError(t, err)
	require.Equal(t, first.ID, run.ID)
	require.Equal(t, resultRows(res), storedRows(t, s, run.ID))

	twice := manyLines(t, s, 5, 2)
	twice.Lines = append(twice.Lines, twice.Lines[2])
	_, err = save(twice)
	require.ErrorContains(t, err, "a key is given twice")
	require.Equal(t, resultRows(res), storedRows(t, s, run.ID), "the refused run changed nothing")
}

// resultRows is a result's lines and payments as the store's rows, in key order.
func resultRows(res *payout.Result) [2][]string {
	var out [2][]string
	for _, l := range res.Lines {
		out[0] = append(out[0], strings.Join([]string{l.AgreementID, string(l.Role), l.PayeeID, l.Bydel,
			l.Entitlement.StringFixed(2), l.Withheld.StringFixed(2), l.Released.StringFixed(2),
			l.Adjustments.StringFixed(2), l.Net.StringFixed(2), l.CarriedOut.StringFixed(2)}, "|"))
	}
	for _, p := range res.Payments {
		out[1] = append(out[1], strings.Join([]string{p.PayeeID, p.Name, p.Account, p.Amount.StringFixed(2), p.EndToEndID}, "|"))
	}
	slices.Sort(out[0])
	slices.Sort(out[1])
	return out
}

// storedRows is the run's stored lines and payments in the form of resultRows.
func storedRows(t *testing.T, s *Store, id int64) [2][]string {
	t.Helper()
	var out [2][]string
	for i, q := range []string{
		`SELECT agreement_id || '|' || role || '|' || payee_id || '|' || bydel || '|' || entitlement || '|' || withheld || '|' ||
			released || '|' || adjustments || '|' || net || '|' || carried_out FROM run_lines WHERE run_id = ?`,
		`SELECT payee_id || '|' || name || '|' || account || '|' || amount || '|' || end_to_end_id FROM run_payments WHERE run_id = ?`,
	} {
		require.NoError(t, s.db.Select(&out[i], q, id))
		slices.Sort(out[i])
	}
	return out
}

// requireStoredResult holds the result stored as run id to res, as JSON.
func requireStoredResult(t *testing.T, s *Store, id int64, res *payout.Result) {
	t.Helper()
	stored, err := s.Result(id)
	require.NoError(t, err)
	want, err := json.Marshal(res)
	require.NoError(t, err)
	got, err := json.Marshal(stored)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

// A run whose files cannot be written is not stored, and the run it would
// have replaced is as it was.
func TestSaveRunWriteFailureStoresNothing(t *testing.T) {
	s, _, _ := world(t)
	first := computed(t, s, "2022-10")
	events, err := s.Events("2022-10")
	require.NoError(t, err)
	_, st, err := s.Inputs()
	require.NoError(t, err)
	res := manyLines(t, s, 101, 3)
	wrote := false
	_, _, err = s.SaveRun(res, st, SaveOptions{At: at(1), By: kari, Write: func() (string, error) {
		wrote = true
		return "", errors.New("disk full")
	}})
	require.ErrorContains(t, err, "disk full")
	require.True(t, wrote)
	now, err := s.Run(payout.MustPeriod("2022-10"))
	require.NoError(t, err)
	require.Equal(t, first, now)
	after, err := s.Events("2022-10")
	require.NoError(t, err)
	require.Equal(t, events, after)
	var n int
	require.NoError(t, s.db.Get(&n, `SELECT count(*) FROM run_lines WHERE run_id = ?`, first.ID))
	require.Equal(t, first.Lines, n)
}

// With the manifest known before Write (SaveOptions.Manifest: the files
// are staged) the run is stored as with Write alone; Write returning
// another manifest, or failing, stores nothing.
func TestSaveRunWithTheManifestKnownBefore(t *testing.T) {
	s, _, _ := world(t)
	first := computed(t, s, "2022-10")
	_, st, err := s.Inputs()
	require.NoError(t, err)
	res := manyLines(t, s, 11, 3)
	sum := strings.Repeat("ab", 32)
	for _, write := range []func() (string, error){
		func() (string, error) { return strings.Repeat("cd", 32), nil },
		func() (string, error) { return "", errors.New("disk full") },
	} {
		_, _, err = s.SaveRun(res, st, SaveOptions{At: at(1), By: kari, Manifest: sum, Write: write})
		require.Error(t, err)
		now, err := s.Run(payout.MustPeriod("2022-10"))
		require.NoError(t, err)
		require.Equal(t, first, now)
	}
	run, _, err := s.SaveRun(res, st, SaveOptions{At: at(1), By: kari, Manifest: sum, Write: func() (string, error) { return sum, nil }})
	require.NoError(t, err)
	require.Equal(t, sum, run.ManifestSHA256)
	require.Equal(t, payout.RunDigest(res), run.Digest)
	requireStoredResult(t, s, run.ID, res)
}

// storedData hands out the driver's own bytes on SQLite (sql.RawBytes):
// they must stay as read once their rows are closed and other values are
// read on the same connection, in and out of the transaction, or the
// parsers would read bytes the driver reuses.
func TestStoredDataIsNotReused(t *testing.T) {
	s, _, _ := world(t)
	texts := map[string]string{}
	for i := range 4 {
		name := fmt.Sprintf("list_counts_%d.csv", i)
		texts[name] = strings.Repeat(fmt.Sprintf("L%d,2022-10-01,%d\n", i, 1000+i), 5000+i)
		importText(t, s, name, texts[name])
	}
	files, err := storedFiles(s.db)
	require.NoError(t, err)
	tx, err := s.beginRead()
	require.NoError(t, err)
	defer tx.Rollback()
	rd := &pieceReader{q: tx, pg: s.pg}
	held := map[string][]byte{}
	for _, f := range files {
		data, err := rd.piece(&f, 0)
		require.NoError(t, err)
		held[f.Name] = data
	}
	for _, f := range files { // read again: another value on the connection
		_, err := rd.piece(&f, 0)
		require.NoError(t, err)
	}
	require.NoError(t, tx.Rollback())
	for name, text := range texts {
		require.Equal(t, text, string(held[name]), name)
	}
	_, err = (&pieceReader{q: s.db}).piece(&storedFile{ID: 999}, 0)
	require.ErrorIs(t, err, sql.ErrNoRows)
}

// A save started while the files are rendered (StartSave) stores what
// SaveRun stores; one closed unfinished stores nothing and leaves the store
// free; a refusal of its checks is Finish's, before the files are written.
func TestStartSaveIsSaveRun(t *testing.T) {
	s, st := listCounted(t)
	res := manyLines(t, s, 60, 20)
	opt := SaveOptions{At: at(0), By: kari}

	closed := s.StartSave(res, st, opt)
	closed.Close()
	_, err := s.Run(res.Period)
	require.ErrorIs(t, err, ErrNoRun, "a save closed unfinished stores nothing")

	want, _, err := s.SaveRun(res, st, opt)
	require.NoError(t, err)
	wantRows := storedRows(t, s, want.ID)
	wrote := 0
	write := func() (string, error) { wrote++; return "m", nil }
	p := s.StartSave(res, st, opt)
	defer p.Close()
	got, replaced, err := p.Finish("", "", write)
	require.NoError(t, err)
	assert.Equal(t, StatusComputed, replaced)
	assert.Equal(t, 1, wrote)
	assert.Equal(t, want.Digest, got.Digest)
	assert.Equal(t, payout.RunDigest(res), got.Digest)
	assert.Equal(t, "m", got.ManifestSHA256)
	assert.Equal(t, want.Computations+1, got.Computations)
	assert.Equal(t, wantRows, storedRows(t, s, got.ID))
	stored, err := s.Result(got.ID)
	require.NoError(t, err)
	assert.Equal(t, res.Total.String(), stored.Total.String())
	assert.Equal(t, want.ResultSHA256, got.ResultSHA256)

	// As run --db finishes it: the digest and a manifest of a SHA-256's
	// length, the length of the placeholders the early result is stored
	// with (the row overwritten in place).
	manifest := strings.Repeat("ab", 32)
	again := s.StartSave(res, st, opt)
	defer again.Close()
	got, _, err = again.Finish(payout.RunDigest(res), manifest, func() (string, error) { return manifest, nil })
	require.NoError(t, err)
	assert.Equal(t, want.Digest, got.Digest)
	assert.Equal(t, manifest, got.ManifestSHA256)
	assert.Equal(t, want.ResultSHA256, got.ResultSHA256)
	assert.Equal(t, wantRows, storedRows(t, s, got.ID))
	stored, err = s.Result(got.ID)
	require.NoError(t, err)
	assert.Equal(t, res.Total.String(), stored.Total.String())

	_, err = s.Attest(step("2022-10", kari, 1))
	require.NoError(t, err)
	_, err = s.Approve(step("2022-10", ola, 2))
	require.NoError(t, err)
	refused := s.StartSave(res, st, opt)
	defer refused.Close()
	_, _, err = refused.Finish("", "", write)
	require.ErrorIs(t, err, ErrAlreadyApproved)
	assert.Equal(t, 1, wrote, "nothing written for a refused save")
}

// Paid is what Result says the run pays, and refuses what Result refuses:
// a result that is not the one its digest names, or none.
func TestPaid(t *testing.T) {
	s, _, _ := world(t)
	run := computed(t, s, "2022-09")
	whole, err := s.Result(run.ID)
	require.NoError(t, err)
	require.NotEmpty(t, whole.Lines)
	require.NotEmpty(t, whole.Payments)
	want := &Paid{Period: whole.Period, PayDate: whole.PayDate, Total: whole.Total, Policy: whole.Policy}
	for _, p := range whole.Payments {
		want.Payments = append(want.Payments, PaidPayment{PayeeID: p.PayeeID, Name: p.Name, Account: p.Account,
			EndToEndID: p.EndToEndID, Amount: p.Amount})
	}
	got, err := s.Paid(run.ID)
	require.NoError(t, err)
	assert.Equal(t, want, got)

	_, err = s.db.Exec(`UPDATE run_results SET result = ? WHERE run_id = ?`, []byte(`{"Lines":[],"Total":"1"}`), run.ID)
	require.NoError(t, err)
	_, err = s.Paid(run.ID)
	assert.ErrorContains(t, err, "does not match its digest")
	_, err = s.db.Exec(`DELETE FROM run_results WHERE run_id = ?`, run.ID)
	require.NoError(t, err)
	_, err = s.Paid(run.ID)
	assert.ErrorContains(t, err, "has no stored result")
}
