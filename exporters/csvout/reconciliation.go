package csvout

import (
	"strconv"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
	"github.com/oslokommune/payout/payout/nb"
)

// ReconciliationName is the bank reconciliation's file name (issue 13).
const ReconciliationName = "reconciliation.csv"

// ReconciliationHeader is the header of reconciliation.csv: one row per
// released payment of the period (its own file, then each supplement),
// then one per bank entry that is not payout's.
var ReconciliationHeader = []string{
	"period", "msg_id", "supplement", "payee_id", "name", "end_to_end_id", "original", "amount",
	"state", "status_code", "reason_code", "reason", "booked", "booking_date", "booked_in",
	"repaid_by", "differences",
}

// Reconciliation renders reconciliation.csv from the period's
// reconciliation (bank.Ledger.Reconcile).
func Reconciliation(r *bank.Reconciliation) ([]byte, error) {
	t := newTable(ReconciliationHeader)
	for _, row := range r.Rows {
		code, reason := "", ""
		if row.Reason != nil {
			code, reason = row.Reason.Code, row.Reason.Text()
		}
		date, in := "", ""
		if len(row.Bookings) > 0 {
			b := row.Bookings[0]
			if b.BookingDate != payout.NoDate {
				date = b.BookingDate.String()
			}
			in = b.Source.String()
		}
		diffs := make([]string, len(row.Diffs))
		for i, d := range row.Diffs {
			diffs[i] = string(d)
		}
		t.row([]string{
			r.Period.String(), text(row.File.MsgID), strconv.Itoa(row.File.Supplement), text(row.PayeeID), text(row.Name),
			text(row.EndToEndID), text(row.Original), nb.Money(row.Amount), string(row.State), text(row.Code),
			text(code), text(reason), nb.Money(row.Booked), date, text(in), text(row.RepaidBy), text(strings.Join(diffs, ";")),
		})
	}
	for _, d := range r.Differences {
		if d.Kind != bank.DiffUnknown && d.Kind != bank.DiffCredit {
			continue // on the payment's row
		}
		t.row([]string{r.Period.String(), "", "", "", "", text(d.EndToEndID), "", nb.Money(d.Amount),
			"", "", "", "", nb.Money(d.Amount), "", text(d.Detail), "", string(d.Kind)})
	}
	return t.bytes()
}
