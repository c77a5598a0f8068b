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
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store/pgtest"
)

// fakeParse reads the store tests' tiny formats, so the store is tested
// without the importers but with inputs the engine really computes:
//   - base.csv: one GP (agreement A1 on list L1, payee P1) and a rate;
//   - policy.json: policy.json as FORMATS.md has it;
//   - any other name: list counts, each line "list_id,as_of,count[,recorded_on]".
func fakeParse(name string, data []byte) (*payout.Inputs, error) {
	switch name {
	case "base.csv":
		return baseInputs(name), nil
	case "policy.json":
		pol, err := payout.ParsePolicy(data)
		if err != nil {
			return nil, &payout.InputError{File: name, Msg: err.Error()}
		}
		return &payout.Inputs{Policy: pol, Files: []payout.InputFile{{Name: name, Kind: "policy"}}}, nil
	}
	in := &payout.Inputs{}
	var errs payout.ErrorList
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	for i, line := range lines {
		f := strings.Split(line, ",")
		src := payout.NewSource(name, "", i+1)
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

func baseInputs(name string) *payout.Inputs {
	v := payout.Version{RecordedOn: payout.Beginning, Src: payout.NewSource(name, "", 1)}
	return &payout.Inputs{
		Rates: []payout.Rate{{Scheme: payout.SchemeFastlege, ValidFrom: payout.MustDate("2020-01-01"), TierFrom: 1,
			AnnualNOK: decimal.RequireFromString("600"), Source: "test", Version: v}},
		Payees: []payout.Payee{{ID: "P1", Name: "Lege En AS", Account: "12000079195", Version: v}},
		Agreements: []payout.Agreement{{ID: "A1", Scheme: payout.SchemeFastlege, Name: "Lege En", HPR: "1000001", Bydel: "01",
			ValidFrom: payout.MustDate("2020-01-01"), ValidTo: payout.Forever, PayeeID: "P1", ListID: "L1",
			SharePercent: decimal.RequireFromString("100"), ListCeiling: 2000, BirthDate: payout.MustDate("1965-05-05"), Version: v}},
		Files: []payout.InputFile{{Name: name, Kind: "base", Rows: 3}},
	}
}

var t0 = time.Date(2022, 9, 20, 8, 0, 0, 0, time.UTC)

// The accounts of the tests: three clerks.
var (
	kari = Actor{UID: 1001, Name: "kari"}
	ola  = Actor{UID: 1002, Name: "ola"}
	per  = Actor{UID: 1003, Name: "per"}
)

// at is t0 plus h hours, real time.
func at(h int) When { return At(t0.Add(time.Duration(h) * time.Hour)) }

// openTest creates an empty store: a SQLite file, or a schema of its own
// on the test server for the tests TestPostgres runs (store_postgres_test.go).
func openTest(t *testing.T) (*Store, string) {
	t.Helper()
	path := filepath.Join(t.TempDir(), "payout.db")
	if onPostgres(t) {
		path, _ = pgtest.Schema(t)
	}
	s, err := Create(path, fakeParse, CreateOptions{GID: NoGroup})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s, path
}

// world creates a store holding the base inputs and a release key.
func world(t *testing.T) (*Store, string, *releasekey.Private) {
	t.Helper()
	s, path := openTest(t)
	importText(t, s, "base.csv", "base")
	key, err := releasekey.Generate(t.TempDir(), nil)
	require.NoError(t, err)
	return s, path, key
}

func importText(t *testing.T, s *Store, name, text string) *ImportReport {
	t.Helper()
	rep, err := s.Import([]File{{Path: "in/" + name, Data: []byte(text)}}, kari, at(0))
	require.NoError(t, err)
	return rep
}

// computedCount stores the computed run of p with a list count of n on the
// 1st, computed by the engine from the store's inputs.
func computedCount(t *testing.T, s *Store, p string, n int) *Run {
	t.Helper()
	// Another count than the first is a correction, recorded later.
	recorded := ""
	if n != 1500 {
		recorded = "," + p + "-02"
	}
	importText(t, s, fmt.Sprintf("list_counts_%s_%d.csv", p, n), fmt.Sprintf("L1,%s-01,%d%s\n", p, n, recorded))
	run, _, err := compute(s, p, SaveOptions{At: at(0), By: kari})
	require.NoError(t, err)
	return run
}

func computed(t *testing.T, s *Store, p string) *Run { return computedCount(t, s, p, 1500) }

// compute computes p from the store's inputs as `payout run --db` does.
func compute(s *Store, p string, opt SaveOptions) (*Run, Status, error) {
	in, st, err := s.Inputs()
	if err != nil {
		return nil, "", err
	}
	released, err := s.ReleasedAsOf()
	if err != nil {
		return nil, "", err
	}
	res, err := payout.Compute(in, payout.MustPeriod(p), payout.Options{AsOfByPeriod: released})
	if err != nil {
		return nil, "", err
	}
	return s.SaveRun(res, st, opt)
}

func step(p string, by Actor, h int) Step {
	return Step{Period: payout.MustPeriod(p), By: by, At: at(h)}
}

// approved brings a computed run of p to approved: attested by kari,
// approved by ola.
func approved(t *testing.T, s *Store, p string) *Run {
	t.Helper()
	computed(t, s, p)
	_, err := s.Attest(step(p, kari, 1))
	require.NoError(t, err)
	run, err := s.Approve(step(p, ola, 2))
	require.NoError(t, err)
	return run
}

// release releases p with a stage that only makes up a manifest digest.
func release(s *Store, p string, by Actor, key *releasekey.Private) (*Release, error) {
	return s.Release(ReleaseRequest{Period: payout.MustPeriod(p), By: by, At: at(3), MsgID: "MSG-" + p,
		OutDir: "/srv/payout/out/" + p, Key: key,
		Stage: func(res *payout.Result, in *payout.Inputs, rec *Release) (string, error) {
			return sha([]byte(rec.Period.String() + rec.PreviousSHA256 + payout.RunDigest(res))), nil
		}})
}
