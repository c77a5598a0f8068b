package store

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
)

// Every refused transition, with the sentence the user sees.
func TestRefusedTransitions(t *testing.T) {
	const p = "2022-09"
	attest := func(by Actor) func(*Store, *releasekey.Private) error {
		return func(s *Store, _ *releasekey.Private) error { _, err := s.Attest(step(p, by, 1)); return err }
	}
	approve := func(by Actor) func(*Store, *releasekey.Private) error {
		return func(s *Store, _ *releasekey.Private) error { _, err := s.Approve(step(p, by, 2)); return err }
	}
	rel := func(by Actor) func(*Store, *releasekey.Private) error {
		return func(s *Store, key *releasekey.Private) error { _, err := release(s, p, by, key); return err }
	}
	unsigned := func(s *Store, _ *releasekey.Private) error { _, err := release(s, p, per, nil); return err }
	recompute := func(s *Store, _ *releasekey.Private) error {
		_, _, err := compute(s, p, SaveOptions{At: at(0), By: kari})
		return err
	}
	reviewed := func(digest string) func(*Store, *releasekey.Private) error {
		return func(s *Store, _ *releasekey.Private) error {
			st := step(p, kari, 1)
			st.Digest = digest
			_, err := s.Attest(st)
			return err
		}
	}
	setups := map[string]func(*testing.T, *Store, *releasekey.Private){
		"none":     func(*testing.T, *Store, *releasekey.Private) {},
		"computed": func(t *testing.T, s *Store, _ *releasekey.Private) { computed(t, s, p) },
		"attested": func(t *testing.T, s *Store, key *releasekey.Private) {
			computed(t, s, p)
			require.NoError(t, attest(kari)(s, key))
		},
		"approved": func(t *testing.T, s *Store, _ *releasekey.Private) { approved(t, s, p) },
		"released": func(t *testing.T, s *Store, key *releasekey.Private) {
			approved(t, s, p)
			require.NoError(t, rel(per)(s, key))
		},
		"inputs changed": func(t *testing.T, s *Store, _ *releasekey.Private) {
			approved(t, s, p)
			importText(t, s, "list_counts.csv", "L9,2022-10-01,1\n")
		},
		"later released": func(t *testing.T, s *Store, key *releasekey.Private) {
			approved(t, s, "2022-10")
			_, err := release(s, "2022-10", per, key)
			require.NoError(t, err)
			approved(t, s, p)
		},
	}
	tests := []struct {
		state, name string
		do          func(*Store, *releasekey.Private) error
		want        error
		msg         string
	}{
		{"none", "attest", attest(kari), ErrNoRun, "no run of 2022-09 is stored"},
		{"none", "approve", approve(ola), ErrNoRun, "no run of 2022-09 is stored"},
		{"none", "release", rel(per), ErrNoRun, "no run of 2022-09 is stored"},
		{"computed", "attest without an account name", attest(Actor{UID: 1001, Name: " "}), ErrNoUser, "no user"},
		{"computed", "attest another digest than reviewed", reviewed("0123456789abcdef"), ErrDigestMismatch, "not the 0123456789abcdef you reviewed"},
		{"computed", "attest a digest too short to mean anything", reviewed("01"), ErrDigestMismatch, "you reviewed"},
		{"computed", "approve before attest", approve(ola), ErrNotAttested, "is not attested"},
		{"computed", "release before attest", rel(per), ErrNotApproved, "the run of 2022-09 is computed, not approved"},
		{"attested", "attest twice", attest(ola), ErrAlreadyAttested, "already attested by kari (uid 1001) at 2022-09-20T09:00:00Z"},
		{"attested", "same account approves", approve(kari), ErrSameApprover, "kari (uid 1001) attested the run of 2022-09 and cannot also approve it"},
		{"attested", "same uid under another name", approve(Actor{UID: 1001, Name: "kari2"}), ErrSameApprover, "cannot also approve it"},
		{"attested", "same name, other case and spaces", approve(Actor{UID: 2001, Name: " KARI "}), ErrSameApprover, "cannot also approve it"},
		{"attested", "release before approve", rel(per), ErrNotApproved, "is attested, not approved"},
		{"approved", "approve twice", approve(per), ErrAlreadyApproved, "already approved by ola (uid 1002)"},
		{"approved", "attest approved", attest(per), ErrAlreadyApproved, "already approved by ola"},
		{"approved", "recompute approved", recompute, ErrAlreadyApproved, "give --reopen"},
		{"approved", "attester releases", rel(kari), ErrSameReleaser, "kari (uid 1001) attested the run of 2022-09 and cannot also release it"},
		{"approved", "approver releases", rel(ola), ErrSameReleaser, "ola (uid 1002) approved the run of 2022-09 and cannot also release it"},
		{"approved", "release without a key", unsigned, ErrUnsigned, "no release key: give --key FILE or set PAYOUT_RELEASE_KEY"},
		{"released", "release twice", rel(per), ErrAlreadyReleased, "2022-09 was already released at 2022-09-20T11:00:00Z by per (uid 1003)"},
		{"released", "attest released", attest(kari), ErrAlreadyReleased, "already released at"},
		{"released", "approve released", approve(ola), ErrAlreadyReleased, "already released at"},
		{"released", "recompute released", recompute, ErrAlreadyReleased, "a released run is never changed"},
		{"inputs changed", "release", rel(per), ErrInputsChanged, "inputs changed since the run of 2022-09 was computed at 2022-09-20T08:00:00Z"},
		{"later released", "release out of order", rel(per), ErrLaterReleased, "2022-10 is released already, so 2022-09 can no longer be released"},
	}
	for _, tt := range tests {
		t.Run(tt.state+"/"+tt.name, func(t *testing.T) {
			s, _, key := world(t)
			importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\n")
			setups[tt.state](t, s, key)
			before, _ := s.Runs()
			events, _ := s.Events(p)
			err := tt.do(s, key)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "got %v", err)
			assert.Contains(t, err.Error(), tt.msg)
			after, _ := s.Runs()
			assert.Equal(t, before, after, "a refused transition changes nothing")
			eventsAfter, _ := s.Events(p)
			assert.Equal(t, events, eventsAfter, "and logs nothing")
		})
	}
}

// The policy may let the approver release (never the attester), and may
// allow unsigned releases.
func TestReleasePolicy(t *testing.T) {
	s, _, key := world(t)
	importText(t, s, "policy.json", `{"release_by_approver": true, "unsigned_releases": true}`)
	approved(t, s, "2022-09")
	_, err := release(s, "2022-09", kari, key)
	require.ErrorIs(t, err, ErrSameReleaser, "never the attester")
	rec, err := release(s, "2022-09", ola, nil)
	require.NoError(t, err, "the approver, unsigned")
	assert.False(t, rec.Signed())
	assert.Equal(t, ola, rec.ReleasedBy)
	rep, err := s.Check(nil)
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	assert.Equal(t, 1, rep.Unsigned)
}

func TestAttestAndApproveRefuseChangedInputs(t *testing.T) {
	for _, name := range []string{"attest", "approve"} {
		t.Run(name, func(t *testing.T) {
			s, _, _ := world(t)
			computed(t, s, "2022-09")
			if name == "approve" {
				_, err := s.Attest(step("2022-09", kari, 1))
				require.NoError(t, err)
			}
			importText(t, s, "list_counts.csv", "L1,2022-09-01,1400,2022-09-21\n")
			var err error
			if name == "attest" {
				_, err = s.Attest(step("2022-09", kari, 1))
			} else {
				_, err = s.Approve(step("2022-09", ola, 2))
			}
			assert.ErrorIs(t, err, ErrInputsChanged)
		})
	}
}

func TestRecomputeReplacesAndVoidsAttestation(t *testing.T) {
	s, _, _ := world(t)
	first := computed(t, s, "2022-09")
	_, err := s.Attest(step("2022-09", kari, 1))
	require.NoError(t, err)
	run := computedCount(t, s, "2022-09", 1200)
	assert.Equal(t, StatusComputed, run.Status)
	assert.Equal(t, Actor{UID: NoUID}, run.AttestedBy)
	assert.Equal(t, 2, run.Computations)
	assert.NotEqual(t, first.Digest, run.Digest)
	assert.True(t, run.Total.LessThan(first.Total))

	res, err := s.Result(run.ID)
	require.NoError(t, err)
	assert.Equal(t, run.Digest, payout.RunDigest(res))

	ev, err := s.Events("2022-09")
	require.NoError(t, err)
	require.Len(t, ev, 3)
	assert.Equal(t, []string{"compute", "attest", "compute"}, []string{ev[0].Action, ev[1].Action, ev[2].Action})
	assert.Contains(t, ev[2].Detail, "replaces the attested run")
	assert.Equal(t, first.Digest, ev[1].RunSHA256, "the attest event names the digest attested")
	assert.Equal(t, kari, ev[1].Actor)

	approved(t, s, "2022-10")
	_, _, err = compute(s, "2022-10", SaveOptions{At: at(0), By: kari, Reopen: true})
	require.NoError(t, err, "--reopen replaces an approved run")
}

// The pinned clock never stands in for the real time in the audit log.
func TestEventsRecordRealAndPinnedTime(t *testing.T) {
	s, _, _ := world(t)
	computed(t, s, "2022-09")
	pinned := time.Date(2019, 1, 1, 0, 0, 0, 0, time.UTC)
	_, err := s.Attest(Step{Period: payout.MustPeriod("2022-09"), By: kari, At: When{Real: t0, Pinned: pinned}})
	require.NoError(t, err)
	ev, err := s.Events("2022-09")
	require.NoError(t, err)
	last := ev[len(ev)-1]
	assert.Equal(t, t0, last.At)
	assert.Equal(t, pinned, last.Pinned)
	assert.Equal(t, time.Time{}, ev[0].Pinned, "an unpinned event has no pinned time")
}

func TestReleaseChainAndAsOf(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-08")
	r1, err := release(s, "2022-08", per, key)
	require.NoError(t, err)
	approved(t, s, "2022-09")
	r2, err := release(s, "2022-09", per, key)
	require.NoError(t, err)
	assert.Equal(t, "", r1.PreviousSHA256)
	assert.Equal(t, r1.ManifestSHA256, r2.PreviousSHA256)
	assert.Equal(t, r1.ChainSHA256, r2.PreviousChain)
	assert.Equal(t, key.ID(), r2.KeyID)
	assert.True(t, key.Public().Verify(r2.Statement(), r2.Signature))
	assert.Equal(t, "2022-09", StatementField(r2.Statement(), "period"))
	assert.Equal(t, r2.RunSHA256, StatementField(r2.Statement(), "run_sha256"))

	asOf, err := s.ReleasedAsOf()
	require.NoError(t, err)
	assert.Equal(t, map[payout.Period]payout.Date{
		payout.MustPeriod("2022-08"): payout.MustDate("2022-08-26"),
		payout.MustPeriod("2022-09"): payout.MustDate("2022-09-28"),
	}, asOf)

	rep, err := s.Check(releasekey.Ring{key.Public()})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	assert.Equal(t, CheckReport{Releases: 2, Signed: 2, Recomputed: 2, Files: 3, Events: rep.Events}, *rep)

	rep, err = s.Check(nil)
	require.NoError(t, err)
	require.Len(t, rep.Problems, 2, "without the public key the signatures prove nothing")
	assert.Contains(t, rep.Problems[0], "is signed by key "+key.ID()+", which is not among the trusted public keys")
}

func TestReleaseSignatureFileRoundTrip(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-09")
	rec, err := release(s, "2022-09", per, key)
	require.NoError(t, err)
	st, sig, err := ParseSignatureFile(rec.SignatureFile())
	require.NoError(t, err)
	assert.Equal(t, rec.Statement(), st)
	assert.True(t, key.Public().Verify(st, sig))
	_, _, err = ParseSignatureFile([]byte("hello\n"))
	assert.Error(t, err)
}

func TestReleaseStageFailureRecordsNothing(t *testing.T) {
	s, _, key := world(t)
	approved(t, s, "2022-09")
	_, err := s.Release(ReleaseRequest{Period: payout.MustPeriod("2022-09"), By: per, At: at(3), Key: key,
		Stage: func(*payout.Result, *payout.Inputs, *Release) (string, error) { return "", errors.New("disk full") }})
	require.EqualError(t, err, "disk full")
	run, err := s.Run(payout.MustPeriod("2022-09"))
	require.NoError(t, err)
	assert.Equal(t, StatusApproved, run.Status)
	assert.Nil(t, run.Release)
}

// Concurrent releases of one period from separate connections: exactly one
// wins, the others are told when and by whom.
func TestConcurrentReleasesOneWins(t *testing.T) {
	s, path, key := world(t)
	approved(t, s, "2022-09")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Go(func() {
			other, err := Open(path, fakeParse)
			if err != nil {
				errs[i] = err
				return
			}
			defer other.Close()
			_, errs[i] = release(other, "2022-09", per, key)
		})
	}
	wg.Wait()
	wins := 0
	for _, err := range errs {
		if err == nil {
			wins++
			continue
		}
		assert.ErrorIs(t, err, ErrAlreadyReleased)
	}
	assert.Equal(t, 1, wins)
	rels, err := s.Releases()
	require.NoError(t, err)
	assert.Len(t, rels, 1)
}

// A released run's result is as immutable as its row, lines and payments:
// the store's own rules (SQLite's triggers, PostgreSQL's) refuse to
// change, replace or remove it, and the run's earlier result is unchanged.
func TestReleasedResultIsImmutable(t *testing.T) {
	s, _, key := world(t)
	twoReleases(t, s, key)
	run, err := s.Run(payout.MustPeriod("2022-08"))
	require.NoError(t, err)
	before, err := s.Result(run.ID)
	require.NoError(t, err)
	refused := []string{
		`UPDATE run_results SET result = ? WHERE run_id = ?`,
		`INSERT INTO run_results (run_id, result) VALUES (?, ?) ON CONFLICT (run_id) DO UPDATE SET result = excluded.result`,
		`DELETE FROM run_results WHERE run_id = ?`,
	}
	if !s.pg {
		// REPLACE deletes the old row without its delete trigger.
		refused = append(refused, `INSERT OR REPLACE INTO run_results (run_id, result) VALUES (?, ?)`)
	}
	for _, stmt := range refused {
		args := []any{run.ID, []byte(`{}`)}
		if strings.HasPrefix(stmt, "UPDATE") {
			args = []any{[]byte(`{}`), run.ID}
		} else if strings.HasPrefix(stmt, "DELETE") {
			args = args[:1]
		}
		_, err := s.db.Exec(stmt, args...)
		assert.ErrorContains(t, err, "a released run is immutable", stmt)
	}
	after, err := s.Result(run.ID)
	require.NoError(t, err)
	assert.Equal(t, payout.RunDigest(before), payout.RunDigest(after))
	rep, err := s.Check(releasekey.Ring{key.Public()})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
}
