package store

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/releasekey"
)

// SupplementRelease is the record of a released supplement.
type SupplementRelease struct {
	ID            int64
	SupplementID  int64
	Period        payout.Period
	N             int
	ReleasedAt    time.Time
	PinnedAt      time.Time
	ReleasedBy    Actor
	AttestedBy    Actor
	ApprovedBy    Actor
	MsgID         string
	Digest        string
	Total         string
	Payments      int
	OutDir        string // the supplement's own folder, absolute
	FileSHA256    string // payments-supplement-N.xml
	ReleaseChain  string // the chain hash of the period's release
	PreviousChain string // the chain hash of the supplement release before
	EventsSHA256  string
	KeyID         string
	Signature     string
	ChainSHA256   string
}

// Signed reports whether the release carries a signature.
func (r *SupplementRelease) Signed() bool { return r.Signature != "" }

type supplementReleaseRow struct {
	ID            int64  `db:"id"`
	SupplementID  int64  `db:"supplement_id"`
	Period        string `db:"period"`
	N             int    `db:"n"`
	ReleasedAt    string `db:"released_at"`
	PinnedAt      string `db:"pinned_at"`
	ReleasedBy    string `db:"released_by"`
	ReleasedUID   int64  `db:"released_uid"`
	AttestedBy    string `db:"attested_by"`
	AttestedUID   int64  `db:"attested_uid"`
	ApprovedBy    string `db:"approved_by"`
	ApprovedUID   int64  `db:"approved_uid"`
	MsgID         string `db:"msg_id"`
	Digest        string `db:"digest"`
	Total         string `db:"total"`
	Payments      int    `db:"payments"`
	OutDir        string `db:"out_dir"`
	FileSHA256    string `db:"file_sha256"`
	ReleaseChain  string `db:"release_chain"`
	PreviousChain string `db:"previous_chain"`
	EventsSHA256  string `db:"events_sha256"`
	KeyID         string `db:"key_id"`
	Signature     string `db:"signature"`
	ChainSHA256   string `db:"chain_sha256"`
}

func (r supplementReleaseRow) release() *SupplementRelease {
	p, _ := payout.ParsePeriod(r.Period)
	return &SupplementRelease{ID: r.ID, SupplementID: r.SupplementID, Period: p, N: r.N,
		ReleasedAt: parseStamp(r.ReleasedAt), PinnedAt: parseStamp(r.PinnedAt),
		ReleasedBy: Actor{UID: r.ReleasedUID, Name: r.ReleasedBy}, AttestedBy: Actor{UID: r.AttestedUID, Name: r.AttestedBy},
		ApprovedBy: Actor{UID: r.ApprovedUID, Name: r.ApprovedBy}, MsgID: r.MsgID, Digest: r.Digest, Total: r.Total,
		Payments: r.Payments, OutDir: r.OutDir, FileSHA256: r.FileSHA256, ReleaseChain: r.ReleaseChain,
		PreviousChain: r.PreviousChain, EventsSHA256: r.EventsSHA256, KeyID: r.KeyID, Signature: r.Signature, ChainSHA256: r.ChainSHA256}
}

func (r *SupplementRelease) row() supplementReleaseRow {
	return supplementReleaseRow{SupplementID: r.SupplementID, Period: r.Period.String(), N: r.N,
		ReleasedAt: stamp(r.ReleasedAt), PinnedAt: stampOrEmpty(r.PinnedAt),
		ReleasedBy: r.ReleasedBy.Name, ReleasedUID: r.ReleasedBy.UID, AttestedBy: r.AttestedBy.Name, AttestedUID: r.AttestedBy.UID,
		ApprovedBy: r.ApprovedBy.Name, ApprovedUID: r.ApprovedBy.UID, MsgID: r.MsgID, Digest: r.Digest, Total: r.Total,
		Payments: r.Payments, OutDir: r.OutDir, FileSHA256: r.FileSHA256, ReleaseChain: r.ReleaseChain,
		PreviousChain: r.PreviousChain, EventsSHA256: r.EventsSHA256, KeyID: r.KeyID, Signature: r.Signature, ChainSHA256: r.ChainSHA256}
}

const supplementReleaseColumns = `supplement_id, period, n, released_at, pinned_at, released_by, released_uid,
	attested_by, attested_uid, approved_by, approved_uid, msg_id, digest, total, payments, out_dir, file_sha256,
	release_chain, previous_chain, events_sha256, key_id, signature, chain_sha256`

func supplementReleaseOf(q sqlx.Queryer, supID int64) (*SupplementRelease, error) {
	var row supplementReleaseRow
	err := sqlx.Get(q, &row, `SELECT id, `+supplementReleaseColumns+` FROM supplement_releases WHERE supplement_id = ?`, supID)
	if isNoRows(err) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	return row.release(), nil
}

// SupplementStatementVersion heads a supplement release's statement.
const SupplementStatementVersion = "payout-supplement-statement/1"

// Statement is the text a supplement release signs and its chain hash
// covers, in the form of Release.Statement.
func (r *SupplementRelease) Statement() []byte {
	b := newStatement(SupplementStatementVersion)
	b.field("period", r.Period.String())
	b.field("supplement", strconv.Itoa(r.N))
	b.field("digest", r.Digest)
	b.field("total", r.Total)
	b.field("payments", strconv.Itoa(r.Payments))
	b.field("msg_id", r.MsgID)
	b.released(r.ReleasedAt, r.PinnedAt, r.ReleasedBy, r.AttestedBy, r.ApprovedBy, r.OutDir)
	b.field("file_sha256", r.FileSHA256)
	b.field("release_chain_sha256", r.ReleaseChain)
	b.chained(r.PreviousChain, r.EventsSHA256, r.KeyID)
	return b.bytes()
}

// SignatureFile is the supplement folder's supplement.sig: the statement
// and "signature ed25519 BASE64" ("signature none" when unsigned).
func (r *SupplementRelease) SignatureFile() []byte { return signatureFile(r.Statement(), r.Signature) }

// AttestSupplement records the first person's check of p's computed
// supplement (st.Digest, when given, must be its digest).
func (s *Store) AttestSupplement(st Step) (*Supplement, error) {
	return s.supplementStep(st, ActionSupplementAttest, func(tx *sqlx.Tx, sup *Supplement) error {
		if sup.Status != StatusComputed {
			return refusef(ErrAlreadyAttested, "supplement %d of %s is already %s", sup.N, sup.Period, sup.Status)
		}
		_, err := tx.Exec(`UPDATE supplements SET status = ?, attested_by = ?, attested_uid = ?, attested_at = ? WHERE id = ?`,
			string(StatusAttested), strings.TrimSpace(st.By.Name), st.By.UID, stamp(st.At.Real), sup.ID)
		return err
	})
}

// ApproveSupplement records the second person's approval; the attester
// cannot approve.
func (s *Store) ApproveSupplement(st Step) (*Supplement, error) {
	return s.supplementStep(st, ActionSupplementApprove, func(tx *sqlx.Tx, sup *Supplement) error {
		switch sup.Status {
		case StatusComputed:
			return refusef(ErrNotAttested, "supplement %d of %s is not attested: 'payout attest --supplement' by another person comes first", sup.N, sup.Period)
		case StatusApproved:
			return refusef(ErrAlreadyApproved, "supplement %d of %s is already approved by %s at %s", sup.N, sup.Period, sup.ApprovedBy, sup.ApprovedAt)
		}
		if sup.AttestedBy.Same(st.By) {
			return refusef(ErrSameApprover, "%s attested supplement %d of %s and cannot also approve it: a second person must approve, from their own account", sup.AttestedBy, sup.N, sup.Period)
		}
		_, err := tx.Exec(`UPDATE supplements SET status = ?, approved_by = ?, approved_uid = ?, approved_at = ? WHERE id = ?`,
			string(StatusApproved), strings.TrimSpace(st.By.Name), st.By.UID, stamp(st.At.Real), sup.ID)
		return err
	})
}

func (s *Store) supplementStep(st Step, action string, step func(*sqlx.Tx, *Supplement) error) (*Supplement, error) {
	return lifecycleStep(s, roleFor(action), action, st.By, func(tx *sqlx.Tx) (*Supplement, error) {
		sup, err := supplementAllowed(tx, st.Period, st.Digest)
		if err != nil {
			return nil, err
		}
		if err := step(tx, sup); err != nil {
			return nil, err
		}
		if _, err := logEvent(tx, st.At, Event{Period: sup.Period.String(), Action: action, Actor: st.By,
			RunSHA256: sup.Digest, Total: sup.Total.StringFixed(2), Detail: fmt.Sprintf("supplement %d, %s", sup.N, sup.MsgID)}); err != nil {
			return nil, err
		}
		return openSupplement(tx, st.Period)
	})
}

// supplementAllowed is p's unreleased supplement, if the reviewed digest
// is its own and the inputs are the ones it was computed from.
func supplementAllowed(q sqlx.Queryer, p payout.Period, reviewed string) (*Supplement, error) {
	sup, err := openSupplement(q, p)
	if err != nil {
		return nil, err
	}
	if sup == nil {
		return nil, noOpenSupplement(q, p)
	}
	if reviewed != "" && (len(reviewed) < 12 || !strings.HasPrefix(sup.Digest, strings.ToLower(reviewed))) {
		return nil, refusef(ErrDigestMismatch, "supplement %d of %s has digest %s, not the %s you reviewed", sup.N, sup.Period, sup.Digest[:12], reviewed)
	}
	st, err := stateOf(q)
	if err != nil {
		return nil, err
	}
	if st.Digest != sup.InputDigest {
		return nil, refusef(ErrInputsChanged, "inputs changed since supplement %d of %s was computed at %s: compute it again (payout run --supplement), then attest and approve it anew",
			sup.N, sup.Period, sup.ComputedAt)
	}
	return sup, nil
}

// noOpenSupplement refuses: every supplement of p is released (a release
// twice), or there is none.
func noOpenSupplement(q sqlx.Queryer, p payout.Period) error {
	all, err := supplementsQ(q, p)
	if err != nil {
		return err
	}
	if n := len(all); n > 0 && all[n-1].Release != nil {
		r := all[n-1].Release
		return refusef(ErrAlreadyReleased, "supplement %d of %s was already released at %s by %s (%s, file sha256 %s); a supplement is released once: compute a new one for what is still rejected",
			r.N, p, r.ReleasedAt, r.ReleasedBy, r.MsgID, short(r.FileSHA256))
	}
	return refusef(ErrNoSupplement, "no supplement of %s is stored: compute one with 'payout run --db FILE --period %s --supplement'", p, p)
}

// SupplementReleaseRequest is what the releasing command gives.
type SupplementReleaseRequest struct {
	Period payout.Period
	N      int // the supplement the caller read (and named the folder after)
	By     Actor
	At     When
	OutDir string // the supplement's own folder (absolute)
	Key    *releasekey.Private
	// Derive makes the supplement's body again from the inputs as stored
	// now (read inside the release transaction) and the bank's answers; the
	// release is refused unless it is the approved body. It also returns
	// the period's policy (release_by_approver, unsigned_releases).
	Derive func(in *payout.Inputs, sup *Supplement) (body []byte, pol payout.Policy, err error)
	// Stage renders payments-supplement-N.xml for the record and returns
	// its SHA-256; the caller writes it after the commit.
	Stage func(sup *Supplement, rec *SupplementRelease) (fileSHA256 string, err error)
}

// ReleaseSupplement releases p's approved supplement, in one transaction
// holding the write lock: the store's checks, the supplement (approved,
// inputs unchanged, an attest and an approve event naming its digest by
// the two accounts it names, the releaser neither, or the approver when
// policy release_by_approver allows), its body derived again and compared
// with the approved one; then Stage, the signed statement, the record.
func (s *Store) ReleaseSupplement(req SupplementReleaseRequest) (*Supplement, error) {
	sup, err := lifecycleStep(s, RoleReleaser, ActionRelease, req.By, func(tx *sqlx.Tx) (*Supplement, error) {
		return s.releaseSupplementTx(tx, req)
	})
	if err != nil {
		return nil, err
	}
	s.checkpoint()
	return sup, nil
}

func (s *Store) releaseSupplementTx(tx *sqlx.Tx, req SupplementReleaseRequest) (*Supplement, error) {
	sup, err := supplementAllowed(tx, req.Period, "")
	if err != nil {
		return nil, err
	}
	if err := supplementReleasable(tx, sup, req); err != nil {
		return nil, err
	}
	in, err := s.readVersions(tx, nil)
	if err != nil {
		return nil, err
	}
	body, pol, err := req.Derive(in, sup)
	if err != nil {
		return nil, err
	}
	if got := sha(body); got != sup.Digest {
		return nil, refusef(ErrDigestMismatch, "supplement %d of %s made again from the stored inputs and the bank's answers has digest %s, but the one attested and approved has %s: compute it again (payout run --supplement) and have it attested and approved anew",
			sup.N, sup.Period, got[:12], short(sup.Digest))
	}
	if err := supplementReleaser(sup, req.By, pol); err != nil {
		return nil, err
	}
	if err := keyNeeded(req.Key, pol); err != nil {
		return nil, err
	}
	rec, err := newSupplementRelease(tx, sup, req)
	if err != nil {
		return nil, err
	}
	if rec.FileSHA256, err = req.Stage(sup, rec); err != nil {
		return nil, err
	}
	if err := insertSupplementRelease(tx, sup, rec, req); err != nil {
		return nil, err
	}
	sup.Status, sup.Release = StatusReleased, rec
	return sup, nil
}

func supplementReleasable(q sqlx.Queryer, sup *Supplement, req SupplementReleaseRequest) error {
	if sup.N != req.N {
		return fmt.Errorf("store: the open supplement of %s is number %d, not %d: run the release again", sup.Period, sup.N, req.N)
	}
	if sup.Status != StatusApproved {
		return refusef(ErrNotApproved, "supplement %d of %s is %s, not approved: it needs attest and approve by two people before release", sup.N, sup.Period, sup.Status)
	}
	return supplementEvents(q, sup)
}

// supplementEvents: since the supplement's last compute event, exactly one
// attest and one approve event name its digest, by the accounts it names.
func supplementEvents(q sqlx.Queryer, sup *Supplement) error {
	var rows []eventRow
	if err := sqlx.Select(q, &rows, `SELECT `+eventColumns+` FROM events WHERE period = ? AND id >=
		(SELECT coalesce(max(id), 0) FROM events WHERE period = ? AND action = ?) ORDER BY id`,
		sup.Period.String(), sup.Period.String(), ActionSupplementCompute); err != nil {
		return err
	}
	count := map[string]int{}
	who := map[string]Actor{}
	for _, r := range rows {
		e := r.event()
		if e.RunSHA256 == sup.Digest {
			count[e.Action]++
			who[e.Action] = e.Actor
		}
	}
	ok := len(rows) > 0 && rows[0].Action == ActionSupplementCompute && rows[0].RunSHA256 == sup.Digest &&
		count[ActionSupplementAttest] == 1 && count[ActionSupplementApprove] == 1 &&
		who[ActionSupplementAttest] == sup.AttestedBy && who[ActionSupplementApprove] == sup.ApprovedBy
	if !ok {
		return refusef(ErrInconsistent, "supplement %d of %s: the audit log does not hold its compute, attest and approve events naming its digest by the accounts it names: the store was changed outside payout, so nothing is released", sup.N, sup.Period)
	}
	return nil
}

func supplementReleaser(sup *Supplement, by Actor, pol payout.Policy) error {
	if sup.AttestedBy.Same(by) {
		return refusef(ErrSameReleaser, "%s attested supplement %d of %s and cannot also release it: a third person releases", sup.AttestedBy, sup.N, sup.Period)
	}
	if sup.ApprovedBy.Same(by) && !pol.ReleaseByApprover {
		return refusef(ErrSameReleaser, "%s approved supplement %d of %s and cannot also release it: a third person releases (or set policy release_by_approver: true)", sup.ApprovedBy, sup.N, sup.Period)
	}
	return nil
}

func newSupplementRelease(tx *sqlx.Tx, sup *Supplement, req SupplementReleaseRequest) (*SupplementRelease, error) {
	chains, err := releaseChains(tx)
	if err != nil {
		return nil, err
	}
	var prev string
	if err := tx.Get(&prev, `SELECT coalesce((SELECT chain_sha256 FROM supplement_releases ORDER BY id DESC LIMIT 1), '')`); err != nil {
		return nil, err
	}
	head, _, err := walkEvents(tx)
	if err != nil {
		return nil, err
	}
	rec := &SupplementRelease{SupplementID: sup.ID, Period: sup.Period, N: sup.N, ReleasedAt: req.At.Real.UTC().Truncate(time.Second),
		ReleasedBy: req.By, AttestedBy: sup.AttestedBy, ApprovedBy: sup.ApprovedBy, MsgID: sup.MsgID, Digest: sup.Digest,
		Total: sup.Total.StringFixed(2), Payments: sup.Payments, OutDir: req.OutDir, ReleaseChain: chains[sup.Period],
		PreviousChain: prev, EventsSHA256: head}
	if !req.At.Pinned.IsZero() {
		rec.PinnedAt = req.At.Pinned.UTC().Truncate(time.Second)
	}
	if req.Key != nil {
		rec.KeyID = req.Key.ID()
	}
	return rec, nil
}

func insertSupplementRelease(tx *sqlx.Tx, sup *Supplement, rec *SupplementRelease, req SupplementReleaseRequest) error {
	st := rec.Statement()
	if req.Key != nil {
		rec.Signature = req.Key.Sign(st)
	}
	rec.ChainSHA256 = statementHash(st)
	q, args, err := sqlx.Named(`INSERT INTO supplement_releases (id, `+supplementReleaseColumns+`)
		VALUES ((SELECT coalesce(max(id), 0) + 1 FROM supplement_releases), `+
		":"+strings.Join(strings.Fields(strings.ReplaceAll(supplementReleaseColumns, ",", " ")), ", :")+`) RETURNING id`, rec.row())
	if err != nil {
		return err
	}
	if err := tx.Get(&rec.ID, q, args...); err != nil {
		return fmt.Errorf("store: the release of %s: %w", sup.Where(), err)
	}
	if _, err := tx.Exec(`UPDATE supplements SET status = ? WHERE id = ?`, string(StatusReleased), sup.ID); err != nil {
		return err
	}
	sig := "unsigned"
	if rec.Signed() {
		sig = "key " + rec.KeyID + ", signature " + rec.Signature
	}
	_, err = logEvent(tx, req.At, Event{Period: sup.Period.String(), Action: ActionSupplementRelease, Actor: req.By,
		RunSHA256: sup.Digest, Total: rec.Total,
		Detail: fmt.Sprintf("supplement %d, %s, folder %s, file sha256 %s, chain %s, %s", sup.N, sup.MsgID, rec.OutDir, rec.FileSHA256, rec.ChainSHA256, sig)})
	return err
}

// RecordSupplementRewrite logs that a released supplement's files were
// written again (an interrupted release completed).
func (s *Store) RecordSupplementRewrite(rec *SupplementRelease, by Actor, at When) error {
	if err := s.requireRole(RoleReleaser); err != nil {
		return err
	}
	return s.retrying(func() error { return s.recordSupplementRewriteOnce(rec, by, at) })
}

func (s *Store) recordSupplementRewriteOnce(rec *SupplementRelease, by Actor, at When) error {
	if err := by.valid(); err != nil {
		return err
	}
	tx, err := s.begin()
	if err != nil {
		return err
	}
	defer tx.Rollback()
	if _, err := logEvent(tx, at, Event{Period: rec.Period.String(), Action: ActionSupplementRewrite, Actor: by,
		RunSHA256: rec.Digest, Total: rec.Total, Detail: fmt.Sprintf("supplement %d: folder %s written again", rec.N, rec.OutDir)}); err != nil {
		return err
	}
	return tx.Commit()
}

// checkSupplements verifies, for Check, every supplement's digest and the
// supplement releases' chain, statements and signatures.
func (s *Store) checkSupplements(ring releasekey.Ring) []string {
	all, err := supplementsQ(s.db, 0)
	if err != nil {
		return []string{err.Error()}
	}
	chains, err := releaseChains(s.db)
	if err != nil {
		return []string{err.Error()}
	}
	var rels []supplementReleaseRow
	if err := s.db.Select(&rels, `SELECT id, `+supplementReleaseColumns+` FROM supplement_releases ORDER BY id`); err != nil {
		return []string{err.Error()}
	}
	// The audit log's head before each supplement release event, by the
	// supplement's digest (the event names it), as each statement signs it.
	heads, err := s.headsBefore(ActionSupplementRelease, func(r eventRow) string { return r.Period + " " + r.RunSHA256 })
	if err != nil {
		return []string{err.Error()}
	}
	byID := map[int64]*Supplement{}
	for i := range all {
		byID[all[i].ID] = &all[i]
	}
	var out []string
	prev := ""
	for _, row := range rels {
		r := row.release()
		where := fmt.Sprintf("supplement release %d of %s", r.N, r.Period)
		sup := byID[r.SupplementID]
		switch {
		case r.PreviousChain != prev || statementHash(r.Statement()) != r.ChainSHA256 || r.ReleaseChain != chains[r.Period]:
			out = append(out, where+": its statement, chain hash or links do not match: a supplement release was changed, removed or inserted outside payout")
		case sup == nil || sup.Status != StatusReleased || sup.Digest != r.Digest:
			out = append(out, where+": its supplement is missing, not released or not the one released")
		case heads[r.Period.String()+" "+r.Digest] != r.EventsSHA256:
			out = append(out, where+": the audit log before its release event is not the one it signed: the log was changed outside payout")
		case r.Signed() && (ring.Find(r.KeyID) == nil || !ring.Find(r.KeyID).Verify(r.Statement(), r.Signature)):
			out = append(out, where+": its signature does not verify with a trusted key "+r.KeyID)
		}
		prev = r.ChainSHA256
	}
	return out
}
