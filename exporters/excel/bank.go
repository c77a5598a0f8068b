package excel

import (
	"strconv"
	"strings"

	"github.com/xuri/excelize/v2"

	"github.com/oslokommune/payout/payout/bank"
)

// SheetBank is the bank reconciliation's sheet (issue 13).
const SheetBank = "Bankavstemming"

// BankName is the workbook of the bank step: the released report.xlsx is
// a digested file of the release and is never written again, so the
// reconciliation, which changes with every bank report, has its own.
const BankName = "bankavstemming.xlsx"

// Bank renders bankavstemming.xlsx: one row per released payment of the
// period with its bank state, then the control (booked = CtrlSum less open
// rejections) and every difference.
func Bank(r *bank.Reconciliation) ([]byte, error) {
	stamp := r.Period.First().String() + "T00:00:00Z"
	w, err := newWorkbook("Bankavstemming "+r.Period.String(), []string{SheetBank}, &excelize.DocProperties{Title: "Bankavstemming " + r.Period.String(),
		Subject: "Bankens svar og bokføringer for utbetalingen " + r.Period.String(), Creator: "Oslo kommune – payout",
		LastModifiedBy: "Oslo kommune – payout", Category: "Utbetaling", Language: "nb-NO", Created: stamp, Modified: stamp, Revision: "1"}, nil)
	if err != nil {
		return nil, err
	}
	if err := bankSheet(w, r); err != nil {
		return nil, err
	}
	return w.finish()
}

func bankSheet(w *workbook, r *bank.Reconciliation) error {
	cols := []column{{"Fil (MsgId)", false}, {"Tillegg", false}, {"Mottaker", false}, {"Navn", false},
		{"EndToEndId", false}, {"Opprinnelig", false}, {"Beløp", true}, {"Status", false},
		{"Kode", false}, {"Årsak", false}, {"Bokført", true}, {"Bokføringsdato", false},
		{"Bokført i", false}, {"Betalt på nytt som", false}, {"Avvik", false}}
	b := block{cols: cols, totals: true}
	for _, row := range r.Rows {
		reason, bdate, in := "", blank(), ""
		if row.Reason != nil {
			reason = row.Reason.Text()
		}
		if len(row.Bookings) > 0 {
			bdate, in = date(row.Bookings[0].BookingDate), row.Bookings[0].Source.String()
		}
		diffs := make([]string, len(row.Diffs))
		for i, d := range row.Diffs {
			diffs[i] = string(d)
		}
		b.rows = append(b.rows, []cell{txt(row.File.MsgID), txt(supplementText(row.File.Supplement)), txt(row.PayeeID), txt(row.Name),
			txt(row.EndToEndID), txt(row.Original), money(row.Amount), txt(bank.StateText(row.State)), txt(row.Code),
			txt(reason), money(row.Booked), bdate, txt(in), txt(row.RepaidBy), txt(strings.Join(diffs, "; "))})
	}
	pl, err := w.table(SheetBank, b)
	if err != nil {
		return err
	}
	row := pl.next + 1
	if err := w.heading(SheetBank, row, "Avstemming"); err != nil {
		return err
	}
	balanced := "Ja"
	if !r.Balanced() {
		balanced = "NEI"
	}
	sum := block{cols: []column{{"Kontroll", false}, {"", false}}, rows: [][]cell{
		{txt("Sum i betalingsfilen (CtrlSum)"), money(r.CtrlSum)},
		{txt("Bokført"), money(r.Booked)},
		{txt("Åpne avvisninger (ikke betalt på nytt)"), money(r.OpenRejected)},
		{txt("Ikke bokført ennå"), money(r.Unbooked)},
		{txt("Bokført = CtrlSum − åpne avvisninger"), txt(balanced)},
		{txt("Avvik"), integer(len(r.Differences))},
	}}
	pl2, err := w.writeBlock(SheetBank, row+1, sum)
	if err != nil {
		return err
	}
	row = pl2.next + 1
	if err := w.heading(SheetBank, row, "Avvik"); err != nil {
		return err
	}
	db := block{cols: []column{{"Avvik", false}, {"EndToEndId", false}, {"Mottaker", false}, {"Beløp", false}, {"Detaljer", false}}}
	for _, d := range r.Differences {
		db.rows = append(db.rows, []cell{txt(string(d.Kind)), txt(d.EndToEndID), txt(d.PayeeID), money(d.Amount), txt(d.Detail)})
	}
	if len(db.rows) == 0 {
		db.rows = append(db.rows, []cell{txt("ingen avvik"), blank(), blank(), blank(), blank()})
	}
	_, err = w.writeBlock(SheetBank, row+1, db)
	return err
}

func supplementText(n int) string {
	if n == 0 {
		return ""
	}
	return "nr. " + strconv.Itoa(n)
}
