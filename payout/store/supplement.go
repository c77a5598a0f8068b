package store

import (
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// Supplements (issue 13) pay the rejected payments of a released period
// again. The store keeps each supplement's body as the caller made it (its
// digest is the body's SHA-256), what it re-pays (supplement_payments: a
// payment is re-paid by one supplement at most, enforced by the database),
// and its lifecycle: computed, attested and approved by two accounts, and
// released by a third, exactly like a run. What a supplement holds is the
// caller's (package bank): release re-derives the body inside its
// transaction (SupplementReleaseRequest.Derive) and releases only when it is
// the body approved. A released supplement is never changed or released
// again.

// The audit log's actions of supplements (their period is the period they
// pay again; the detail names the supplement's number).
const (
	ActionSupplementCompute = "supplement-compute"
	ActionSupplementAttest  = "supplement-attest"
	ActionSupplementApprove = "supplement-approve"
	ActionSupplementRelease = "supplement-release"
	ActionSupplementRewrite = "supplement-rewrite"
)

// Supplement is one stored supplement of a period.
type Supplement struct {
	ID          int64
	Period      payout.Period
	N           int // payments-supplement-N.xml
	Status      Status
	AsOf        payout.Date // the day it was computed for: the payee versions it pays to
	PayDate     payout.Date // the execution date of its payment file
	MsgID       string
	InputDigest string
	Total       decimal.Decimal
	Payments    int
	Body        []byte // the caller's canonical body
	Digest      string // SHA-256 of Body: what attest, approve and release name
	ComputedAt  time.Time
	ComputedBy  Actor
	AttestedBy  Actor
	AttestedAt  time.Time
	ApprovedBy  Actor
	ApprovedAt  time.Time
	Repays      []Repayment
	Release     *SupplementRelease
}

// Repayment is one payment a supplement pays again.
type Repayment struct {
	Repays     string // the EndToEndId paid again
	EndToEndID string // the supplement payment's own
	PayeeID    string
	Account    string
	Amount     decimal.Decimal
}

// SupplementDraft is a computed supplement to store.
type SupplementDraft struct {
	Period      payout.Period
	N           int
	AsOf        payout.Date
	PayDate     payout.Date
	MsgID       string
	InputDigest string // the input state the payee versions were read from
	Body        []byte
	Repays      []Repayment
}

type supplementRow struct {
	ID          int64  `db:"id"`
	Period      string `db:"period"`
	N           int    `db:"n"`
	Status      string `db:"status"`
	AsOf        string `db:"as_of"`
	PayDate     string `db:"pay_date"`
	MsgID       string `db:"msg_id"`
	InputDigest string `db:"input_digest"`
	Total       string `db:"total"`
	Payments    int    `db:"payments"`
	Body        []byte `db:"body"`
	Digest      string `db:"digest"`
	ComputedAt  string `db:"computed_at"`
	ComputedBy  string `db:"computed_by"`
	ComputedUID int64  `db:"computed_uid"`
	AttestedBy  string `db:"attested_by"`
	AttestedUID int64  `db:"attested_uid"`
	AttestedAt  string `db:"attested_at"`
	ApprovedBy  string `db:"approved_by"`
	ApprovedUID int64  `db:"approved_uid"`
	ApprovedAt  string `db:"approved_at"`
}

func (r supplementRow) supplement() Supplement {
	p, _ := payout.ParsePeriod(r.Period)
	asOf, _ := payout.ParseDate(r.AsOf)
	pay, _ := payout.ParseDate(r.PayDate)
	total, _ := decimal.NewFromString(r.Total)
	return Supplement{ID: r.ID, Period: p, N: r.N, Status: Status(r.Status), AsOf: asOf, PayDate: pay, MsgID: r.MsgID,
		InputDigest: r.InputDigest, Total: total, Payments: r.Payments, Body: r.Body, Digest: r.Digest,
		ComputedAt: parseStamp(r.ComputedAt), ComputedBy: Actor{UID: r.ComputedUID, Name: r.ComputedBy},
		AttestedBy: Actor{UID: r.AttestedUID, Name: r.AttestedBy}, AttestedAt: parseStamp(r.AttestedAt),
		ApprovedBy: Actor{UID: r.ApprovedUID, Name: r.ApprovedBy}, ApprovedAt: parseStamp(r.ApprovedAt)}
}

// Where names the supplement for messages: "supplement 1 of 2022-12".
func (s *Supplement) Where() string { return fmt.Sprintf("supplement %d of %s", s.N, s.Period) }

// Supplements returns every supplement of p (every period when p is 0), by
// period and number, each checked against its digest, with what it re-pays
// and its release.
func (s *Store) Supplements(p payout.Period) ([]Supplement, error) { return supplementsQ(s.db, p) }

func supplementsQ(q sqlx.Queryer, p payout.Period) ([]Supplement, error) {
	query, args := `SELECT * FROM supplements ORDER BY period, n`, []any{}
	if p != 0 {
		query, args = `SELECT * FROM supplements WHERE period = ? ORDER BY n`, []any{p.String()}
	}
	var rows []supplementRow
	if err := sqlx.Select(q, &rows, query, args...); err != nil {
		return nil, err
	}
	out := make([]Supplement, len(rows))
	for i, r := range rows {
		if sha(r.Body) != r.Digest {
			return nil, fmt.Errorf("stored supplement %d of %s does not match its digest: the store was changed outside payout", r.N, r.Period)
		}
		out[i] = r.supplement()
		if err := loadSupplementDetail(q, &out[i]); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func loadSupplementDetail(q sqlx.Queryer, sup *Supplement) error {
	var pays []struct {
		Repays  string `db:"repays"`
		E2E     string `db:"end_to_end_id"`
		PayeeID string `db:"payee_id"`
		Account string `db:"account"`
		Amount  string `db:"amount"`
	}
	if err := sqlx.Select(q, &pays, `SELECT repays, end_to_end_id, payee_id, account, amount FROM supplement_payments
		WHERE supplement_id = ? ORDER BY end_to_end_id`, sup.ID); err != nil {
		return err
	}
	for _, r := range pays {
		amt, _ := decimal.NewFromString(r.Amount)
		sup.Repays = append(sup.Repays, Repayment{Repays: r.Repays, EndToEndID: r.E2E, PayeeID: r.PayeeID, Account: r.Account, Amount: amt})
	}
	rel, err := supplementReleaseOf(q, sup.ID)
	sup.Release = rel
	return err
}

// openSupplement is p's supplement not yet released, or nil.
func openSupplement(q sqlx.Queryer, p payout.Period) (*Supplement, error) {
	all, err := supplementsQ(q, p)
	if err != nil {
		return nil, err
	}
	for i := range all {
		if all[i].Status != StatusReleased {
			return &all[i], nil
		}
	}
	return nil, nil
}

// NextSupplement is the number the next supplement of p gets: one more
// than its released ones (an unreleased one keeps its number when it is
// computed again).
func (s *Store) NextSupplement(p payout.Period) (int, error) {
	var n int
	err := s.db.Get(&n, `SELECT count(*) FROM supplements WHERE period = ? AND status = 'released'`, p.String())
	return n + 1, err
}

// SaveSupplement stores a computed supplement of a released period,
// replacing its unreleased supplement (an approved one only with reopen).
// It refuses a period that is not released, changed inputs, a number that
// is not the next one, and any payment that another supplement re-pays
// already (the database's unique key). It returns the stored supplement
// and the status of the one it replaced ("" when none).
func (s *Store) SaveSupplement(d SupplementDraft, by Actor, at When, reopen bool) (sup *Supplement, replaced Status, err error) {
	if err := s.requireRole(RolePreparer); err != nil {
		return nil, "", err
	}
	err = s.retrying(func() error { sup, replaced, err = s.saveSupplementOnce(d, by, at, reopen); return err })
	return sup, replaced, err
}

func (s *Store) saveSupplementOnce(d SupplementDraft, by Actor, at When, reopen bool) (*Supplement, Status, error) {
	if err := by.valid(); err != nil {
		return nil, "", err
	}
	tx, err := s.begin()
	if err != nil {
		return nil, "", err
	}
	defer tx.Rollback()
	run, err := runTx(tx, d.Period)
	if err != nil {
		return nil, "", err
	}
	if run.Status != StatusReleased {
		return nil, "", refusef(ErrNotReleased, "%s is %s, not released: a supplement pays again what the bank rejected of a released period", d.Period, run.Status)
	}
	if now, err := stateOf(tx); err != nil || now.Digest != d.InputDigest {
		if err != nil {
			return nil, "", err
		}
		return nil, "", refusef(ErrInputsChanged, "inputs changed while the supplement of %s was computed (another import): run it again", d.Period)
	}
	prev, err := openSupplement(tx, d.Period)
	if err != nil {
		return nil, "", err
	}
	replaced, err := s.clearSupplement(tx, prev, d, reopen)
	if err != nil {
		return nil, "", err
	}
	id, err := insertSupplement(tx, d, by, at)
	if err != nil {
		return nil, "", err
	}
	if err := insertRepays(tx, id, d); err != nil {
		return nil, "", err
	}
	detail := fmt.Sprintf("supplement %d, %s, %d payment(s) paid again, execution date %s", d.N, d.MsgID, len(d.Repays), d.PayDate)
	if replaced != "" {
		detail += fmt.Sprintf(", replaces the %s supplement", replaced)
	}
	if _, err := logEvent(tx, at, Event{Period: d.Period.String(), Action: ActionSupplementCompute, Actor: by,
		RunSHA256: sha(d.Body), Total: draftTotal(d).StringFixed(2), Detail: detail}); err != nil {
		return nil, "", err
	}
	sup, err := openSupplement(tx, d.Period)
	if err != nil {
		return nil, "", err
	}
	return sup, replaced, tx.Commit()
}

// clearSupplement removes the unreleased supplement a new computation
// replaces, and checks the new one's number.
func (s *Store) clearSupplement(tx *sqlx.Tx, prev *Supplement, d SupplementDraft, reopen bool) (Status, error) {
	var released int
	if err := tx.Get(&released, `SELECT count(*) FROM supplements WHERE period = ? AND status = 'released'`, d.Period.String()); err != nil {
		return "", err
	}
	if d.N != released+1 {
		return "", fmt.Errorf("store: supplement %d of %s: the next supplement is number %d", d.N, d.Period, released+1)
	}
	if prev == nil {
		return "", nil
	}
	if prev.Status == StatusApproved && !reopen {
		return "", refusef(ErrAlreadyApproved, "supplement %d of %s was approved by %s at %s; computing it again voids the attestation and approval: give --reopen to do so",
			prev.N, prev.Period, prev.ApprovedBy, prev.ApprovedAt)
	}
	for _, q := range []string{`DELETE FROM supplement_payments WHERE supplement_id = ?`, `DELETE FROM supplements WHERE id = ?`} {
		if _, err := tx.Exec(q, prev.ID); err != nil {
			return "", err
		}
	}
	return prev.Status, nil
}

func insertSupplement(tx *sqlx.Tx, d SupplementDraft, by Actor, at When) (int64, error) {
	var id int64
	err := tx.Get(&id, `INSERT INTO supplements (id, period, n, status, as_of, pay_date, msg_id, input_digest, total, payments, body, digest,
		computed_at, computed_by, computed_uid) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM supplements),
		?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		d.Period.String(), d.N, string(StatusComputed), d.AsOf.String(), d.PayDate.String(), d.MsgID, d.InputDigest,
		draftTotal(d).StringFixed(2), len(d.Repays), d.Body, sha(d.Body), stamp(at.Real), strings.TrimSpace(by.Name), by.UID)
	if err != nil {
		return 0, fmt.Errorf("store: supplement %d of %s: %w", d.N, d.Period, err)
	}
	return id, nil
}

// insertRepays records what the supplement pays again; a payment that
// another supplement re-pays already is refused by name.
func insertRepays(tx *sqlx.Tx, id int64, d SupplementDraft) error {
	for _, r := range d.Repays {
		var other struct {
			Period string `db:"period"`
			N      int    `db:"n"`
		}
		err := tx.Get(&other, `SELECT s.period, s.n FROM supplement_payments p JOIN supplements s ON s.id = p.supplement_id
			WHERE p.repays = ?`, r.Repays)
		if err == nil {
			return refusef(ErrPaidAgain, "%s (payee %s) is paid again by supplement %d of %s already: a payment is never paid twice",
				r.Repays, r.PayeeID, other.N, other.Period)
		}
		if !isNoRows(err) {
			return err
		}
		if _, err := tx.Exec(`INSERT INTO supplement_payments (supplement_id, repays, end_to_end_id, payee_id, account, amount)
			VALUES (?, ?, ?, ?, ?, ?)`, id, r.Repays, r.EndToEndID, r.PayeeID, r.Account, r.Amount.StringFixed(2)); err != nil {
			return fmt.Errorf("store: supplement payment %s: %w", r.EndToEndID, err)
		}
	}
	return nil
}

func draftTotal(d SupplementDraft) decimal.Decimal {
	t := decimal.Zero
	for _, r := range d.Repays {
		t = t.Add(r.Amount)
	}
	return t
}
