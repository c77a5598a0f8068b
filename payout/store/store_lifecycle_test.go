package store

import (
	"errors"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// Every refused transition, with the sentence the user sees.
func TestRefusedTransitions(t *testing.T) {
	const p = "2022-09"
	per := payout.MustPeriod(p)
	attest := func(user string) func(*Store) error {
		return func(s *Store) error { _, err := s.Attest(per, user, t0); return err }
	}
	approve := func(user string) func(*Store) error {
		return func(s *Store) error { _, err := s.Approve(per, user, t0); return err }
	}
	rel := func(s *Store) error { _, err := release(s, p, "per"); return err }
	recompute := func(s *Store) error {
		st, _ := s.State()
		_, _, err := s.SaveRun(result(p, "1.00"), st, SaveOptions{At: t0})
		return err
	}
	setups := map[string]func(*testing.T, *Store){
		"none":     func(*testing.T, *Store) {},
		"computed": func(t *testing.T, s *Store) { computed(t, s, p, "100.00") },
		"attested": func(t *testing.T, s *Store) {
			computed(t, s, p, "100.00")
			require.NoError(t, attest("kari")(s))
		},
		"approved": func(t *testing.T, s *Store) { approved(t, s, p, "100.00") },
		"released": func(t *testing.T, s *Store) {
			approved(t, s, p, "100.00")
			require.NoError(t, rel(s))
		},
		"inputs changed": func(t *testing.T, s *Store) {
			approved(t, s, p, "100.00")
			importText(t, s, "list_counts.csv", "L9,2022-10-01,1\n")
		},
		"later released": func(t *testing.T, s *Store) {
			approved(t, s, "2022-10", "1.00")
			require.NoError(t, func() error { _, err := release(s, "2022-10", "per"); return err }())
			approved(t, s, p, "100.00")
		},
	}
	tests := []struct {
		state, name string
		do          func(*Store) error
		want        error
		msg         string
	}{
		{"none", "attest", attest("kari"), ErrNoRun, "no run of 2022-09 is stored"},
		{"none", "approve", approve("ola"), ErrNoRun, "no run of 2022-09 is stored"},
		{"none", "release", rel, ErrNoRun, "no run of 2022-09 is stored"},
		{"computed", "attest without user", attest(" "), ErrNoUser, "--user NAME is required"},
		{"computed", "approve before attest", approve("ola"), ErrNotAttested, "is not attested"},
		{"computed", "release before attest", rel, ErrNotApproved, "the run of 2022-09 is computed, not approved"},
		{"attested", "attest twice", attest("ola"), ErrAlreadyAttested, "already attested by kari at 2022-09-20T08:00:00Z"},
		{"attested", "same person approves", approve("kari"), ErrSameApprover, "kari attested the run of 2022-09 and cannot also approve it"},
		{"attested", "same person, other case and spaces", approve(" KARI "), ErrSameApprover, "cannot also approve it"},
		{"attested", "release before approve", rel, ErrNotApproved, "is attested, not approved"},
		{"approved", "approve twice", approve("per"), ErrAlreadyApproved, "already approved by ola"},
		{"approved", "attest approved", attest("per"), ErrAlreadyApproved, "already approved by ola"},
		{"approved", "recompute approved", recompute, ErrAlreadyApproved, "give --reopen"},
		{"released", "release twice", rel, ErrAlreadyReleased, "2022-09 was already released at 2022-09-20T11:00:00Z by per"},
		{"released", "attest released", attest("kari"), ErrAlreadyReleased, "already released at"},
		{"released", "approve released", approve("ola"), ErrAlreadyReleased, "already released at"},
		{"released", "recompute released", recompute, ErrAlreadyReleased, "a released run is never changed"},
		{"inputs changed", "release", rel, ErrInputsChanged, "inputs changed since the run of 2022-09 was computed at 2022-09-20T08:00:00Z"},
		{"later released", "release out of order", rel, ErrLaterReleased, "2022-10 is released already, so 2022-09 can no longer be released"},
	}
	for _, tt := range tests {
		t.Run(tt.state+"/"+tt.name, func(t *testing.T) {
			s, _ := openTest(t)
			importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\n")
			setups[tt.state](t, s)
			before, _ := s.Runs()
			err := tt.do(s)
			require.Error(t, err)
			assert.True(t, errors.Is(err, tt.want), "got %v", err)
			assert.Contains(t, err.Error(), tt.msg)
			after, _ := s.Runs()
			assert.Equal(t, before, after, "a refused transition changes nothing")
		})
	}
}

func TestAttestAndApproveRefuseChangedInputs(t *testing.T) {
	for _, step := range []string{"attest", "approve"} {
		t.Run(step, func(t *testing.T) {
			s, _ := openTest(t)
			importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\n")
			computed(t, s, "2022-09", "100.00")
			if step == "approve" {
				_, err := s.Attest(payout.MustPeriod("2022-09"), "kari", t0)
				require.NoError(t, err)
			}
			importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\nL1,2022-09-01,1400,2022-09-21\n")
			var err error
			if step == "attest" {
				_, err = s.Attest(payout.MustPeriod("2022-09"), "kari", t0)
			} else {
				_, err = s.Approve(payout.MustPeriod("2022-09"), "ola", t0)
			}
			assert.ErrorIs(t, err, ErrInputsChanged)
		})
	}
}

func TestRecomputeReplacesAndVoidsAttestation(t *testing.T) {
	s, _ := openTest(t)
	computed(t, s, "2022-09", "100.00")
	_, err := s.Attest(payout.MustPeriod("2022-09"), "kari", t0)
	require.NoError(t, err)
	st, _ := s.State()
	run, replaced, err := s.SaveRun(result("2022-09", "90.00"), st, SaveOptions{At: t0.Add(time.Hour)})
	require.NoError(t, err)
	assert.Equal(t, StatusAttested, replaced)
	assert.Equal(t, StatusComputed, run.Status)
	assert.Equal(t, "", run.AttestedBy)
	assert.Equal(t, 2, run.Computations)
	assert.Equal(t, "90", run.Total.String())

	res, err := s.Result(run.ID)
	require.NoError(t, err)
	assert.Equal(t, result("2022-09", "90.00").Payments[0].Amount.String(), res.Payments[0].Amount.String())

	ev, err := s.Events("2022-09")
	require.NoError(t, err)
	require.Len(t, ev, 3)
	assert.Equal(t, []string{"compute", "attest", "compute"}, []string{ev[0].Action, ev[1].Action, ev[2].Action})
	assert.Contains(t, ev[2].Detail, "replaces the attested run")

	approved(t, s, "2022-10", "1.00")
	_, _, err = s.SaveRun(result("2022-10", "2.00"), st, SaveOptions{At: t0, Reopen: true})
	require.NoError(t, err, "--reopen replaces an approved run")
}

func TestReleaseChainAndAsOf(t *testing.T) {
	s, _ := openTest(t)
	approved(t, s, "2022-08", "100.00")
	r1, err := release(s, "2022-08", "per")
	require.NoError(t, err)
	approved(t, s, "2022-09", "100.00")
	r2, err := release(s, "2022-09", "per")
	require.NoError(t, err)
	assert.Equal(t, "", r1.PreviousSHA256)
	assert.Equal(t, r1.ManifestSHA256, r2.PreviousSHA256)

	asOf, err := s.ReleasedAsOf()
	require.NoError(t, err)
	assert.Equal(t, map[payout.Period]payout.Date{
		payout.MustPeriod("2022-08"): payout.MustDate("2022-08-26"),
		payout.MustPeriod("2022-09"): payout.MustDate("2022-09-28"),
	}, asOf)

	problems, err := s.Check()
	require.NoError(t, err)
	assert.Empty(t, problems)
}

func TestReleaseStageFailureRecordsNothing(t *testing.T) {
	s, _ := openTest(t)
	approved(t, s, "2022-09", "100.00")
	_, err := s.Release(ReleaseRequest{Period: payout.MustPeriod("2022-09"), User: "per", At: t0,
		Stage: func(*Run, *Release) (string, error) { return "", errors.New("disk full") }})
	require.EqualError(t, err, "disk full")
	run, err := s.Run(payout.MustPeriod("2022-09"))
	require.NoError(t, err)
	assert.Equal(t, StatusApproved, run.Status)
	assert.Nil(t, run.Release)
}

// Concurrent releases of one period from separate connections: exactly one
// wins, the others are told when and by whom.
func TestConcurrentReleasesOneWins(t *testing.T) {
	s, path := openTest(t)
	approved(t, s, "2022-09", "100.00")
	const n = 8
	errs := make([]error, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			other, err := Open(path, fakeParse)
			if err != nil {
				errs[i] = err
				return
			}
			defer other.Close()
			_, errs[i] = release(other, "2022-09", "per")
		}()
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

// Tampering with the store outside payout (the triggers dropped first, as
// an attacker with the file would) is found by Check.
func TestCheckDetectsTampering(t *testing.T) {
	tamper := map[string]string{
		"release time":     `UPDATE releases SET released_at = '2022-08-01T00:00:00Z' WHERE period = '2022-08'`,
		"manifest digest":  `UPDATE releases SET manifest_sha256 = 'aaaa' WHERE period = '2022-08'`,
		"last release":     `UPDATE releases SET released_by = 'mallory' WHERE period = '2022-09'`,
		"released result":  `UPDATE runs SET result = replace(result, '100', '900') WHERE period = '2022-08'`,
		"removed release":  `DELETE FROM releases WHERE period = '2022-09'`,
		"middle removed":   `DELETE FROM releases WHERE period = '2022-08'`,
		"input file bytes": `UPDATE files SET data = 'L1,2022-09-01,9999' WHERE id = 1`,
	}
	for name, stmt := range tamper {
		t.Run(name, func(t *testing.T) {
			s, _ := openTest(t)
			importText(t, s, "list_counts.csv", "L1,2022-09-01,1500\n")
			approved(t, s, "2022-08", "100.00")
			_, err := release(s, "2022-08", "per")
			require.NoError(t, err)
			approved(t, s, "2022-09", "100.00")
			_, err = release(s, "2022-09", "per")
			require.NoError(t, err)

			_, err = s.db.Exec(stmt)
			require.Error(t, err, "the triggers refuse it")
			for _, tr := range []string{"releases_no_update", "releases_no_delete", "runs_released_no_update", "files_no_update"} {
				_, err := s.db.Exec(`DROP TRIGGER ` + tr)
				require.NoError(t, err)
			}
			_, err = s.db.Exec(stmt)
			require.NoError(t, err)
			problems, err := s.Check()
			require.NoError(t, err)
			assert.NotEmpty(t, problems)
		})
	}
}
