package payout_test

// The reference model against the engine run through the store (issue 11,
// Tests): the same random worlds and import histories as
// TestReferenceModelKnowledgeMatchesEngine, but every import is a real
// import of CSV files into a store on its own day, every released month is
// computed from the store at its release, attested, approved and released
// by three accounts, and P is run from the store as `payout run --db` runs
// it (the stored inputs with their import sequences, the store's releases'
// as-of dates and knowledge). The model is given the same inputs and the
// same releases.

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store"
)

// refStoreSeeds are the histories run through the store: a few, as each
// imports and releases for real.
var refStoreSeeds = []uint64{16, 23, 53, 56, 87, 149}

func TestReferenceModelThroughTheStore(t *testing.T) {
	ran, late, released := 0, 0, 0
	for _, seed := range refStoreSeeds {
		in, P := genRefInputs(seed)
		h := importHistory(seed, in, P)
		s := refStore(t, seed, in, h)
		stored, _, err := s.Inputs()
		require.NoError(t, err)
		rel, err := s.Released()
		require.NoError(t, err)
		opt := rel.Options(P, payout.NoDate, stored)
		if _, err := newRefModel(stored, opt).run(P); errors.Is(err, payout.ErrMissingListCount) || errors.Is(err, payout.ErrMissingRate) {
			continue
		}
		ran++
		released += len(rel.AsOf)
		// Versions the store's releases did not know, though recorded by
		// their as-of: what the test is about.
		stored.EachVersion(func(v *payout.Version) {
			for e, k := range rel.Knowledge {
				if int64(v.Import) > k && v.RecordedOn <= rel.AsOf[e] {
					late++
					return
				}
			}
		})
		if msg := compareRefRun(stored, P, opt); msg != "" {
			t.Errorf("seed %d, period %s, released %v, knowledge %v:\n%s", seed, P, opt.AsOfByPeriod, opt.KnowledgeByPeriod, msg)
		}
	}
	t.Logf("%d histories ran through the store, %d releases, %d versions imported after a release that did not know them", ran, released, late)
	if ran < len(refStoreSeeds)/2 || released < ran || late < ran {
		t.Fatalf("only %d of %d histories ran through the store, with %d releases and %d late versions", ran, len(refStoreSeeds), released, late)
	}
}

// refStore imports in's versions by their import sequence, each import on
// its day, and releases the planned months on theirs.
func refStore(t *testing.T, seed uint64, in *payout.Inputs, h refHistory) *store.Store {
	t.Helper()
	dir := t.TempDir()
	s, err := store.Create(filepath.Join(dir, "payout.db"), importers.ReadFile, store.CreateOptions{GID: store.NoGroup})
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	s.StreamWith(importers.ReadStored)
	key, err := releasekey.Generate(t.TempDir(), nil)
	require.NoError(t, err)
	kari, ola, per := store.Actor{UID: 1001, Name: "kari"}, store.Actor{UID: 1002, Name: "ola"}, store.Actor{UID: 1003, Name: "per"}
	clock := func(d payout.Date, hour int) store.When {
		y, m, day := d.YMD()
		return store.At(time.Date(y, time.Month(m), day, hour, 0, 0, 0, time.UTC))
	}
	releases := slices.Clone(h.releases)
	release := func(r refRelease) {
		stored, st, err := s.Inputs()
		require.NoError(t, err)
		rel, err := s.Released()
		require.NoError(t, err)
		res, err := payout.Compute(stored, r.period, rel.Options(r.period, r.asOf, stored))
		if err != nil {
			t.Logf("seed %d: %s not released: %v", seed, r.period, err)
			return // not computable then (a count not yet imported): never released
		}
		_, _, err = s.SaveRun(res, st, store.SaveOptions{At: clock(r.on, 10), By: kari})
		require.NoError(t, err)
		_, err = s.Attest(store.Step{Period: r.period, By: kari, At: clock(r.on, 11)})
		require.NoError(t, err)
		_, err = s.Approve(store.Step{Period: r.period, By: ola, At: clock(r.on, 12)})
		require.NoError(t, err)
		_, err = s.Release(store.ReleaseRequest{Period: r.period, By: per, At: clock(r.on, 13), MsgID: "MSG-" + r.period.String(),
			OutDir: filepath.Join(dir, "out", r.period.String()), Key: key,
			Stage: func(res *payout.Result, _ *payout.Inputs, rec *store.Release) (string, error) {
				sum := sha256.Sum256([]byte(rec.Period.String() + rec.PreviousSHA256 + payout.RunDigest(res)))
				return hex.EncodeToString(sum[:]), nil
			}})
		require.NoError(t, err, "release of %s (seed %d)", r.period, seed)
	}
	for seq, on := range h.imports {
		for len(releases) > 0 && releases[0].on < on {
			release(releases[0])
			releases = releases[1:]
		}
		files := refImportFiles(t, in, int64(seq+1), seq == 0)
		_, err := s.Import(files, kari, clock(on, 8))
		require.NoError(t, err, "import %d on %s (seed %d)", seq+1, on, seed)
	}
	for _, r := range releases {
		release(r)
	}
	return s
}

// refImportFiles are the CSV files of the versions of one import sequence
// (and, with the first, the policy).
func refImportFiles(t *testing.T, in *payout.Inputs, seq int64, first bool) []store.File {
	t.Helper()
	part := *in
	keep := func(v payout.Version) bool { return int64(v.Import) == seq }
	part.Rates, part.Payees, part.Agreements = slices.Clone(in.Rates), slices.Clone(in.Payees), slices.Clone(in.Agreements)
	part.ListCounts, part.Absences, part.Caregivers = slices.Clone(in.ListCounts), slices.Clone(in.Absences), slices.Clone(in.Caregivers)
	part.Breaches, part.Takeovers = slices.Clone(in.Breaches), slices.Clone(in.Takeovers)
	dropNotImported(&part, keep)
	dir := t.TempDir()
	require.NoError(t, writeRefFixture(dir, &part, payout.Period(0)))
	names, err := filepath.Glob(filepath.Join(dir, "*"))
	require.NoError(t, err)
	var files []store.File
	for _, path := range names {
		base := filepath.Base(path)
		if base == "case.json" || base == "policy.json" && !first {
			continue
		}
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		files = append(files, store.File{Path: path, Data: data})
	}
	return files
}
