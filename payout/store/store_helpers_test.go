package store

import (
	"fmt"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// fakeParse reads a tiny list-count format, so the store is tested without
// the importers: each line "list_id,as_of,count[,recorded_on]".
func fakeParse(name string, data []byte) (*payout.Inputs, error) {
	in := &payout.Inputs{}
	var errs payout.ErrorList
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for i, line := range lines {
		f := strings.Split(line, ",")
		src := payout.Source{File: name, Line: i + 1}
		if len(f) < 3 {
			errs.Add(&payout.InputError{File: name, Line: i + 1, Msg: "expected list_id,as_of,count"})
			continue
		}
		asOf, err1 := payout.ParseDate(f[1])
		n, err2 := strconv.Atoi(f[2])
		if err1 != nil || err2 != nil {
			errs.Add(&payout.InputError{File: name, Line: i + 1, Column: "count", Msg: "bad value"})
			continue
		}
		rec := payout.Beginning
		if len(f) > 3 {
			rec = payout.MustDate(f[3])
		}
		in.ListCounts = append(in.ListCounts, payout.ListCount{ListID: f[0], AsOf: asOf, Count: n,
			Version: payout.Version{RecordedOn: rec, Src: src}})
	}
	if len(errs) > 0 {
		return nil, errs
	}
	in.Files = []payout.InputFile{{Name: name, Kind: "list_counts", Rows: len(lines)}}
	return in, nil
}

var t0 = time.Date(2022, 9, 20, 8, 0, 0, 0, time.UTC)

func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "payout.db")
	s, err := Open(path, fakeParse)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

func importText(t *testing.T, s *Store, name, text string) *ImportReport {
	t.Helper()
	rep, err := s.Import([]File{{Path: "in/" + name, Data: []byte(text)}}, t0)
	require.NoError(t, err)
	return rep
}

// result is a hand-built result of period p paying one payee.
func result(p string, amount string) *payout.Result {
	per := payout.MustPeriod(p)
	amt := decimal.RequireFromString(amount)
	return &payout.Result{
		Period: per, AsOf: payout.PayDate(per), PayDate: payout.PayDate(per), Total: amt,
		Lines: []payout.Line{{Period: per, AgreementID: "A1", Bydel: "01", Role: payout.RoleHolder, PayeeID: "P1",
			Entitlement: amt, Net: amt}},
		Payments: []payout.Payment{{PayeeID: "P1", Name: "Lege En", Account: "12000554330", Amount: amt,
			EndToEndID: fmt.Sprintf("%s-P1", p)}},
	}
}

// computed stores a computed run of p from the store's current inputs.
func computed(t *testing.T, s *Store, p, amount string) *Run {
	t.Helper()
	st, err := s.State()
	require.NoError(t, err)
	run, _, err := s.SaveRun(result(p, amount), st, SaveOptions{At: t0, User: "batch"})
	require.NoError(t, err)
	return run
}

// approved brings a computed run of p to approved.
func approved(t *testing.T, s *Store, p, amount string) *Run {
	t.Helper()
	computed(t, s, p, amount)
	_, err := s.Attest(payout.MustPeriod(p), "kari", t0.Add(time.Hour))
	require.NoError(t, err)
	run, err := s.Approve(payout.MustPeriod(p), "ola", t0.Add(2*time.Hour))
	require.NoError(t, err)
	return run
}

// release releases p with a stage that only makes up a manifest digest.
func release(s *Store, p string, user string) (*Release, error) {
	return s.Release(ReleaseRequest{Period: payout.MustPeriod(p), User: user, At: t0.Add(3 * time.Hour), MsgID: "MSG-" + p,
		Stage: func(run *Run, rec *Release) (string, error) {
			return sha([]byte(rec.Period.String() + rec.PreviousSHA256)), nil
		}})
}
