package main

import (
	"encoding/json"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
	"github.com/oslokommune/payout/payout/store"
)

// A supplement (issue 13) pays the payments of a released period that the
// bank rejected again: `payout run --period P --supplement` makes it from
// the bank's answers (bank.Ledger.Repayable) and the payees' accounts as
// recorded now (bank.Repay), the store keeps its canonical body, attest and
// approve name the body's digest, and release makes it again inside the
// store's release transaction and releases only the approved body. Its
// file, payments-supplement-N.xml, has the MsgId <period's MsgId>-S<N> and
// EndToEndIds <original>-S<N>.

// supplementFormat heads a supplement's body.
const supplementFormat = "payout-supplement/1"

// supplementBody is what a supplement pays, canonically (its SHA-256 is
// the supplement's digest). Field order is fixed; amounts are decimals
// with two places.
type supplementBody struct {
	Format   string              `json:"format"`
	Period   string              `json:"period"`
	N        int                 `json:"n"`
	MsgID    string              `json:"msg_id"`
	Original string              `json:"original_msg_id"`
	AsOf     string              `json:"as_of"`
	PayDate  string              `json:"pay_date"`
	Total    string              `json:"total"`
	Payments []supplementPayment `json:"payments"`
}

type supplementPayment struct {
	Repays     string         `json:"repays"` // the EndToEndId paid again
	Reason     string         `json:"reason"` // the bank's rejection (code and text)
	OldAccount string         `json:"rejected_account"`
	PayeeID    string         `json:"payee_id"`
	Name       string         `json:"name"`
	Account    string         `json:"account"`
	OrgNr      string         `json:"orgnr,omitempty"`
	Address    payout.Address `json:"address,omitzero"`
	Amount     string         `json:"amount"`
	EndToEndID string         `json:"end_to_end_id"`
	Remittance string         `json:"remittance"`
}

// supplementPlan is a supplement made from the store: its body and bytes.
type supplementPlan struct {
	body   supplementBody
	data   []byte
	policy payout.Policy
}

// makeSupplement makes supplement n of p as of asOf (the payee versions
// recorded by then), paid on payDate: exactly the repayable rejections of
// the ledger, at their amounts, to each payee's account now.
func makeSupplement(s *store.Store, l *bank.Ledger, in *payout.Inputs, p payout.Period, n int, asOf, payDate payout.Date) (*supplementPlan, error) {
	run, err := s.Run(p)
	if err != nil {
		return nil, err
	}
	if run.Release == nil {
		return nil, errorf("%s is not released: a supplement pays again what the bank rejected of a released period", p)
	}
	res, err := s.Result(run.ID)
	if err != nil {
		return nil, err
	}
	tracks := l.Repayable(p)
	if len(tracks) == 0 {
		return nil, errorf("%s has no rejected payment to pay again: nothing the bank rejected is open (booked, or in a supplement already)", p)
	}
	pays, err := bank.Repay(res.Payments, tracks, n, payeeAsOf(in, asOf))
	if err != nil {
		return nil, err
	}
	msgID := bank.SupplementMsgID(run.Release.MsgID, n)
	body := supplementBody{Format: supplementFormat, Period: p.String(), N: n, MsgID: msgID, Original: run.Release.MsgID,
		AsOf: asOf.String(), PayDate: payDate.String(), Total: bank.Sum(pays).StringFixed(2)}
	for i, pay := range pays {
		t := tracks[i] // Repay keeps the tracks' order, one payment each
		reason := ""
		if t.Reason != nil {
			reason = t.Reason.Text()
		}
		body.Payments = append(body.Payments, supplementPayment{Repays: t.EndToEndID, Reason: reason, OldAccount: t.Account,
			PayeeID: pay.PayeeID, Name: pay.Name, Account: payout.NormalizeAccount(pay.Account), OrgNr: pay.OrgNr, Address: pay.Address,
			Amount: pay.Amount.StringFixed(2), EndToEndID: pay.EndToEndID, Remittance: pay.Remittance})
	}
	data, err := json.MarshalIndent(body, "", "  ")
	if err != nil {
		return nil, err
	}
	return &supplementPlan{body: body, data: append(data, '\n'), policy: res.Policy}, nil
}

// payeeAsOf gives each payee's version in force at asOf: the latest
// recorded on or before it (the last of equal ones in import order), nil
// when cancelled or unknown.
func payeeAsOf(in *payout.Inputs, asOf payout.Date) func(string) *payout.Payee {
	return func(id string) *payout.Payee {
		var best *payout.Payee
		for i := range in.Payees {
			v := &in.Payees[i]
			if v.ID == id && v.RecordedOn <= asOf && (best == nil || v.RecordedOn >= best.RecordedOn) {
				best = v
			}
		}
		if best == nil || best.Cancelled {
			return nil
		}
		return best
	}
}

// draft is the plan as the store records it.
func (sp *supplementPlan) draft(p payout.Period, inputDigest string) (store.SupplementDraft, error) {
	asOf, err := payout.ParseDate(sp.body.AsOf)
	if err != nil {
		return store.SupplementDraft{}, err
	}
	pay, err := payout.ParseDate(sp.body.PayDate)
	if err != nil {
		return store.SupplementDraft{}, err
	}
	d := store.SupplementDraft{Period: p, N: sp.body.N, AsOf: asOf, PayDate: pay, MsgID: sp.body.MsgID, InputDigest: inputDigest, Body: sp.data}
	for _, x := range sp.body.Payments {
		amt, err := decimal.NewFromString(x.Amount)
		if err != nil {
			return d, err
		}
		d.Repays = append(d.Repays, store.Repayment{Repays: x.Repays, EndToEndID: x.EndToEndID, PayeeID: x.PayeeID, Account: x.Account, Amount: amt})
	}
	return d, nil
}

// readSupplementBody reads a stored supplement's body.
func readSupplementBody(sup *store.Supplement) (*supplementBody, error) {
	var b supplementBody
	if err := json.Unmarshal(sup.Body, &b); err != nil || b.Format != supplementFormat {
		return nil, errorf("stored %s: its body is not a %s body: %v", sup.Where(), supplementFormat, err)
	}
	return &b, nil
}

// result is the supplement as a run result, for the payment file.
func (b *supplementBody) result(pol payout.Policy) (*payout.Result, error) {
	p, err := payout.ParsePeriod(b.Period)
	if err != nil {
		return nil, err
	}
	pay, err := payout.ParseDate(b.PayDate)
	if err != nil {
		return nil, err
	}
	res := &payout.Result{Period: p, PayDate: pay, Policy: pol}
	for _, x := range b.Payments {
		amt, err := decimal.NewFromString(x.Amount)
		if err != nil {
			return nil, err
		}
		res.Payments = append(res.Payments, payout.Payment{PayeeID: x.PayeeID, Name: x.Name, Account: x.Account, OrgNr: x.OrgNr,
			Address: x.Address, Amount: amt, EndToEndID: x.EndToEndID, Remittance: x.Remittance})
		res.Total = res.Total.Add(amt)
	}
	return res, nil
}

// bankFile is a released supplement as the bank received it.
func (b *supplementBody) bankFile() (bank.File, error) {
	res, err := b.result(payout.Policy{})
	if err != nil {
		return bank.File{}, err
	}
	f := bank.File{MsgID: b.MsgID, Period: res.Period, Supplement: b.N, ExecutionDate: res.PayDate, CtrlSum: res.Total}
	block := pain001.BlockID(b.MsgID, res.PayDate)
	for i, pay := range res.Payments {
		f.Payments = append(f.Payments, bank.Payment{PmtInfID: block, EndToEndID: pay.EndToEndID, PayeeID: pay.PayeeID,
			Name: pay.Name, Account: payout.NormalizeAccount(pay.Account), Amount: pay.Amount, Currency: "NOK", Original: b.Payments[i].Repays})
	}
	return f, nil
}

// releasedSupplementFiles are the released supplements' files, by period
// and number (after the periods' own files, so each names a known original).
func releasedSupplementFiles(s *store.Store) ([]bank.File, error) {
	sups, err := s.Supplements(0)
	if err != nil {
		return nil, err
	}
	var out []bank.File
	for i := range sups {
		if sups[i].Release == nil {
			continue
		}
		f, err := supplementFile(&sups[i])
		if err != nil {
			return nil, err
		}
		out = append(out, f)
	}
	return out, nil
}

// supplementFile is a stored supplement's payment file, from its body.
func supplementFile(sup *store.Supplement) (bank.File, error) {
	b, err := readSupplementBody(sup)
	if err != nil {
		return bank.File{}, err
	}
	return b.bankFile()
}

// supplementPayDate is the execution date of a supplement computed today:
// the next banking day, and never before the period's own payment date.
func supplementPayDate(today, periodPay payout.Date) payout.Date {
	d := bank.BookingDeadline(today, 1)
	if d < periodPay {
		d = periodPay
	}
	return d
}

var _ = messages(
	msg{"stored %s: its body is not a %s body: %v", "lagret %s: innholdet er ikke et %s-innhold: %v"},
	msg{"%s is not released: a supplement pays again what the bank rejected of a released period",
		"%s er ikke frigitt: en tilleggsutbetaling betaler på nytt det banken avviste i en frigitt periode"},
	msg{"%s has no rejected payment to pay again: nothing the bank rejected is open (booked, or in a supplement already)",
		"%s har ingen avvist betaling å betale på nytt: ingenting banken avviste er åpent (bokført, eller allerede i en tilleggsutbetaling)"},
)
