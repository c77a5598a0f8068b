package excel

import (
	"fmt"

	"github.com/oslokommune/payout/payout/nb"
)

// SheetVoucher is report.xlsx's voucher (bilag) of the run: the postings
// of journal.csv and the voucher's controls (issue 14). District workbooks
// do not have it: the voucher books the whole run.
const SheetVoucher = "Bilag"

// voucherSheet writes the voucher: one row per posting with debit and
// credit apart (their sums, the totals row, are equal), then its controls
// and what it is.
func voucherSheet(w *workbook, v view) error {
	j := v.journal
	if j == nil {
		return nil // a district workbook
	}
	cols := []column{
		{"Bilagsart", false}, {"Bilagsnr", false}, {"Bilagsdato", false}, {"Periode", false},
		{"Konto", false}, {"Ansvar", false}, {"Kapittel", false}, {"Funksjon", false},
		{"Prosjekt", false}, {"Debet", true}, {"Kredit", true}, {"Tekst", false},
	}
	b := block{cols: cols, totals: true}
	for _, p := range j.Postings {
		debit, credit := cell{k: kMoney, empty: true}, cell{k: kMoney, empty: true}
		if p.Amount.IsPositive() {
			debit = money(p.Amount)
		} else {
			credit = money(p.Amount.Neg())
		}
		b.rows = append(b.rows, []cell{
			txt(j.Series), txt(j.Number), date(j.Date), txt(fmt.Sprintf("%04d%02d", j.Period.Year(), j.Period.Month())),
			txt(p.Account), txt(p.Ansvar), txt(p.Kapittel), txt(p.Function), txt(p.Project),
			debit, credit, txt(p.Text),
		})
	}
	pl, err := w.table(SheetVoucher, b)
	if err != nil {
		return err
	}
	row := pl.next + 2
	if err := w.heading(SheetVoucher, row, "Kontroller av bilaget"); err != nil {
		return err
	}
	cb := block{cols: []column{{"Kontroll", false}, {"Beskrivelse", false}, {"Resultat", false}, {"Tall", false}}}
	for _, c := range j.Controls {
		result := "OK"
		if !c.OK {
			result = "AVVIK"
		}
		cb.rows = append(cb.rows, []cell{txt(c.ID), txt(c.Name), txt(result), txt(c.Detail)})
	}
	placed, err := w.writeBlock(SheetVoucher, row+1, cb)
	if err != nil {
		return err
	}
	note := fmt.Sprintf("Bilag %s %s for %s %d, datert utbetalingsdagen. Filen journal.csv med de samme postene skrives når kjøringen frigis; kontoplanen står i policy.json (ledger).",
		j.Series, j.Number, nb.MonthName(j.Period.Month()), j.Period.Year())
	return w.heading(SheetVoucher, placed.next+1, note)
}
