package store

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"

	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/record"
)

// Paid is what a stored run pays, as its bank file shows it: the part of
// its result that the bank's ledger reads (Store.Paid).
type Paid struct {
	Period   payout.Period
	PayDate  payout.Date
	Total    decimal.Decimal
	Policy   payout.Policy
	Payments []PaidPayment
}

// PaidPayment is a payment of a Paid: the fields of payout.Payment that a
// bank file carries.
type PaidPayment struct {
	PayeeID    string
	Name       string
	Account    string
	EndToEndID string
	Amount     decimal.Decimal
}

// Paid is what a run pays, for the bank's ledger, which reads it of every
// release for every run, bank import and due (issue 16). A run released
// since the store kept records (migration 0008) has its Paid as a record
// of its own, written by the release in its transaction and checked
// against its SHA-256 here, so that the ledger does not decode a year of
// national results (47 ms of CPU each); status --check requires it to be
// what the released result gives (paidRecordProblem). Any other run's is
// read from its stored result (its digest checked).
func (s *Store) Paid(runID int64) (*Paid, error) {
	rec, err := readDigested(s.db, s.pg, `SELECT record, sha256 FROM release_records WHERE run_id = ?`, runID)
	switch {
	case isNoRows(err):
		return s.paidOfResult(runID)
	case errors.Is(err, errDigest):
		return nil, fmt.Errorf("stored record of release of run %d %w: the store was changed outside payout", runID, err)
	case err != nil:
		return nil, err
	}
	paid, err := decodePaid(rec)
	if err != nil {
		return nil, fmt.Errorf("stored record of release of run %d: %w", runID, err)
	}
	return paid, nil
}

// paidOfResult reads Paid from a run's stored result.
func (s *Store) paidOfResult(runID int64) (*Paid, error) {
	blob, err := s.resultBlob(runID)
	if err != nil {
		return nil, err
	}
	paid, err := paidOf(blob)
	if err != nil {
		return nil, fmt.Errorf("stored result of run %d: %w", runID, err)
	}
	return paid, nil
}

// paidOf decodes Paid from a result's JSON. Of a national result's 7.2 MB
// the lines are 5 and most of the time a decode takes: they are cut out
// first (cutMember; a result where that cannot be done has them read
// past), and the rest Paid does not hold is read past too.
func paidOf(blob []byte) (*Paid, error) {
	if cut, ok := cutMember(blob, "Lines"); ok {
		blob = cut
	}
	var paid Paid
	if err := json.Unmarshal(blob, &paid); err != nil {
		return nil, err
	}
	return &paid, nil
}

// paidFormat names the layout of a release's record; its first value.
const paidFormat = "payout-paid/1"

// encodePaid is p's record: the period, the payment date, the total, the
// policy (as its JSON) and each payment, decimals with their exponents.
func encodePaid(p *Paid) ([]byte, error) {
	pol, err := json.Marshal(p.Policy)
	if err != nil {
		return nil, err
	}
	w := record.NewWriter(len(pol) + 64 + len(p.Payments)*96)
	w.Str(paidFormat)
	w.Int(int64(p.Period))
	w.Int(int64(p.PayDate))
	w.Decimal(p.Total)
	w.Str(string(pol))
	w.Uint(uint64(len(p.Payments)))
	for i := range p.Payments {
		pp := &p.Payments[i]
		w.Strs(pp.PayeeID, pp.Name, pp.Account, pp.EndToEndID)
		w.Decimal(pp.Amount)
	}
	return w.Bytes(), nil
}

// decodePaid reads what encodePaid wrote.
func decodePaid(rec []byte) (*Paid, error) {
	r := record.NewReader(rec)
	if f := r.Str(); f != paidFormat {
		return nil, fmt.Errorf("format %.40q, not %q", f, paidFormat)
	}
	p := &Paid{Period: payout.Period(r.Int32()), PayDate: payout.Date(r.Int32()), Total: r.Decimal()}
	pol := r.Str()
	if n := r.Count(6); n > 0 {
		p.Payments = make([]PaidPayment, n)
	}
	for i := range p.Payments {
		p.Payments[i] = PaidPayment{PayeeID: r.Str(), Name: r.Str(), Account: r.Str(), EndToEndID: r.Str(), Amount: r.Decimal()}
	}
	if err := r.End("the last payment"); err != nil {
		return nil, err
	}
	if err := json.Unmarshal([]byte(pol), &p.Policy); err != nil {
		return nil, fmt.Errorf("its policy: %w", err)
	}
	return p, nil
}

// insertPaid stores the record of what the release of run pays, from the
// result JSON it stores (blob): the Paid the ledger would read from it.
func insertPaid(tx *sqlx.Tx, runID int64, blob []byte) error {
	paid, err := paidOf(blob)
	if err != nil {
		return fmt.Errorf("store: result: %w", err)
	}
	rec, err := encodePaid(paid)
	if err != nil {
		return fmt.Errorf("store: record of the release: %w", err)
	}
	_, err = tx.Exec(`INSERT INTO release_records (run_id, record, sha256) VALUES (?, ?, ?)`, runID, rec, sha(rec))
	return err
}

// paidRecordProblem is status --check's proof that a release's record is
// what its released result gives ("" when it is, or when it has none).
func (s *Store) paidRecordProblem(r *Release) string {
	if err := s.paidRecordIsResult(r.RunID); err != nil {
		return fmt.Sprintf("release %s: its record of what it paid cannot be trusted (%v): the store was changed outside payout", r.Period, err)
	}
	return ""
}

func (s *Store) paidRecordIsResult(runID int64) error {
	var rec []byte
	err := s.db.Get(&rec, `SELECT record FROM release_records WHERE run_id = ?`, runID)
	if isNoRows(err) {
		return nil
	}
	if err != nil {
		return err
	}
	paid, err := s.paidOfResult(runID)
	if err != nil {
		return err
	}
	want, err := encodePaid(paid)
	if err != nil {
		return err
	}
	if !bytes.Equal(want, rec) {
		return fmt.Errorf("it is not what the released result pays")
	}
	return nil
}
