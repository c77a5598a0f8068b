package bank

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// A supplement pays the rejected payments of a period again (issue 13):
// the same amounts, to the payee's account as it stands now, under a new
// MsgId and new EndToEndIds that name the originals.

// SupplementMsgID is the MsgId of supplement n of the file msgID.
func SupplementMsgID(msgID string, n int) string {
	return shortID(fmt.Sprintf("%s-S%d", msgID, n), msgID)
}

// SupplementEndToEndID is the EndToEndId of the payment that pays original
// again in supplement n: the original's with -S<n>, hashed when longer than
// 35 characters.
func SupplementEndToEndID(original string, n int) string {
	return shortID(fmt.Sprintf("%s-S%d", original, n), original)
}

func shortID(id, base string) string {
	if len(id) <= 35 {
		return id
	}
	sum := sha256.Sum256([]byte(id))
	suffix := id[len(base):]
	return hex.EncodeToString(sum[:])[:35-len(suffix)] + suffix
}

// accountReasons are the rejection reasons that concern the payee's
// account: paying again to the same account would be rejected again. A
// blocked account (AC06) may be unblocked, so it is not among them: the
// clerk decides whether the payee gives another.
var accountReasons = map[string]bool{"AC01": true, "AC03": true, "AC04": true, "AC13": true, "BE01": true, "MD07": true}

// NeedsNewAccount reports whether a rejection can only be paid again to a
// corrected account.
func (t *Track) NeedsNewAccount() bool { return t.Reason != nil && accountReasons[t.Reason.Code] }

// Repay makes the payments of supplement n for the repayable tracks (from
// Repayable): one per track, with its amount, and the payee's account in
// force now (payee). orig are the period's payments, for their remittance
// texts. A track whose rejection concerns the account is refused while the
// payee's account is still the rejected one.
func Repay(orig []payout.Payment, tracks []*Track, n int, payee func(id string) *payout.Payee) ([]payout.Payment, error) {
	byE2E := map[string]payout.Payment{}
	for _, p := range orig {
		byE2E[p.EndToEndID] = p
	}
	var out []payout.Payment
	var problems []string
	for _, t := range tracks {
		root := t.EndToEndID
		if t.Original != "" {
			root = t.Original
		}
		o, ok := byE2E[root]
		pe := payee(t.PayeeID)
		switch {
		case t.State != StateRejected || len(t.Bookings) > 0 || t.RepaidBy != "":
			problems = append(problems, fmt.Sprintf("%s (payee %s) is %s, not an open rejection: it is never paid twice", t.EndToEndID, t.PayeeID, t.State))
		case !ok:
			problems = append(problems, fmt.Sprintf("%s (payee %s) is not a payment of the period's run", root, t.PayeeID))
		case pe == nil:
			problems = append(problems, fmt.Sprintf("payee %s of %s is not known now", t.PayeeID, t.EndToEndID))
		case t.NeedsNewAccount() && payout.NormalizeAccount(pe.Account) == t.Account:
			problems = append(problems, fmt.Sprintf("payee %s's account is still %s, which the bank rejected (%s): record the corrected account in payees first",
				t.PayeeID, t.Account, t.Reason.Text()))
		default:
			p := o
			p.Name, p.Account, p.OrgNr, p.Address = pe.Name, pe.Account, pe.OrgNr, pe.Address
			p.Amount = t.Amount
			p.EndToEndID = SupplementEndToEndID(root, n)
			p.Remittance = repaidText(o.Remittance, t)
			out = append(out, p)
		}
	}
	if len(problems) > 0 {
		return nil, fmt.Errorf("bank: the supplement cannot be made:\n  %s", strings.Join(problems, "\n  "))
	}
	return out, nil
}

// repaidText is the original remittance text with what this payment is:
// "ny utbetaling" and the rejection's code, keeping the statement reference.
func repaidText(orig string, t *Track) string {
	head, ref, found := strings.Cut(orig, "; spes. ")
	note := ", ny utbetaling"
	if t.Reason != nil {
		note += " etter avvisning " + t.Reason.Code
	}
	if found {
		ref = "; spes. " + ref
	}
	room := payout.MaxRemittanceLen - utf8.RuneCountInString(note+ref)
	if r := []rune(head); len(r) > room {
		head = strings.TrimSpace(string(r[:max(room, 0)]))
	}
	return head + note + ref
}

// Sum is the total of payments.
func Sum(ps []payout.Payment) decimal.Decimal {
	s := decimal.Zero
	for _, p := range ps {
		s = s.Add(p.Amount)
	}
	return s
}
