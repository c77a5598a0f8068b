package store

import (
	"encoding/json"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
)

// The attacks of issue 10, made as someone with write access to the store
// file would make them: SQL through database/sql, the triggers dropped
// first. Each must now fail safely: nothing is released, or Check finds it.

// dropTriggers removes every trigger that guards the store.
func dropTriggers(t *testing.T, s *Store) {
	t.Helper()
	if s.pg {
		// The administrator (the table owner) switches them off.
		var tables []string
		require.NoError(t, s.db.Select(&tables, `SELECT tablename FROM pg_tables WHERE schemaname = current_schema()`))
		for _, tb := range tables {
			_, err := s.db.Exec(`ALTER TABLE ` + tb + ` DISABLE TRIGGER USER`)
			require.NoError(t, err)
		}
		_, _ = s.db.Exec(`ALTER TABLE events DROP CONSTRAINT events_hashed`)
		return
	}
	var names []string
	require.NoError(t, s.db.Select(&names, `SELECT name FROM sqlite_master WHERE type = 'trigger'`))
	for _, n := range names {
		_, err := s.db.Exec(`DROP TRIGGER ` + n)
		require.NoError(t, err)
	}
}

// Attacks before the release: the release refuses, and records nothing.
func TestReleaseRefusesATamperedStore(t *testing.T) {
	attacks := []struct {
		name   string
		before func(t *testing.T, s *Store) // on a store with 2022-09 computed
		tamper func(t *testing.T, s *Store)
		want   error
		msg    string
	}{
		{name: "computed run set to approved with no attest or approve event",
			tamper: func(t *testing.T, s *Store) {
				mustExec(t, s, `UPDATE runs SET status = 'approved', attested_by = 'kari', attested_uid = 1001, approved_by = 'ola', approved_uid = 1002`)
			},
			want: ErrInconsistent, msg: "the audit log holds no attest event for this run"},
		{name: "result +1 000 000 kr with its SHA-256 recomputed",
			before: approve, tamper: func(t *testing.T, s *Store) { inflateResult(t, s, "1000000") },
			want: ErrInconsistent, msg: "the stored result of 2022-09 is not the run attested and approved"},
		{name: "result removed",
			before: approve, tamper: func(t *testing.T, s *Store) { mustExec(t, s, `DELETE FROM run_results`) },
			want: ErrInconsistent, msg: "the stored result of 2022-09 is not the run attested and approved"},
		{name: "result and digest changed together",
			before: approve, tamper: func(t *testing.T, s *Store) {
				inflateResult(t, s, "1000000")
				mustExec(t, s, `UPDATE runs SET digest = 'ffff'`)
			},
			want: ErrInconsistent, msg: "its last compute event in the audit log names another run"},
		{name: "another account number for the payee in the stored input",
			before: approve, tamper: func(t *testing.T, s *Store) {
				mustExec(t, s, `UPDATE files SET data = CAST(replace(CAST(data AS TEXT), '1500', '9500') AS BLOB) WHERE name LIKE 'list_counts%'`)
			},
			want: ErrInconsistent, msg: "is not the file imported"},
		{name: "input byte flipped with its digest recomputed",
			before: approve, tamper: func(t *testing.T, s *Store) {
				data := []byte("L1,2022-09-01,9500\n")
				mustExec(t, s, `UPDATE files SET data = ?, sha256 = ? WHERE name LIKE 'list_counts%'`, data, sha(data))
			},
			want: ErrInconsistent, msg: "has no import event: it was added outside payout"},
		{name: "attest event rewritten to another account",
			before: approve, tamper: func(t *testing.T, s *Store) {
				mustExec(t, s, `UPDATE events SET "user" = 'ola2', uid = 1102 WHERE action = 'attest'`)
			},
			want: ErrInconsistent, msg: "does not match its chain hash"},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			s, _, key := world(t)
			computed(t, s, "2022-09")
			if a.before != nil {
				a.before(t, s)
			}
			dropTriggers(t, s)
			a.tamper(t, s)
			_, err := release(s, "2022-09", per, key)
			require.Error(t, err)
			assert.ErrorIs(t, err, a.want)
			assert.Contains(t, err.Error(), a.msg)
			rels, err := s.Releases()
			require.NoError(t, err)
			assert.Empty(t, rels, "nothing is released")
		})
	}
}

func approve(t *testing.T, s *Store) {
	_, err := s.Attest(step("2022-09", kari, 1))
	require.NoError(t, err)
	_, err = s.Approve(step("2022-09", ola, 2))
	require.NoError(t, err)
}

func mustExec(t *testing.T, s *Store, stmt string, args ...any) {
	t.Helper()
	if s.pg {
		stmt = pgAttack.Replace(stmt)
	}
	_, err := s.db.Exec(stmt, args...)
	require.NoError(t, err, stmt)
}

// inflateResult adds kr to the first payment and the total of the stored
// result of 2022-09 and recomputes the stored SHA-256, as an attacker would.
func inflateResult(t *testing.T, s *Store, kr string) {
	var blob []byte
	require.NoError(t, s.db.Get(&blob, `SELECT result FROM run_results WHERE run_id = (SELECT id FROM runs WHERE period = '2022-09')`))
	var res payout.Result
	require.NoError(t, json.Unmarshal(blob, &res))
	add := decimal.RequireFromString(kr)
	res.Payments[0].Amount = res.Payments[0].Amount.Add(add)
	res.Total = res.Total.Add(add)
	blob, err := json.Marshal(&res)
	require.NoError(t, err)
	mustExec(t, s, `UPDATE run_results SET result = ? WHERE run_id = (SELECT id FROM runs WHERE period = '2022-09')`, blob)
	mustExec(t, s, `UPDATE runs SET result_sha256 = ? WHERE period = '2022-09'`, sha(blob))
}

// Attacks after the release: Check (status --check) finds every one.
func TestCheckFindsTamperingAfterRelease(t *testing.T) {
	tamper := map[string]string{
		"release time":         `UPDATE releases SET released_at = '2022-08-01T00:00:00Z' WHERE period = '2022-08'`,
		"manifest digest":      `UPDATE releases SET manifest_sha256 = 'aaaa' WHERE period = '2022-08'`,
		"last releaser":        `UPDATE releases SET released_by = 'mallory' WHERE period = '2022-09'`,
		"released total":       `UPDATE releases SET total = '9999999.00' WHERE period = '2022-09'`,
		"released result":      `UPDATE run_results SET result = replace(result, '1', '9') WHERE run_id = (SELECT id FROM runs WHERE period = '2022-08')`,
		"released result gone": `DELETE FROM run_results WHERE run_id = (SELECT id FROM runs WHERE period = '2022-08')`,
		"removed last":         `DELETE FROM releases WHERE period = '2022-09'`,
		"middle removed":       `DELETE FROM releases WHERE period = '2022-08'`,
		"input file bytes":     `UPDATE files SET data = CAST('L1,2022-09-01,9999' AS BLOB) WHERE name LIKE 'list_counts_2022-09%'`,
		"event changed":        `UPDATE events SET detail = 'nothing to see' WHERE action = 'approve' AND period = '2022-08'`,
		"event removed":        `DELETE FROM events WHERE action = 'attest' AND period = '2022-08'`,
		"signature removed":    `UPDATE releases SET signature = '', key_id = '' WHERE period = '2022-09'`,
		"run files changed":    `DELETE FROM run_files WHERE run_id = (SELECT id FROM runs WHERE period = '2022-09') AND file_id = 1`,
		"run set back":         `UPDATE runs SET status = 'approved' WHERE period = '2022-09'`,
		"unknown file added":   `INSERT INTO files (id, import_id, name, path, kind, sha256, rows, bytes, data) VALUES (99, 1, 'x.csv', 'x.csv', 'list_counts', 'abc', 0, 0, '')`,
		"released run digest":  `UPDATE runs SET digest = 'abc' WHERE period = '2022-08'`,
	}
	for name, stmt := range tamper {
		t.Run(name, func(t *testing.T) {
			s, _, key := world(t)
			twoReleases(t, s, key)
			ring := releasekey.Ring{key.Public()}
			rep, err := s.Check(ring)
			require.NoError(t, err)
			require.Empty(t, rep.Problems)

			dropTriggers(t, s)
			mustExec(t, s, stmt)
			rep, err = s.Check(ring)
			require.NoError(t, err)
			assert.NotEmpty(t, rep.Problems)
		})
	}
}

func twoReleases(t *testing.T, s *Store, key *releasekey.Private) {
	t.Helper()
	approved(t, s, "2022-08")
	_, err := release(s, "2022-08", per, key)
	require.NoError(t, err)
	approved(t, s, "2022-09")
	_, err = release(s, "2022-09", per, key)
	require.NoError(t, err)
}

// The whole chain rewritten end to end (every statement, chain hash and
// event hash recomputed): without the key the releases are unsigned, which
// their policy does not allow; with another key they are signed by a key
// the auditor does not trust.
func TestCheckFindsARewrittenChain(t *testing.T) {
	for _, withKey := range []bool{false, true} {
		name := map[bool]string{false: "without a key", true: "with the attacker's own key"}[withKey]
		t.Run(name, func(t *testing.T) {
			s, _, key := world(t)
			twoReleases(t, s, key)
			var forger *releasekey.Private
			if withKey {
				var err error
				forger, err = releasekey.Generate(t.TempDir(), nil)
				require.NoError(t, err)
			}
			dropTriggers(t, s)
			rewriteChain(t, s, forger)
			rep, err := s.Check(releasekey.Ring{key.Public()})
			require.NoError(t, err)
			require.Len(t, rep.Problems, 2, "%v", rep.Problems)
			if withKey {
				assert.Contains(t, rep.Problems[0], "is signed by key "+forger.ID()+", which is not among the trusted public keys")
			} else {
				assert.Contains(t, rep.Problems[0], "carries no signature, and its policy does not allow unsigned releases")
			}
			// The attacker's own key makes the rewritten chain look fine
			// only to someone who trusts that key.
			if withKey {
				rep, err = s.Check(releasekey.Ring{forger.Public()})
				require.NoError(t, err)
				assert.Empty(t, rep.Problems)
			}
		})
	}
}

// rewriteChain changes the first release's releaser and re-derives every
// hash after it, as a careful attacker would.
func rewriteChain(t *testing.T, s *Store, key *releasekey.Private) {
	mustExec(t, s, `UPDATE releases SET released_by = 'mallory', released_uid = 666`)
	mustExec(t, s, `UPDATE events SET "user" = 'mallory', uid = 666 WHERE action = 'release'`)
	rehashEvents(t, s)
	heads, err := s.eventHeads()
	require.NoError(t, err)
	rels, err := s.Releases()
	require.NoError(t, err)
	prev := ""
	for i := range rels {
		r := &rels[i]
		r.PreviousChain, r.EventsSHA256, r.KeyID, r.Signature = prev, heads[r.Period.String()], "", ""
		if key != nil {
			r.KeyID = key.ID()
		}
		r.Seal(key)
		mustExec(t, s, `UPDATE releases SET previous_chain = ?, events_sha256 = ?, key_id = ?, signature = ?, chain_sha256 = ? WHERE id = ?`,
			r.PreviousChain, r.EventsSHA256, r.KeyID, r.Signature, r.ChainSHA256, r.ID)
		prev = r.ChainSHA256
	}
}

func rehashEvents(t *testing.T, s *Store) {
	var rows []eventRow
	require.NoError(t, s.db.Select(&rows, `SELECT `+eventColumns+` FROM events ORDER BY id`))
	prev := ""
	for _, r := range rows {
		h := r.chainHash(prev)
		mustExec(t, s, `UPDATE events SET hash = ? WHERE id = ?`, h, r.ID)
		prev = h
	}
}

// A release is checkpointed into the main file when it commits: the store
// file alone, as it is when its -wal file is deleted (or lost with a
// crash), still holds the release, so the period is not releasable again.
func TestReleaseSurvivesALostWAL(t *testing.T) {
	s, path, key := world(t)
	// A second connection keeps SQLite from checkpointing on close by
	// itself: only the release's own checkpoint can put it in the file.
	other, err := Open(path, fakeParse)
	require.NoError(t, err)
	defer other.Close()
	_, err = other.Runs()
	require.NoError(t, err)
	approved(t, s, "2022-09")
	_, err = release(s, "2022-09", per, key)
	require.NoError(t, err)

	data, err := os.ReadFile(path)
	require.NoError(t, err)
	lost := filepath.Join(t.TempDir(), "payout.db")
	require.NoError(t, os.WriteFile(lost, data, 0o600)) // the file without its -wal
	copied, err := Open(lost, fakeParse)
	require.NoError(t, err)
	defer copied.Close()
	run, err := copied.Run(payout.MustPeriod("2022-09"))
	require.NoError(t, err)
	require.NotNil(t, run.Release, "the release is in the main file")
	_, err = release(copied, "2022-09", per, key)
	assert.ErrorIs(t, err, ErrAlreadyReleased)
}
