package statement

import (
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// Directory is what a statement shows beyond the Result: each payee's name,
// account and organisation number, and each fysio agreement's hjemmel, as
// in force at the run's as-of date.
type Directory struct {
	Payees  map[string]payout.Payee
	Hjemmel map[string]decimal.Decimal // agreement_id → hjemmel_percent
}

// NewDirectory takes from in the versions in force at res.AsOf (the latest
// recorded on or before it; of two recorded the same day the later in the
// input), without cancelled records. A payee paid this month is shown as the
// payment file pays it. in may be nil: then only paid payees are named.
func NewDirectory(res *payout.Result, in *payout.Inputs) *Directory {
	// The maps are made to the size they reach (a national set has 40 000
	// payees and agreements at 4×): grown from empty, each is rebuilt as it
	// doubles, its entries scattered again over a table larger than the
	// caches (issue 16).
	d := &Directory{Payees: make(map[string]payout.Payee, len(res.Payments)), Hjemmel: map[string]decimal.Decimal{}}
	if in != nil {
		payees := make(map[string]*payout.Payee, len(in.Payees))
		for i := range in.Payees {
			p := &in.Payees[i]
			if p.RecordedOn > res.AsOf {
				continue
			}
			if cur := payees[p.ID]; cur == nil || p.RecordedOn >= cur.RecordedOn {
				payees[p.ID] = p
			}
		}
		for id, p := range payees {
			if !p.Cancelled {
				d.Payees[id] = *p
			}
		}
		agreements := make(map[string]*payout.Agreement, len(in.Agreements))
		for i := range in.Agreements {
			a := &in.Agreements[i]
			if a.RecordedOn > res.AsOf {
				continue
			}
			if cur := agreements[a.ID]; cur == nil || a.RecordedOn >= cur.RecordedOn {
				agreements[a.ID] = a
			}
		}
		for id, a := range agreements {
			if a.Scheme == payout.SchemeFysio && !a.Cancelled {
				d.Hjemmel[id] = a.HjemmelPercent
			}
		}
	}
	for _, pm := range res.Payments {
		p := d.Payees[pm.PayeeID]
		p.ID, p.Name, p.Account, p.OrgNr = pm.PayeeID, pm.Name, pm.Account, pm.OrgNr
		d.Payees[pm.PayeeID] = p
	}
	return d
}

// payee returns the payee, or one that carries only its ID.
func (d *Directory) payee(id string) payout.Payee {
	if d != nil {
		if p, ok := d.Payees[id]; ok {
			return p
		}
	}
	return payout.Payee{ID: id}
}

// MaskAccount shows only the last four digits of an account number, in the
// way Norwegians group one: 1234.56.78903 → ****.**.*8903.
func MaskAccount(account string) string {
	if account == "" {
		return "(ikke oppgitt)"
	}
	if len(account) == 11 {
		return "****.**.*" + account[7:]
	}
	if len(account) <= 4 {
		return account
	}
	masked := []byte(account)
	for i := 0; i < len(masked)-4; i++ {
		if masked[i] >= '0' && masked[i] <= '9' {
			masked[i] = '*'
		}
	}
	return string(masked)
}
