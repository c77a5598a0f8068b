package store

import (
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// manyLines is a result of the store's one-agreement world with n lines
// and m payments of made-up payees.
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
	s, _, _ := world(t)
	importText(t, s, "list_counts.csv", "L1,2022-10-01,1500\n")
	_, st, err := s.Inputs()
	require.NoError(t, err)
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
	var files []storedFile
	require.NoError(t, s.db.Select(&files, `SELECT id, import_id, name, sha256, bytes FROM files ORDER BY id`))
	tx, err := s.beginRead()
	require.NoError(t, err)
	defer tx.Rollback()
	held := map[string][]byte{}
	for _, f := range files {
		data, err := s.storedData(tx, f.ID)
		require.NoError(t, err)
		held[f.Name] = data
	}
	for _, f := range files { // read again: another value on the connection
		_, err := s.storedData(tx, f.ID)
		require.NoError(t, err)
	}
	require.NoError(t, tx.Rollback())
	for name, text := range texts {
		require.Equal(t, text, string(held[name]), name)
	}
	_, err = s.storedData(s.db, 999)
	require.ErrorIs(t, err, sql.ErrNoRows)
}
