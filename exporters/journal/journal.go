// Package journal books one period's payout in the general ledger: the
// voucher (bilag) of journal.csv and of report.xlsx's Bilag sheet (issue 14).
//
// The contract:
//   - one voucher per run, dated pay(P), numbered from the period
//     (YYYYMM01 in the policy's voucher series);
//   - postings per scheme and district (ansvar): the expense of the month's
//     own grant (the lines' entitlement) and, apart, of corrections of
//     earlier months (R-ADJ); withheld amounts credited to the liability
//     "tilbakeholdt tilskudd" and released amounts debited from it (§15.1);
//     an overpayment carried to later months debited to a receivable when it
//     arises and credited when recovered (R-CARRY), or debited as a claim on
//     its payee when it can no longer be recovered (RULEBOOK §6); and one
//     credit to the bank equal to the payment file's control sum;
//   - signed amounts, debit positive, credit negative; a zero posting is left
//     out; postings sorted by scheme, district and kind, the bank last;
//   - every account, ansvar, kapittel and function comes from the policy's
//     ledger block (payout.Ledger); a district without an ansvar or a
//     missing account is an error, so nothing is released unbooked;
//   - the controls of the voucher (debits = credits, bank credit = control
//     sum, liability change = withheld − released) are computed from the
//     Result's payments and breaches, not from the postings; Build fails
//     when one does not hold.
//
// Build is pure: the same Result gives the same Journal.
package journal

import (
	"errors"
	"fmt"
	"sort"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// Kind is what a posting books.
type Kind string

// The posting kinds, in their order within a district.
const (
	KindBase       Kind = "base"        // expense: the month's own grant
	KindAdjustment Kind = "adjustment"  // expense: corrections of earlier months
	KindWithheld   Kind = "withheld"    // liability credited (§15.1)
	KindReleased   Kind = "released"    // liability debited (§15.1)
	KindCarriedIn  Kind = "carried_in"  // receivable credited: an overpayment recovered
	KindCarriedOut Kind = "carried_out" // receivable debited: a new overpayment
	KindClaim      Kind = "claim"       // the claim receivable debited: an overpayment claimed back from its payee (RULEBOOK §6)
	KindBank       Kind = "bank"        // the payment file's control sum
)

var kindOrder = []Kind{KindBase, KindAdjustment, KindWithheld, KindReleased, KindCarriedIn, KindCarriedOut, KindClaim}

// Posting is one line of the voucher.
type Posting struct {
	Kind     Kind
	Scheme   payout.Scheme // "" for the bank
	Bydel    string        // "" for the bank
	Account  string
	Ansvar   string
	Kapittel string
	Function string
	Project  string
	Amount   decimal.Decimal // debit positive, credit negative
	Text     string
}

// Journal is the voucher of one run.
type Journal struct {
	Period   payout.Period
	Date     payout.Date // pay(P)
	Series   string      // the voucher series (bilagsart)
	Number   string      // the voucher number
	Postings []Posting
	Controls []payout.Control
}

// ErrControl is wrapped by Build when a control of the voucher fails.
var ErrControl = errors.New("journal control failed")

// Control IDs of the voucher.
const (
	CBalance   = "C-BILAG-BALANSE"
	CBank      = "C-BILAG-BANK"
	CLiability = "C-BILAG-TILBAKEHOLDT"
)

// VoucherNumber is the number of a period's voucher: YYYYMM and sequence 01.
func VoucherNumber(p payout.Period) string { return fmt.Sprintf("%04d%02d01", p.Year(), p.Month()) }

// totals are one scheme and district's amounts.
type totals struct {
	entitlement, adjustments, withheld, released, carriedIn, carriedOut, claimed decimal.Decimal
}

type groupKey struct {
	scheme payout.Scheme
	bydel  string
}

// Build books the Result with the ledger block of its policy.
func Build(res *payout.Result) (*Journal, error) {
	led := &res.Policy.Ledger
	if err := led.Validate(); err != nil {
		return nil, err
	}
	groups, keys := group(res.Lines)
	j := &Journal{Period: res.Period, Date: res.PayDate, Series: led.VoucherSeries, Number: VoucherNumber(res.Period)}
	var missing []string
	for _, k := range keys {
		ansvar, ok := led.Ansvar[k.bydel]
		sl := led.SchemeLedger(k.scheme)
		switch {
		case sl == nil:
			return nil, fmt.Errorf("journal: unknown scheme %q", k.scheme)
		case !ok:
			missing = append(missing, k.bydel)
			continue
		}
		j.Postings = append(j.Postings, postings(res.Period, k, groups[k], sl, ansvar, led.Kapittel)...)
	}
	if len(missing) > 0 {
		return nil, fmt.Errorf("policy: ledger.ansvar has no responsibility code for bydel %s: add it to the ledger block of policy.json", strings.Join(uniq(missing), ", "))
	}
	j.Postings = append(j.Postings, bankPosting(res, led))
	j.Controls = controls(res, j)
	var failed []string
	for _, c := range j.Controls {
		if !c.OK {
			failed = append(failed, c.ID+": "+c.Detail)
		}
	}
	if len(failed) > 0 {
		return nil, fmt.Errorf("journal of %s: %w: %s", res.Period, ErrControl, strings.Join(failed, "; "))
	}
	return j, nil
}

// group sums the lines per scheme and district; keys are sorted.
func group(lines []payout.Line) (map[groupKey]*totals, []groupKey) {
	groups := map[groupKey]*totals{}
	var keys []groupKey
	for i := range lines {
		l := &lines[i]
		k := groupKey{l.Scheme, l.Bydel}
		t := groups[k]
		if t == nil {
			t = &totals{}
			groups[k] = t
			keys = append(keys, k)
		}
		t.entitlement = t.entitlement.Add(l.Entitlement)
		t.adjustments = t.adjustments.Add(l.Adjustments)
		t.withheld = t.withheld.Add(l.Withheld)
		t.released = t.released.Add(l.Released)
		t.carriedIn = t.carriedIn.Add(l.CarriedIn)
		t.carriedOut = t.carriedOut.Add(l.CarriedOut)
		t.claimed = t.claimed.Add(l.Claimed)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].scheme != keys[j].scheme {
			return schemeRank(keys[i].scheme) < schemeRank(keys[j].scheme)
		}
		return keys[i].bydel < keys[j].bydel
	})
	return groups, keys
}

func schemeRank(s payout.Scheme) int {
	if s == payout.SchemeFastlege {
		return 0
	}
	return 1
}

// postings books one scheme and district. Debits: the expense (entitlement
// and adjustments), the liability released, a new overpayment; credits:
// the liability withheld, an overpayment recovered. What is left is the
// district's part of the bank credit: net = entitlement + adjustments −
// withheld + released + carried_in − carried_out + claimed (R-CARRY; a
// claim is an overpayment no longer carried but claimed from its payee).
func postings(p payout.Period, k groupKey, t *totals, sl *payout.LedgerScheme, ansvar, kapittel string) []Posting {
	amounts := map[Kind]decimal.Decimal{
		KindBase:       t.entitlement,
		KindAdjustment: t.adjustments,
		KindWithheld:   t.withheld.Neg(),
		KindReleased:   t.released,
		KindCarriedIn:  t.carriedIn,        // ≤ 0: the receivable is credited
		KindCarriedOut: t.carriedOut.Neg(), // carried_out ≤ 0: the receivable is debited
		KindClaim:      t.claimed,          // ≥ 0: a claim on the payee is debited
	}
	var out []Posting
	for _, kind := range kindOrder {
		amt := amounts[kind]
		if amt.IsZero() {
			continue
		}
		out = append(out, Posting{
			Kind: kind, Scheme: k.scheme, Bydel: k.bydel, Account: account(sl, kind),
			Ansvar: ansvar, Kapittel: kapittel, Function: sl.Function, Project: sl.Project,
			Amount: amt, Text: postingText(p, kind, k),
		})
	}
	return out
}

func account(sl *payout.LedgerScheme, kind Kind) string {
	switch kind {
	case KindBase:
		return sl.Accounts.Base
	case KindAdjustment:
		return sl.Accounts.Adjustment
	case KindWithheld, KindReleased:
		return sl.Accounts.Withheld
	case KindClaim:
		return sl.Accounts.Claim
	default:
		return sl.Accounts.Carried
	}
}

// bankPosting credits the bank with the sum of the payments: the payment
// file's CtrlSum.
func bankPosting(res *payout.Result, led *payout.Ledger) Posting {
	sum := paymentsSum(res)
	return Posting{
		Kind: KindBank, Account: led.Bank.Account, Ansvar: led.Bank.Ansvar, Kapittel: led.Kapittel,
		Function: led.Bank.Function, Project: led.Bank.Project, Amount: sum.Neg(),
		Text: fmt.Sprintf("Utbetaling %s, %d betalinger", monthYear(res.Period), len(res.Payments)),
	}
}

// Debit and Credit are the voucher's two sides (Credit as a positive sum).
func (j *Journal) Debit() decimal.Decimal { return j.side(1) }

// Credit is the sum of the credits, as a positive amount.
func (j *Journal) Credit() decimal.Decimal { return j.side(-1).Neg() }

func (j *Journal) side(sign int) decimal.Decimal {
	var s decimal.Decimal
	for _, p := range j.Postings {
		if p.Amount.Sign() == sign {
			s = s.Add(p.Amount)
		}
	}
	return s
}

// Sum is the net of the postings on one account (debit positive).
func (j *Journal) Sum(account string) decimal.Decimal {
	var s decimal.Decimal
	for _, p := range j.Postings {
		if p.Account == account {
			s = s.Add(p.Amount)
		}
	}
	return s
}

func uniq(s []string) []string {
	sort.Strings(s)
	out := s[:0]
	for i, x := range s {
		if i == 0 || x != s[i-1] {
			out = append(out, x)
		}
	}
	return out
}
