package store

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
)

// Release is the stored record of one release. Version 2 releases carry
// the signed statement's fields (Statement); version 1 are releases made
// before, chained by the old chain hash.
type Release struct {
	ID             int64
	RunID          int64
	Version        int
	Period         payout.Period
	ReleasedAt     time.Time // the real time
	PinnedAt       time.Time // the pinned clock's time, zero unless pinned
	ReleasedBy     Actor
	AttestedBy     Actor
	ApprovedBy     Actor
	MsgID          string
	RunSHA256      string // the run digest released (payout.RunDigest)
	Total          string
	Payments       int
	OutDir         string // the folder the release was written to, absolute
	ManifestSHA256 string
	PreviousSHA256 string // the manifest digest of the release before; "" for the first
	PreviousChain  string // the chain hash of the release before; "" for the first
	EventsSHA256   string // the audit log's chain head just before the release
	ResultSHA256   string // the stored result blob's SHA-256
	KeyID          string // the release key; "" when unsigned
	Signature      string // ed25519 over Statement, base64; "" when unsigned
	ChainSHA256    string
}

// Signed reports whether the release carries a signature.
func (r *Release) Signed() bool { return r.Signature != "" }

type releaseRow struct {
	ID             int64  `db:"id"`
	RunID          int64  `db:"run_id"`
	Version        int    `db:"version"`
	Period         string `db:"period"`
	ReleasedAt     string `db:"released_at"`
	PinnedAt       string `db:"pinned_at"`
	ReleasedBy     string `db:"released_by"`
	ReleasedUID    int64  `db:"released_uid"`
	AttestedBy     string `db:"attested_by"`
	AttestedUID    int64  `db:"attested_uid"`
	ApprovedBy     string `db:"approved_by"`
	ApprovedUID    int64  `db:"approved_uid"`
	MsgID          string `db:"msg_id"`
	RunSHA256      string `db:"run_sha256"`
	Total          string `db:"total"`
	Payments       int    `db:"payments"`
	OutDir         string `db:"out_dir"`
	ManifestSHA256 string `db:"manifest_sha256"`
	PreviousSHA256 string `db:"previous_sha256"`
	PreviousChain  string `db:"previous_chain"`
	EventsSHA256   string `db:"events_sha256"`
	ResultSHA256   string `db:"result_sha256"`
	KeyID          string `db:"key_id"`
	Signature      string `db:"signature"`
	ChainSHA256    string `db:"chain_sha256"`
}

const releaseColumns = `id, run_id, version, period, released_at, pinned_at, released_by, released_uid,
	attested_by, attested_uid, approved_by, approved_uid, msg_id, run_sha256, total, payments, out_dir,
	manifest_sha256, previous_sha256, previous_chain, events_sha256, result_sha256, key_id, signature, chain_sha256`

func (r releaseRow) release() Release {
	p, _ := payout.ParsePeriod(r.Period)
	return Release{ID: r.ID, RunID: r.RunID, Version: r.Version, Period: p,
		ReleasedAt: parseStamp(r.ReleasedAt), PinnedAt: parseStamp(r.PinnedAt),
		ReleasedBy: Actor{UID: r.ReleasedUID, Name: r.ReleasedBy},
		AttestedBy: Actor{UID: r.AttestedUID, Name: r.AttestedBy},
		ApprovedBy: Actor{UID: r.ApprovedUID, Name: r.ApprovedBy},
		MsgID:      r.MsgID, RunSHA256: r.RunSHA256, Total: r.Total, Payments: r.Payments, OutDir: r.OutDir,
		ManifestSHA256: r.ManifestSHA256, PreviousSHA256: r.PreviousSHA256, PreviousChain: r.PreviousChain,
		EventsSHA256: r.EventsSHA256, ResultSHA256: r.ResultSHA256, KeyID: r.KeyID, Signature: r.Signature,
		ChainSHA256: r.ChainSHA256}
}

func (r *Release) row() releaseRow {
	return releaseRow{ID: r.ID, RunID: r.RunID, Version: r.Version, Period: r.Period.String(),
		ReleasedAt: stamp(r.ReleasedAt), PinnedAt: stampOrEmpty(r.PinnedAt),
		ReleasedBy: r.ReleasedBy.Name, ReleasedUID: r.ReleasedBy.UID,
		AttestedBy: r.AttestedBy.Name, AttestedUID: r.AttestedBy.UID,
		ApprovedBy: r.ApprovedBy.Name, ApprovedUID: r.ApprovedBy.UID,
		MsgID: r.MsgID, RunSHA256: r.RunSHA256, Total: r.Total, Payments: r.Payments, OutDir: r.OutDir,
		ManifestSHA256: r.ManifestSHA256, PreviousSHA256: r.PreviousSHA256, PreviousChain: r.PreviousChain,
		EventsSHA256: r.EventsSHA256, ResultSHA256: r.ResultSHA256, KeyID: r.KeyID, Signature: r.Signature,
		ChainSHA256: r.ChainSHA256}
}

// legacyChainHash is the chain hash of version 1 releases.
func legacyChainHash(prevChain string, r *Release) string {
	h := sha256.New()
	fmt.Fprintf(h, "%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n%s\n", prevChain, r.Period, stamp(r.ReleasedAt),
		r.ReleasedBy.Name, r.AttestedBy.Name, r.ApprovedBy.Name, r.MsgID, r.ManifestSHA256, r.PreviousSHA256, r.ResultSHA256)
	return hex.EncodeToString(h.Sum(nil))
}

// Releases returns every release in release order.
func (s *Store) Releases() ([]Release, error) { return releasesQ(s.db) }

func releasesQ(q sqlx.Queryer) ([]Release, error) {
	var rows []releaseRow
	if err := sqlx.Select(q, &rows, `SELECT `+releaseColumns+` FROM releases ORDER BY id`); err != nil {
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
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := row.release()
	return &r, nil
}

// ReleaseByManifest returns the release whose manifest has this SHA-256, or
// nil: a folder's manifest.json is a release the store knows, or not.
func (s *Store) ReleaseByManifest(sum string) (*Release, error) {
	var row releaseRow
	err := s.db.Get(&row, `SELECT `+releaseColumns+` FROM releases WHERE manifest_sha256 = ?`, sum)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	r := row.release()
	return &r, nil
}

// ReleasedAsOf returns the as-of date of every released run. A run needs
// their knowledge too (RULEBOOK §6, issue 11): compute with
// Released().Options, never with these dates alone.
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
	By     Actor
	At     When
	MsgID  string
	// OutDir is the folder the release is written to (absolute); a
	// release writes only there.
	OutDir string
	// Key signs the release statement. Nil releases unsigned, which only
	// the policy unsigned_releases allows.
	Key *releasekey.Private
	// Stage renders the release's files from the result recomputed from
	// the stored inputs (never from a stored blob) and returns the SHA-256
	// of the manifest; it does not yet put them where anyone takes them
	// from. It runs inside the release transaction, holding the write lock,
	// and is given the release record the manifest must carry.
	Stage func(res *payout.Result, in *payout.Inputs, rec *Release) (manifestSHA256 string, err error)
}

// Release releases the approved run of a period. In one transaction that
// holds the write lock from the start it checks the store (PRAGMA
// quick_check and the consistency check), the run (approved, not yet
// released, inputs unchanged, no later period released), the people (an
// attest and an approve event for this computation naming its digest, by
// two accounts; the releaser neither of them, or the approver when policy
// release_by_approver allows it), recomputes the run from the stored inputs
// with every control of RULEBOOK §8 and refuses unless its digest is the
// approved one; then it lets Stage render the files, signs the statement
// and records the release. When it returns nil the release is committed
// (and checkpointed into the main file) and the caller moves the staged
// files into place; on any error nothing is recorded.
func (s *Store) Release(req ReleaseRequest) (*Release, error) {
	rec, err := lifecycleStep(s, RoleReleaser, ActionRelease, req.By, func(tx *sqlx.Tx) (*Release, error) { return s.releaseTx(tx, req) })
	if err != nil {
		return nil, err
	}
	s.checkpoint()
	return rec, nil
}

func (s *Store) releaseTx(tx *sqlx.Tx, req ReleaseRequest) (*Release, error) {
	run, err := runTx(tx, req.Period)
	if err != nil {
		return nil, err
	}
	if err := releasable(tx, run); err != nil {
		return nil, err
	}
	if err := storedResultIsRun(tx, s.pg, run); err != nil {
		return nil, err
	}
	res, in, err := s.recomputeTx(tx, run)
	if err != nil {
		return nil, err
	}
	if err := releaserAllowed(run, req.By, res.Policy); err != nil {
		return nil, err
	}
	if err := keyNeeded(req.Key, res.Policy); err != nil {
		return nil, err
	}
	rec, err := newRelease(tx, run, res, req)
	if err != nil {
		return nil, err
	}
	if rec.ManifestSHA256, err = req.Stage(res, in, rec); err != nil {
		return nil, err
	}
	rec.Seal(req.Key)
	if err := insertRelease(tx, run, res, rec, req.At); err != nil {
		return nil, err
	}
	return rec, nil
}

// keyNeeded refuses a release without a key unless the policy allows
// unsigned releases (unsigned_releases).
func keyNeeded(key *releasekey.Private, pol payout.Policy) error {
	if key == nil && !pol.UnsignedReleases {
		return refusef(ErrUnsigned, "no release key: give --key FILE or set PAYOUT_RELEASE_KEY (make one with payout keygen --out DIR); only policy unsigned_releases: true releases without one")
	}
	return nil
}

func releasable(tx *sqlx.Tx, run *Run) error {
	switch run.Status {
	case StatusReleased:
		return releasedError(run)
	case StatusComputed, StatusAttested:
		return refusef(ErrNotApproved, "the run of %s is %s, not approved: it needs attest and approve by two people before release", run.Period, run.Status)
	}
	if err := stepAllowed(tx, run, ""); err != nil {
		return err
	}
	var later string
	err := tx.Get(&later, `SELECT coalesce(max(period), '') FROM releases WHERE period > ?`, run.Period.String())
	if err != nil {
		return err
	}
	if later != "" {
		return refusef(ErrLaterReleased, "%s is released already, so %s can no longer be released: its amounts are paid as adjustments in later periods", later, run.Period)
	}
	return nil
}

// storedResultIsRun refuses a run whose stored result is not the run its
// digest names. Release pays the recomputed result, never the stored one,
// so this is not what keeps a changed result from the bank: it makes the
// change loud instead of silently corrected.
func storedResultIsRun(q sqlx.Queryer, pg bool, run *Run) error {
	blob, err := readValue(q, pg, `SELECT result FROM run_results WHERE run_id = ?`, run.ID)
	if err != nil && !isNoRows(err) {
		return err
	}
	var res payout.Result
	err = json.Unmarshal(blob, &res)
	if got := payout.RunDigest(&res); err != nil || got != run.Digest {
		return refusef(ErrInconsistent, "the stored result of %s is not the run attested and approved (digest %s): the store was changed outside payout, so nothing is released; payout status --check lists every problem",
			run.Period, short(run.Digest))
	}
	return nil
}

// releaserAllowed: the releaser is a third person, or the approver when
// the policy allows it; never the attester.
func releaserAllowed(run *Run, by Actor, pol payout.Policy) error {
	if run.AttestedBy.Same(by) {
		return refusef(ErrSameReleaser, "%s attested the run of %s and cannot also release it: a third person releases (the approver only when policy release_by_approver is true)", run.AttestedBy, run.Period)
	}
	if run.ApprovedBy.Same(by) && !pol.ReleaseByApprover {
		return refusef(ErrSameReleaser, "%s approved the run of %s and cannot also release it: a third person releases (or set policy release_by_approver: true)", run.ApprovedBy, run.Period)
	}
	return nil
}

func newRelease(tx *sqlx.Tx, run *Run, res *payout.Result, req ReleaseRequest) (*Release, error) {
	var prev releaseRow
	err := tx.Get(&prev, `SELECT `+releaseColumns+` FROM releases ORDER BY id DESC LIMIT 1`)
	if err != nil && !isNoRows(err) {
		return nil, err
	}
	head, _, err := walkEvents(tx)
	if err != nil {
		return nil, err
	}
	rec := &Release{RunID: run.ID, Version: 2, Period: run.Period, ReleasedAt: req.At.Real.UTC().Truncate(time.Second),
		ReleasedBy: req.By, AttestedBy: run.AttestedBy, ApprovedBy: run.ApprovedBy, MsgID: req.MsgID,
		RunSHA256: run.Digest, Total: res.Total.StringFixed(2), Payments: len(res.Payments), OutDir: req.OutDir,
		PreviousSHA256: prev.ManifestSHA256, PreviousChain: prev.ChainSHA256, EventsSHA256: head}
	if !req.At.Pinned.IsZero() {
		rec.PinnedAt = req.At.Pinned.UTC().Truncate(time.Second)
	}
	if req.Key != nil {
		rec.KeyID = req.Key.ID()
	}
	return rec, nil
}

// Seal completes a release record: the signature over its statement by
// key (none when key is nil; KeyID must already name it) and the chain
// hash.
func (r *Release) Seal(key *releasekey.Private) {
	st := r.Statement()
	if key != nil {
		r.Signature = key.Sign(st)
	}
	r.ChainSHA256 = statementHash(st)
}

// insertRelease records the release, stores the recomputed result as the
// released run's result, and logs the release event (chain hash and
// signature in its detail).
func insertRelease(tx *sqlx.Tx, run *Run, res *payout.Result, r *Release, at When) error {
	blob, err := encodeResult(res)
	if err != nil {
		return fmt.Errorf("store: result: %w", err)
	}
	r.ResultSHA256 = sha(blob)
	row := r.row()
	q, args, err := sqlx.Named(`INSERT INTO releases (id, `+releaseColumnsNoID+`)
		VALUES ((SELECT coalesce(max(id), 0) + 1 FROM releases), `+releaseValues+`) RETURNING id`, row)
	if err != nil {
		return err
	}
	if err := tx.Get(&r.ID, q, args...); err != nil {
		return err
	}
	// The result first: once the run is released, its result is immutable.
	// An UPDATE, not putResult's upsert: the releaser may replace a run's
	// result, never add one (PostgreSQL grants it no INSERT); that it has
	// one, storedResultIsRun checked in this transaction.
	if _, err := tx.Exec(`UPDATE run_results SET result = ? WHERE run_id = ?`, blob, run.ID); err != nil {
		return err
	}
	if err := insertPaid(tx, run.ID, blob); err != nil {
		return err
	}
	if _, err := tx.Exec(`UPDATE runs SET status = ?, result_sha256 = ? WHERE id = ?`,
		string(StatusReleased), r.ResultSHA256, run.ID); err != nil {
		return err
	}
	sig := "unsigned"
	if r.Signed() {
		sig = "key " + r.KeyID + ", signature " + r.Signature
	}
	_, err = logEvent(tx, at, Event{Period: r.Period.String(), Action: ActionRelease, Actor: r.ReleasedBy, RunID: run.ID,
		RunSHA256: r.RunSHA256, Total: r.Total,
		Detail: fmt.Sprintf("folder %s, manifest %s, chain %s, %s", r.OutDir, r.ManifestSHA256, r.ChainSHA256, sig)})
	return err
}

const releaseColumnsNoID = `run_id, version, period, released_at, pinned_at, released_by, released_uid,
	attested_by, attested_uid, approved_by, approved_uid, msg_id, run_sha256, total, payments, out_dir,
	manifest_sha256, previous_sha256, previous_chain, events_sha256, result_sha256, key_id, signature, chain_sha256`

const releaseValues = `:run_id, :version, :period, :released_at, :pinned_at, :released_by, :released_uid,
	:attested_by, :attested_uid, :approved_by, :approved_uid, :msg_id, :run_sha256, :total, :payments, :out_dir,
	:manifest_sha256, :previous_sha256, :previous_chain, :events_sha256, :result_sha256, :key_id, :signature, :chain_sha256`

// RecordRewrite logs that files of a released run were written again (an
// interrupted release completed, or a damaged folder restored): every
// re-write of a released file is an audit event.
func (s *Store) RecordRewrite(rel *Release, by Actor, at When, files []string) error {
	if err := s.requireRole(RoleReleaser); err != nil {
		return err
	}
	return s.retrying(func() error { return s.recordRewriteOnce(rel, by, at, files) })
}

func (s *Store) recordRewriteOnce(rel *Release, by Actor, at When, files []string) error {
	if err := by.valid(); err != nil {
		return err
	}
	tx, err := s.begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := logEvent(tx, at, Event{Period: rel.Period.String(), Action: ActionRewrite, Actor: by, RunID: rel.RunID,
		RunSHA256: rel.RunSHA256, Total: rel.Total,
		Detail: fmt.Sprintf("folder %s: %d file(s) written again: %v", rel.OutDir, len(files), files)}); err != nil {
		return err
	}
	return tx.Commit()
}
