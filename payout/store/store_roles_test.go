package store

import (
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"

	"github.com/jmoiron/sqlx"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout/releasekey"
	"github.com/oslokommune/payout/payout/store/pgtest"
)

// The server's rules of issue 12, tested with real PostgreSQL login roles:
// each clerk connects as themself, and what payout's Go code refuses the
// server refuses too, even to a hand-written SQL session.

// pgClerks is a PostgreSQL store and three clerks with login roles of their
// own: kari imports, runs and attests, ola approves, per releases.
type pgClerks struct {
	url            string // the administrator's
	kari, ola, per *Store
	urls           map[string]string // login role name → its URL
	key            *releasekey.Private
}

func newPGClerks(t *testing.T) *pgClerks {
	t.Helper()
	url, _ := pgtest.Schema(t)
	admin, err := Create(url, fakeParse, CreateOptions{GID: NoGroup})
	require.NoError(t, err)
	admin.Close()
	c := &pgClerks{url: url, urls: map[string]string{}}
	c.kari = c.clerk(t, "kari_", RoleImporter, RolePreparer, RoleAttester)
	c.ola = c.clerk(t, "ola_", RoleApprover)
	c.per = c.clerk(t, "per_", RoleReleaser)
	c.key, err = releasekey.Generate(t.TempDir(), nil)
	require.NoError(t, err)
	return c
}

// clerk makes a login role holding roles and opens the store as it.
func (c *pgClerks) clerk(t *testing.T, prefix string, roles ...string) *Store {
	t.Helper()
	name := pgtest.Unique(prefix)
	c.urls[name] = pgtest.Login(t, c.url, name, roles...)
	s, err := Open(c.urls[name], fakeParse)
	require.NoError(t, err)
	t.Cleanup(func() { s.Close() })
	return s
}

func who(t *testing.T, s *Store) Actor {
	a, ok := s.SessionActor()
	require.True(t, ok)
	return a
}

// approvedAs brings p to approved: computed and attested by kari, approved
// by ola, each from their own session.
func (c *pgClerks) approvedAs(t *testing.T, p string) *Run {
	t.Helper()
	importAs(t, c.kari, "base.csv", "base")
	importAs(t, c.kari, "list_counts_"+p+".csv", "L1,"+p+"-01,1500\n")
	_, _, err := compute(c.kari, p, SaveOptions{At: at(0), By: who(t, c.kari)})
	require.NoError(t, err)
	_, err = c.kari.Attest(step(p, who(t, c.kari), 1))
	require.NoError(t, err)
	run, err := c.ola.Approve(step(p, who(t, c.ola), 2))
	require.NoError(t, err)
	return run
}

func importAs(t *testing.T, s *Store, name, text string) {
	t.Helper()
	_, err := s.Import([]File{{Path: "in/" + name, Data: []byte(text)}}, who(t, s), at(0))
	require.NoError(t, err)
}

// raw is a hand-written SQL session as the login role name (no payout code).
func (c *pgClerks) raw(t *testing.T, name string) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("pgx", c.urls[name])
	require.NoError(t, err)
	t.Cleanup(func() { db.Close() })
	return db
}

// A whole month by three people from three sessions, and each step refused
// to a session without its role, naming the role.
func TestPostgresRoles(t *testing.T) {
	pgtest.Server(t)
	c := newPGClerks(t)
	const p = "2022-09"
	// ola holds only the approver's role: everything else is refused.
	_, err := c.ola.Import([]File{{Path: "in/base.csv", Data: []byte("base")}}, who(t, c.ola), at(0))
	assert.ErrorIs(t, err, ErrNoRole)
	assert.ErrorContains(t, err, "does not hold the PostgreSQL role payout_importer")
	importAs(t, c.kari, "base.csv", "base")
	importAs(t, c.kari, "list_counts_"+p+".csv", "L1,"+p+"-01,1500\n")
	_, _, err = compute(c.ola, p, SaveOptions{At: at(0), By: who(t, c.ola)})
	assert.ErrorContains(t, err, "payout_preparer")
	_, _, err = compute(c.kari, p, SaveOptions{At: at(0), By: who(t, c.kari)})
	require.NoError(t, err)
	_, err = c.ola.Attest(step(p, who(t, c.ola), 1))
	assert.ErrorContains(t, err, "payout_attester")
	_, err = c.kari.Attest(step(p, who(t, c.kari), 1))
	require.NoError(t, err)
	_, err = c.kari.Approve(step(p, who(t, c.kari), 2))
	assert.ErrorContains(t, err, "payout_approver")
	_, err = c.ola.Approve(step(p, who(t, c.ola), 2))
	require.NoError(t, err)
	_, err = release(c.ola, p, who(t, c.ola), c.key)
	assert.ErrorContains(t, err, "payout_releaser")
	rel, err := release(c.per, p, who(t, c.per), c.key)
	require.NoError(t, err)
	assert.Equal(t, who(t, c.per).Name, rel.ReleasedBy.Name)
	evs, err := c.per.Events(p)
	require.NoError(t, err)
	var names []string
	for _, e := range evs {
		names = append(names, e.Action+" "+e.Actor.Name)
	}
	k, o, r := who(t, c.kari).Name, who(t, c.ola).Name, who(t, c.per).Name
	assert.Equal(t, []string{"compute " + k, "attest " + k, "approve " + o, "release " + r}, names)

	// The auditor reads and checks, and writes nothing.
	name := pgtest.Unique("eva_")
	c.urls[name] = pgtest.Login(t, c.url, name, RoleAuditor)
	ro, err := OpenReadOnly(c.urls[name], fakeParse)
	require.NoError(t, err)
	defer ro.Close()
	rep, err := ro.Check([]*releasekey.Public{c.key.Public()})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	_, err = ro.Import([]File{{Path: "in/x.csv", Data: []byte("L1,2022-10-01,1\n")}}, who(t, ro), at(0))
	assert.ErrorContains(t, err, "payout_importer")
	// A store whose schema is older than payout's: a clerk cannot upgrade
	// it (only the owner changes the schema), the owner's session does.
	admin := pgtest.Admin(t)
	_, err = admin.Exec(`DELETE FROM ` + pgtest.SchemaOf(c.url) + `.schema_migrations WHERE name LIKE '%rules.sql%'`)
	require.NoError(t, err)
	_, err = Open(c.urls[name], fakeParse)
	assert.ErrorContains(t, err, "only its owner may change the schema")
	up, err := Open(c.url, fakeParse)
	require.NoError(t, err)
	up.Close()
	again, err := Open(c.urls[name], fakeParse)
	require.NoError(t, err)
	again.Close()
	// An administrator who is no superuser, owning the store's schema,
	// makes the store and opens it to upgrade it.
	dba := pgtest.Unique("dba_")
	dbaURL := pgtest.Login(t, c.url, dba)
	_, err = admin.Exec(`ALTER ROLE ` + dba + ` CREATEROLE`)
	require.NoError(t, err)
	own := pgtest.Unique("t_")
	_, err = admin.Exec(`CREATE SCHEMA ` + own + ` AUTHORIZATION ` + dba)
	require.NoError(t, err)
	t.Cleanup(func() { _, _ = admin.Exec(`DROP SCHEMA ` + own + ` CASCADE`) })
	made, err := Create(pgtest.WithSchema(dbaURL, own), fakeParse, CreateOptions{GID: NoGroup})
	require.NoError(t, err)
	made.Close()
	reopened, err := Open(pgtest.WithSchema(dbaURL, own), fakeParse)
	require.NoError(t, err)
	reopened.Close()
	// Without any payout role there is nothing to read.
	none := pgtest.Unique("mallory_")
	_, err = OpenReadOnly(pgtest.Login(t, c.url, none), fakeParse)
	assert.ErrorContains(t, err, "does not hold the PostgreSQL role payout_auditor")
}

// What the Go code refuses, the server refuses to raw SQL too.
func TestPostgresServerRefusesRawSQL(t *testing.T) {
	pgtest.Server(t)
	c := newPGClerks(t)
	const p = "2022-09"
	importAs(t, c.kari, "base.csv", "base")
	importAs(t, c.kari, "list_counts_"+p+".csv", "L1,"+p+"-01,1500\n")
	_, _, err := compute(c.kari, p, SaveOptions{At: at(0), By: who(t, c.kari)})
	require.NoError(t, err)
	k, o, r := who(t, c.kari).Name, who(t, c.ola).Name, who(t, c.per).Name
	// Attesting as someone else, or an approval before the attest.
	kari := c.raw(t, k)
	_, err = kari.Exec(`UPDATE runs SET status = 'attested', attested_by = $1`, o)
	assert.ErrorContains(t, err, "but the session is "+k)
	ola := c.raw(t, o)
	_, err = ola.Exec(`UPDATE runs SET status = 'approved', approved_by = $1`, o)
	assert.ErrorContains(t, err, "only an attested run is approved")
	_, err = c.kari.Attest(step(p, who(t, c.kari), 1))
	require.NoError(t, err)

	// The attester approving: refused by the server even with the
	// approver's role (the administrator grants kari it too).
	admin := pgtest.Admin(t)
	_, err = admin.Exec(`GRANT payout_approver TO ` + k)
	require.NoError(t, err)
	_, err = kari.Exec(`UPDATE runs SET status = 'approved', approved_by = $1`, k)
	assert.ErrorContains(t, err, "cannot also approve it (two-person rule)")
	_, err = ola.Exec(`UPDATE runs SET status = 'approved', approved_by = $1`, r)
	assert.ErrorContains(t, err, "but the session is "+o, "ola cannot record per as the approver")
	// The approver may not change what was computed or attested.
	_, err = ola.Exec(`UPDATE runs SET total = '1.00'`)
	assert.ErrorContains(t, err, "permission denied")

	// A release of a run that is not approved.
	per := c.raw(t, r)
	insertRelease := fmt.Sprintf(`INSERT INTO releases (id, run_id, period, released_at, released_by, attested_by, approved_by, msg_id,
		manifest_sha256, previous_sha256, result_sha256, chain_sha256, run_sha256)
		SELECT 1, id, period, 'now', '%s', attested_by, approved_by, 'M', 'm', '', 'r', 'c', digest FROM runs`, r)
	_, err = per.Exec(insertRelease)
	assert.ErrorContains(t, err, "is not approved: nothing is released")
	_, err = c.ola.Approve(step(p, who(t, c.ola), 2))
	require.NoError(t, err)
	_, err = per.Exec(`UPDATE runs SET status = 'released'`)
	assert.ErrorContains(t, err, "only an approved run is released, with its release record")

	// The audit log: no UPDATE or DELETE granted, and the triggers refuse
	// even the tables' owner; no event in another's name.
	for _, db := range []*sqlx.DB{kari, ola, per} {
		_, err = db.Exec(`UPDATE events SET detail = 'x'`)
		assert.ErrorContains(t, err, "permission denied")
		_, err = db.Exec(`DELETE FROM events`)
		assert.ErrorContains(t, err, "permission denied")
		_, err = db.Exec(`DELETE FROM files`)
		assert.ErrorContains(t, err, "permission denied")
	}
	owner := sqlx.MustOpen("pgx", c.url)
	defer owner.Close()
	_, err = owner.Exec(`UPDATE events SET detail = 'x'`)
	assert.ErrorContains(t, err, "the audit log is append-only")
	_, err = owner.Exec(`DELETE FROM imports`)
	assert.ErrorContains(t, err, "imports are append-only")
	_, err = owner.Exec(`TRUNCATE events`)
	assert.ErrorContains(t, err, "the audit log is append-only")
	_, err = per.Exec(`INSERT INTO events (id, at, period, action, "user", detail, hash) VALUES (99, 'now', $1, 'release', $2, '', 'h')`, p, k)
	assert.ErrorContains(t, err, "but the session is "+r)

	// A release by the attester is refused by the server; the release by
	// per goes through payout, and a second one of the period is refused.
	_, err = admin.Exec(`GRANT payout_releaser TO ` + k)
	require.NoError(t, err)
	_, err = kari.Exec(strings.ReplaceAll(insertRelease, "'"+r+"'", "'"+k+"'"))
	assert.ErrorContains(t, err, "cannot also release it")
	_, err = release(c.per, p, who(t, c.per), c.key)
	require.NoError(t, err)
	_, err = per.Exec(strings.ReplaceAll(insertRelease, "SELECT 1,", "SELECT 2,"))
	assert.ErrorContains(t, err, "is not approved: nothing is released", "a second release of the period (UNIQUE (period) stands behind)")
	_, err = owner.Exec(`UPDATE runs SET total = '1.00'`)
	assert.ErrorContains(t, err, "a released run is immutable")
	_, err = owner.Exec(`DELETE FROM run_payments`)
	assert.ErrorContains(t, err, "a released run is immutable")
	_, err = owner.Exec(`INSERT INTO run_payments (run_id, payee_id, name, account, amount, end_to_end_id)
		SELECT id, 'P9', 'x', '12000079195', '1.00', 'E2E' FROM runs WHERE period = $1`, p)
	assert.ErrorContains(t, err, "a released run is immutable")
	rep, err := c.per.Check([]*releasekey.Public{c.key.Public()})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems, "nothing the refused sessions tried is in the store")

	// An approval by raw SQL that keeps the server's rules but writes no
	// audit event: payout's own check finds it.
	const p2 = "2022-10"
	importAs(t, c.kari, "list_counts_"+p2+".csv", "L1,"+p2+"-01,1500\n")
	_, _, err = compute(c.kari, p2, SaveOptions{At: at(0), By: who(t, c.kari)})
	require.NoError(t, err)
	_, err = c.kari.Attest(step(p2, who(t, c.kari), 1))
	require.NoError(t, err)
	_, err = ola.Exec(`UPDATE runs SET status = 'approved', approved_by = $1, approved_at = 'now' WHERE period = $2`, o, p2)
	require.NoError(t, err)
	_, err = release(c.per, p2, who(t, c.per), c.key)
	assert.ErrorIs(t, err, ErrInconsistent)
	assert.ErrorContains(t, err, "the audit log holds no approve event for this run")
}

// Two clerks importing while two others release the same period, from their
// own sessions: every import is stored, exactly one release is made, and the
// store stays consistent.
func TestPostgresConcurrentImportsAndReleases(t *testing.T) {
	pgtest.Server(t)
	c := newPGClerks(t)
	const p = "2022-09"
	c.approvedAs(t, p)
	per2 := c.clerk(t, "per2_", RoleReleaser)
	kari2 := c.clerk(t, "kari2_", RoleImporter)
	const imports = 4
	var wg sync.WaitGroup
	relErrs := make([]error, 2)
	impErrs := make([]error, 2*imports)
	for i, s := range []*Store{c.per, per2} {
		wg.Go(func() { _, relErrs[i] = release(s, p, who(t, s), c.key) })
	}
	for i, s := range []*Store{c.kari, kari2} {
		for j := range imports {
			wg.Go(func() {
				name := fmt.Sprintf("list_counts_%d_%d.csv", i, j)
				_, impErrs[i*imports+j] = s.Import([]File{{Path: "in/" + name,
					Data: []byte(fmt.Sprintf("L%d%d,2022-11-01,%d\n", i, j, 100+j))}}, who(t, s), at(4))
			})
		}
	}
	wg.Wait()
	for _, err := range impErrs {
		require.NoError(t, err)
	}
	wins, changed := 0, 0
	for _, err := range relErrs {
		switch {
		case err == nil:
			wins++
		case errors.Is(err, ErrInputsChanged):
			changed++ // an import came first: the approved run is stale
		default:
			assert.ErrorIs(t, err, ErrAlreadyReleased)
		}
	}
	assert.True(t, wins == 1 || changed == 2, "one release, or none because the inputs changed first: %v", relErrs)
	st, err := c.kari.State()
	require.NoError(t, err)
	assert.Len(t, st.FileIDs, 2+2*imports, "no import was lost")
	rels, err := c.per.Releases()
	require.NoError(t, err)
	assert.LessOrEqual(t, len(rels), 1)
	assert.Equal(t, wins, len(rels))
	rep, err := c.per.Check([]*releasekey.Public{c.key.Public()})
	require.NoError(t, err)
	assert.Empty(t, rep.Problems)
	var ids []int64
	require.NoError(t, sqlx.MustOpen("pgx", c.url).Select(&ids, `SELECT id FROM imports ORDER BY id`))
	for i, id := range ids {
		assert.Equal(t, int64(i+1), id, "the import sequence has no gaps")
	}
}
