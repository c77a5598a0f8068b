package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// Release is the stored record of one release.
type Release struct {
	ID             int64
	RunID          int64
	Period         payout.Period
	ReleasedAt     time.Time
	ReleasedBy     string
	AttestedBy     string
	ApprovedBy     string
	MsgID          string
	ManifestSHA256 string
	PreviousSHA256 string // the manifest digest of the release before; "" for the first
	ResultSHA256   string
	ChainSHA256    string
}

type releaseRow struct {
	ID             int64  `db:"id"`
	RunID          int64  `db:"run_id"`
	Period         string `db:"period"`
	ReleasedAt     string `db:"released_at"`
	ReleasedBy     string `db:"released_by"`
	AttestedBy     string `db:"attested_by"`
	ApprovedBy     string `db:"approved_by"`
	MsgID          string `db:"msg_id"`
	ManifestSHA256 string `db:"manifest_sha256"`
	PreviousSHA256 string `db:"previous_sha256"`
	ResultSHA256   string `db:"result_sha256"`
	ChainSHA256    string `db:"chain_sha256"`
}

const releaseColumns = `id, run_id, period, released_at, released_by, attested_by, approved_by, msg_id,
	manifest_sha256, previous_sha256, result_sha256, chain_sha256`

func (r releaseRow) release() Release {
	p, _ := payout.ParsePeriod(r.Period)
	return Release{ID: r.ID, RunID: r.RunID, Period: p, ReleasedAt: parseStamp(r.ReleasedAt),
		ReleasedBy: r.ReleasedBy, AttestedBy: r.AttestedBy, ApprovedBy: r.ApprovedBy, MsgID: r.MsgID,
		ManifestSHA256: r.ManifestSHA256, PreviousSHA256: r.PreviousSHA256,
		ResultSHA256: r.ResultSHA256, ChainSHA256: r.ChainSHA256}
}

// chainHash covers one release and the chain before it, so that changing
// any field of any release, or removing one, breaks every hash after it.
func chainHash(prevChain string, r *Release) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n", prevChain, r.Period, stamp(r.ReleasedAt),
		r.ReleasedBy, r.AttestedBy, r.ApprovedBy, r.MsgID, r.ManifestSHA256, r.PreviousSHA256, r.ResultSHA256)
	return hex.EncodeToString(h.Sum(nil))
}

// Releases returns every release in release order.
func (s *Store) Releases() ([]Release, error) {
	var rows []releaseRow
	if err := s.db.Select(&rows, `SELECT `+releaseColumns+` FROM releases ORDER BY id`); err != nil {
		return nil, err
	}
	out := make([]Release, len(rows))
	for i, r := range rows {
		out[i] = r.release()
	}
	return out, nil
}

func releaseOf(q sqlx.Queryer, runID int64) (*Release, error) {
	var row releaseRow
	err := sqlx.Get(q, &row, `SELECT `+releaseColumns+` FROM releases WHERE run_id = ?`, runID)
	if errors.Is(err, sql.ErrNoRows) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := row.release()
	return &r, nil
}

// ReleasedAsOf returns the as-of date of every released run, for
// payout.Options.AsOfByPeriod (RULEBOOK §6: a released run's as-of date is
// the one later runs use for its period).
func (s *Store) ReleasedAsOf() (map[payout.Period]payout.Date, error) {
	return releasedAsOfTx(s.db)
}

func releasedAsOfTx(q sqlx.Queryer) (map[payout.Period]payout.Date, error) {
	var rows []struct {
		Period string `db:"period"`
		AsOf   string `db:"as_of"`
	}
	if err := sqlx.Select(q, &rows, `SELECT period, as_of FROM runs WHERE status = 'released'`); err != nil {
		return nil, err
	}
	out := make(map[payout.Period]payout.Date, len(rows))
	for _, r := range rows {
		p, err := payout.ParsePeriod(r.Period)
		if err != nil {
			return nil, fmt.Errorf("store: run period: %w", err)
		}
		d, err := payout.ParseDate(r.AsOf)
		if err != nil {
			return nil, fmt.Errorf("store: as-of of %s: %w", r.Period, err)
		}
		out[p] = d
	}
	return out, nil
}

// ReleaseRequest is what the releasing command gives.
type ReleaseRequest struct {
	Period payout.Period
	User   string
	At     time.Time
	MsgID  string
	// Stage writes the release's files to a staging place (not yet where
	// anyone takes them from) and returns the SHA-256 of the manifest. It
	// runs inside the release transaction, holding the write lock, and is
	// given the run and the release record (hash chain included) the
	// manifest must carry.
	Stage func(run *Run, rec *Release) (manifestSHA256 string, err error)
}

// Release releases the approved run of a period: in one transaction that
// holds the write lock from the start, it checks the run (approved, not yet
// released, inputs unchanged, no later period released), builds the release
// record with the previous release's manifest digest, lets Stage write the
// files, and records the release. When it returns nil the release is
// committed and the caller moves the staged files into place; on any error
// nothing is recorded.
func (s *Store) Release(req ReleaseRequest) (*Release, error) {
	if strings.TrimSpace(req.User) == "" {
		return nil, refuse(ErrNoUser, "no user given: --user NAME is required")
	}
	tx, err := s.db.Beginx()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	run, err := runTx(tx, req.Period)
	if err != nil {
		return nil, err
	}
	if err := releasable(tx, run); err != nil {
		return nil, err
	}
	rec, prevChain, err := newRelease(tx, run, req)
	if err != nil {
		return nil, err
	}
	if rec.ManifestSHA256, err = req.Stage(run, rec); err != nil {
		return nil, err
	}
	rec.ChainSHA256 = chainHash(prevChain, rec)
	if err := insertRelease(tx, run, rec); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	return rec, nil
}

func releasable(tx *sqlx.Tx, run *Run) error {
	switch run.Status {
	case StatusReleased:
		return releasedError(run)
	case StatusComputed, StatusAttested:
		return refuse(ErrNotApproved, fmt.Sprintf("the run of %s is %s, not approved: it needs attest and approve by two people before release", run.Period, run.Status))
	}
	if err := inputsUnchanged(tx, run); err != nil {
		return err
	}
	var later string
	err := tx.Get(&later, `SELECT coalesce(max(period), '') FROM releases WHERE period > ?`, run.Period.String())
	if err != nil {
		return err
	}
	if later != "" {
		return refuse(ErrLaterReleased, fmt.Sprintf("%s is released already, so %s can no longer be released: its amounts are paid as adjustments in later periods", later, run.Period))
	}
	return nil
}

func newRelease(tx *sqlx.Tx, run *Run, req ReleaseRequest) (*Release, string, error) {
	var prev releaseRow
	err := tx.Get(&prev, `SELECT `+releaseColumns+` FROM releases ORDER BY id DESC LIMIT 1`)
	if err != nil && !errors.Is(err, sql.ErrNoRows) {
		return nil, "", err
	}
	rec := &Release{RunID: run.ID, Period: run.Period, ReleasedAt: req.At.UTC().Truncate(time.Second),
		ReleasedBy: strings.TrimSpace(req.User), AttestedBy: run.AttestedBy, ApprovedBy: run.ApprovedBy,
		MsgID: req.MsgID, PreviousSHA256: prev.ManifestSHA256, ResultSHA256: run.ResultSHA256}
	return rec, prev.ChainSHA256, nil
}

func insertRelease(tx *sqlx.Tx, run *Run, r *Release) error {
	res, err := tx.Exec(`INSERT INTO releases (run_id, period, released_at, released_by, attested_by, approved_by, msg_id,
		manifest_sha256, previous_sha256, result_sha256, chain_sha256) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
		r.RunID, r.Period.String(), stamp(r.ReleasedAt), r.ReleasedBy, r.AttestedBy, r.ApprovedBy, r.MsgID,
		r.ManifestSHA256, r.PreviousSHA256, r.ResultSHA256, r.ChainSHA256)
	if err != nil {
		return err
	}
	r.ID, _ = res.LastInsertId()
	if _, err := tx.Exec(`UPDATE runs SET status = ? WHERE id = ?`, string(StatusReleased), run.ID); err != nil {
		return err
	}
	return logEvent(tx, r.ReleasedAt, r.Period.String(), "release", r.ReleasedBy,
		fmt.Sprintf("total %s, manifest %s, previous %s", run.Total.StringFixed(2), r.ManifestSHA256, r.PreviousSHA256))
}
