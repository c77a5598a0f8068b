package main

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"os"
	"path/filepath"
	"runtime"
	"sort"

	"github.com/oslokommune/payout/exporters/csvout"
	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/exporters/pain001"
	"github.com/oslokommune/payout/importers/iso20022"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
	"github.com/oslokommune/payout/payout/parallel"
	"github.com/oslokommune/payout/payout/store"
)

// bankCommand reads the bank's answers to released payment files (issue
// 13): `payout bank import` stores pain.002 status reports and camt.054
// debit notifications, all or nothing, after package bank has matched every
// one of them to the released payments; with --out it writes each answered
// period's reconciliation (P/bank/reconciliation.csv, bankavstemming.xlsx).
type bankCommand struct {
	base
	shared
}

func newBankCommand(env *Env) command {
	c := &bankCommand{base: newBase("bank", env)}
	c.dbFlag(c.fs, "store file (made with payout init)")
	c.outFlag(c.fs, "", "folder for each answered period's bank/ folder (reconciliation.csv, bankavstemming.xlsx); empty writes none")
	c.help = helpText{
		synopsis: []string{"payout bank import --db FILE [--out DIR] PATH..."},
		required: "--db and at least one pain.002 or camt.054 file (or a folder of them)",
		example:  "payout bank import --db payout.db --out out bank/",
	}
	return c
}

func (c *bankCommand) Run(_ context.Context, args []string) error {
	// The action may stand before or after the flags (bank import --db F,
	// bank --db F import): the flags on either side are parsed.
	action := len(args) > 0 && args[0] == "import"
	if action {
		args = args[1:]
	}
	if err := c.parse(args); err != nil {
		return err
	}
	if rest := c.fs.Args(); !action && len(rest) > 0 && rest[0] == "import" {
		action = true
		if err := c.parse(rest[1:]); err != nil {
			return err
		}
	}
	if !action {
		return usagef("payout bank takes one action, import: %s", "payout bank import --db FILE PATH...")
	}
	paths := c.fs.Args()
	if len(paths) == 0 {
		return usagef("give the bank's files to import: %s", "payout bank import --db FILE PATH...")
	}
	if c.db == "" {
		return usagef("--db FILE is required")
	}
	files, reports, err := readBankFiles(paths)
	if err != nil {
		return err
	}
	s, by, err := c.openAs(c.env, "")
	if err != nil {
		return err
	}
	defer s.Close()
	var l *bank.Ledger
	outcomes, err := s.ImportBank(store.BankImport{Files: files, By: by, At: c.env.when(),
		Check: func(stored []store.BankReport, fresh []store.BankFile) ([][]payout.Period, error) {
			var err error
			if l, err = storedLedger(s, stored); err != nil {
				return nil, err
			}
			return applyFresh(l, fresh, reports)
		},
		Open: func() []byte { return l.Open().Encode() }})
	if err != nil {
		return err
	}
	if l == nil { // nothing new: the ledger as stored
		if l, err = ledgerOf(s); err != nil {
			return err
		}
	}
	return c.report(s, l, outcomes, reports)
}

// readBankFiles reads every file (a folder's *.xml files, sorted) and the
// report in it; every problem of every file is returned at once.
func readBankFiles(paths []string) ([]store.BankFile, map[string]*bank.Report, error) {
	var names []string
	for _, p := range paths {
		fi, err := os.Stat(p)
		if err != nil {
			return nil, nil, err
		}
		if !fi.IsDir() {
			names = append(names, p)
			continue
		}
		found, err := filepath.Glob(filepath.Join(p, "*.xml"))
		if err != nil {
			return nil, nil, err
		}
		sort.Strings(found)
		names = append(names, found...)
	}
	var files []store.BankFile
	reports := map[string]*bank.Report{}
	var problems payout.ErrorList
	for _, name := range names {
		data, err := os.ReadFile(name)
		if err != nil {
			return nil, nil, err
		}
		rep, err := iso20022.Read(name, data)
		if err != nil {
			problems = append(problems, asList(err)...)
			continue
		}
		reports[rep.SHA256] = rep
		files = append(files, store.BankFile{Path: name, Data: data, Kind: string(rep.Kind), Version: rep.Version, MsgID: rep.MsgID,
			Created: rep.Created, Record: bank.EncodeReport(rep)})
	}
	if len(problems) > 0 {
		return nil, nil, problems
	}
	return files, reports, nil
}

func asList(err error) payout.ErrorList {
	if l, ok := err.(payout.ErrorList); ok {
		return l
	}
	return payout.ErrorList{&payout.InputError{Msg: err.Error()}}
}

// applyFresh applies the new reports in order; any refusal refuses all.
func applyFresh(l *bank.Ledger, fresh []store.BankFile, reports map[string]*bank.Report) ([][]payout.Period, error) {
	var problems payout.ErrorList
	periods := make([][]payout.Period, len(fresh))
	for i, f := range fresh {
		rep := reports[sha256Hex(f.Data)]
		out, err := l.Apply(rep)
		if err != nil {
			problems = append(problems, asList(err)...)
			continue
		}
		periods[i] = out.Periods
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return periods, nil
}

// ledgerOf is the ledger of every release and stored report.
func ledgerOf(s *store.Store) (*bank.Ledger, error) {
	stored, err := s.BankRecords()
	if err != nil {
		return nil, err
	}
	return storedLedger(s, stored)
}

// bankDue lists what due must report of the bank step: rejections nobody
// has paid again (any period up to today's), and payments still unbooked
// more than policy bank_booking_days banking days after their execution.
func bankDue(env *Env, s *store.Store, today payout.Date) ([]string, error) {
	l, rels, err := openItems(s)
	if err != nil || l == nil {
		return nil, err
	}
	// The latest release's policy says how long a payment may stay unbooked.
	paid, err := s.Paid(rels[len(rels)-1].RunID)
	if err != nil {
		return nil, err
	}
	days := paid.Policy.BankBookingDays
	out, err := openRejectionLines(env, s, l.OpenRejections(today.Period()))
	if err != nil {
		return nil, err
	}
	for _, t := range l.Overdue(today, days) {
		out = append(out, env.tr("%s: %s (%s, %s) is %s and not booked %d banking day(s) after its execution on %s: ask the bank",
			t.File.Period, t.EndToEndID, t.PayeeID, formatKroner(t.Amount), stateName(env, t.State), days, t.File.ExecutionDate))
	}
	return out, nil
}

// openRejectionLines says of each rejection nobody has paid again
// (OpenRejections) what is to be done: a supplement, or its release.
func openRejectionLines(env *Env, s *store.Store, rejected []*bank.Track) ([]string, error) {
	pending, err := pendingSupplements(s)
	if err != nil {
		return nil, err
	}
	var out []string
	for _, t := range rejected {
		reason := "-"
		if t.Reason != nil {
			reason = t.Reason.Text()
		}
		if sup := pending[t.EndToEndID]; sup != nil {
			out = append(out, env.tr("%s: %s (%s, %s) was rejected by the bank (%s); %s pays it again but is %s, not released",
				t.File.Period, t.EndToEndID, t.PayeeID, formatKroner(t.Amount), reason, supWhere(env, sup), statusText(env, sup.Status)))
			continue
		}
		out = append(out, env.tr("%s: %s (%s, %s) was rejected by the bank (%s) and is not paid again: correct the payee and run a supplement",
			t.File.Period, t.EndToEndID, t.PayeeID, formatKroner(t.Amount), reason))
	}
	return out, nil
}

// pendingSupplements maps each payment that an unreleased supplement pays
// again to that supplement.
func pendingSupplements(s *store.Store) (map[string]*store.Supplement, error) {
	sups, err := s.Supplements(0)
	if err != nil {
		return nil, err
	}
	out := map[string]*store.Supplement{}
	for i := range sups {
		if sups[i].Release == nil {
			for _, r := range sups[i].Repays {
				out[r.Repays] = &sups[i]
			}
		}
	}
	return out, nil
}

// storedLedger builds the ledger from the releases (each run's payments,
// as payments.xml paid them) and the released supplements, and applies the
// stored reports in order.
func storedLedger(s *store.Store, stored []store.BankReport) (*bank.Ledger, error) {
	rels, err := s.Releases()
	if err != nil {
		return nil, err
	}
	return buildLedger(s, rels, stored, storedReport)
}

// buildLedger is storedLedger of the releases rels, each stored report as
// read gives it.
func buildLedger(s *store.Store, rels []store.Release, stored []store.BankReport,
	read func(*store.BankReport) (*bank.Report, error)) (*bank.Ledger, error) {
	files, err := releasedFiles(s, rels)
	if err != nil {
		return nil, err
	}
	sups, err := releasedSupplementFiles(s)
	if err != nil {
		return nil, err
	}
	files = append(files, sups...)
	l, err := bank.NewLedger(files)
	if err != nil {
		return nil, err
	}
	for i := range stored {
		b := &stored[i]
		rep, err := read(b)
		if err != nil {
			return nil, err
		}
		if _, err := l.Apply(rep); err != nil {
			return nil, errorf("stored bank report %s no longer applies: %w", b.Name, err)
		}
	}
	return l, nil
}

// storedReport is a stored report as the reader found it: its record
// (issue 16), or for a report stored without one, its bytes read again.
func storedReport(b *store.BankReport) (*bank.Report, error) {
	if b.Record != nil {
		return bank.DecodeReport(b.Name, b.SHA256, b.Record)
	}
	return iso20022.Read(b.Name, b.Data)
}

// maxLedgerReaders bounds releasedFiles' readers, each holding a result
// of up to 7 MB and a connection (PostgreSQL's pool has four, and the
// caller may hold one in a transaction: bank import).
const maxLedgerReaders = 3

// releasedFiles are what the releases paid, in their order, and the
// policy bank_booking_days of the last. Each is read from its run's stored
// result (its digest checked, store.Paid), up to maxLedgerReaders at once:
// every run, bank import and due reads every release, and a national
// result takes tens of milliseconds to read even so (issue 16).
func releasedFiles(s *store.Store, rels []store.Release) ([]bank.File, error) {
	files := make([]bank.File, len(rels))
	err := parallel.Each(len(rels), min(runtime.GOMAXPROCS(0), maxLedgerReaders), func(i int) error {
		paid, err := s.Paid(rels[i].RunID)
		if err != nil {
			return err
		}
		files[i] = releasedFile(rels[i].MsgID, paid)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return files, nil
}

// releasedFile is a release as the bank received it: payments.xml's one
// block (pain001.BlockID) on the payment date.
func releasedFile(msgID string, res *store.Paid) bank.File {
	f := bank.File{MsgID: msgID, Period: res.Period, ExecutionDate: res.PayDate, CtrlSum: res.Total}
	block := pain001.BlockID(msgID, res.PayDate)
	for _, p := range res.Payments {
		f.Payments = append(f.Payments, bank.Payment{PmtInfID: block, EndToEndID: p.EndToEndID, PayeeID: p.PayeeID,
			Name: p.Name, Account: payout.NormalizeAccount(p.Account), Amount: p.Amount, Currency: "NOK"})
	}
	return f
}

// report prints what the import did and where each answered period
// stands, and writes the reconciliation files with --out.
func (c *bankCommand) report(s *store.Store, l *bank.Ledger, outcomes []store.BankOutcome, reports map[string]*bank.Report) error {
	env := c.env
	periods := map[payout.Period]bool{}
	for _, o := range outcomes {
		rep := reports[o.SHA256]
		if o.Stored {
			env.outf("stored     %s (%s %s, sha256 %s)\n", o.Path, rep.Version, rep.MsgID, o.SHA256[:12])
		} else {
			env.outf("unchanged  %s (already in the store, sha256 %s)\n", o.Path, o.SHA256[:12])
		}
		for _, p := range reportPeriods(l, rep) {
			periods[p] = true
		}
	}
	for _, p := range sortedPeriodKeys(periods) {
		printBankState(env, l, p)
		if c.out != "" {
			if err := writeReconciliation(c.out, l.Reconcile(p)); err != nil {
				return err
			}
			env.outf("wrote %s\n", filepath.Join(c.out, p.String(), "bank"))
		}
	}
	return nil
}

// reportPeriods are the released periods a report names.
func reportPeriods(l *bank.Ledger, rep *bank.Report) []payout.Period {
	set := map[payout.Period]bool{}
	for _, f := range l.Files() {
		for _, st := range rep.Statuses {
			if st.MsgID == f.MsgID {
				set[f.Period] = true
			}
		}
	}
	for _, b := range rep.Bookings {
		if t := l.Track(b.EndToEndID); t != nil {
			set[t.File.Period] = true
		}
	}
	return sortedPeriodKeys(set)
}

func sortedPeriodKeys(set map[payout.Period]bool) []payout.Period {
	out := make([]payout.Period, 0, len(set))
	for p := range set {
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i] < out[j] })
	return out
}

// printBankState shows a period's bank states (count and sum per state),
// the payments not booked, and the reconciliation's result.
func printBankState(env *Env, l *bank.Ledger, p payout.Period) {
	env.outf("\nbank %s:\n", p)
	for _, c := range l.Summary(p) {
		if c.N > 0 {
			env.outf("  %-10s %6s  %20s\n", stateName(env, c.State), formatCount(c.N), formatKroner(c.Sum))
		}
	}
	r := l.Reconcile(p)
	for _, row := range r.Rows {
		if !row.Latest || row.State == bank.StateBooked {
			continue
		}
		reason := "-"
		if row.Reason != nil {
			reason = row.Reason.Text()
		}
		env.outf("  %-9s %s %s %s %s: %s\n", stateName(env, row.State), row.PayeeID, row.Name, formatKroner(row.Amount), row.EndToEndID, reason)
	}
	switch {
	case r.Clean():
		env.outf("  reconciled: booked %s = CtrlSum %s less open rejections %s\n", formatKroner(r.Booked), formatKroner(r.CtrlSum), formatKroner(r.OpenRejected))
	default:
		env.outf("  not reconciled: booked %s, CtrlSum %s, open rejections %s, %s difference(s)\n",
			formatKroner(r.Booked), formatKroner(r.CtrlSum), formatKroner(r.OpenRejected), formatCount(len(r.Differences)))
		for _, d := range r.Differences {
			env.outf("    %s %s %s %s\n", d.Kind, d.EndToEndID, formatKroner(d.Amount), d.Detail)
		}
	}
}

// writeReconciliation writes DIR/P/bank/reconciliation.csv and
// bankavstemming.xlsx, each through a temporary name.
func writeReconciliation(out string, r *bank.Reconciliation) error {
	dir := filepath.Join(out, r.Period.String(), "bank")
	if err := os.MkdirAll(dir, 0o750); err != nil {
		return err
	}
	csv, err := csvout.Reconciliation(r)
	if err != nil {
		return err
	}
	xlsx, err := excel.Bank(r)
	if err != nil {
		return err
	}
	for name, data := range map[string][]byte{csvout.ReconciliationName: csv, excel.BankName: xlsx} {
		tmp := filepath.Join(dir, "."+name+".tmp")
		if err := os.WriteFile(tmp, data, 0o640); err != nil {
			return err
		}
		if err := os.Rename(tmp, filepath.Join(dir, name)); err != nil {
			return err
		}
	}
	return nil
}

var _ = messages(
	msg{"folder for each answered period's bank/ folder (reconciliation.csv, bankavstemming.xlsx); empty writes none",
		"mappen der hver besvarte periodes bank/-mappe legges (reconciliation.csv, bankavstemming.xlsx); tom: ingen"},
	msg{"--db and at least one pain.002 or camt.054 file (or a folder of them)", "--db og minst én pain.002- eller camt.054-fil (eller en mappe med dem)"},
	msg{"payout bank takes one action, import: %s", "payout bank har én handling, import: %s"},
	msg{"give the bank's files to import: %s", "oppgi bankens filer som skal leses inn: %s"},
	msg{"stored bank report %s no longer applies: %w", "lagret bankrapport %s passer ikke lenger: %w"},
	msg{"stored     %s (%s %s, sha256 %s)\n", "lagret     %s (%s %s, sha256 %s)\n"},
	msg{"\nbank %s:\n", "\nbank %s:\n"},
	msg{"  %-10s %6s  %20s\n", "  %-10s %6s  %20s\n"},
	msg{"  %-9s %s %s %s %s: %s\n", "  %-9s %s %s %s %s: %s\n"},
	msg{"  reconciled: booked %s = CtrlSum %s less open rejections %s\n", "  avstemt: bokført %s = CtrlSum %s minus åpne avvisninger %s\n"},
	msg{"  not reconciled: booked %s, CtrlSum %s, open rejections %s, %s difference(s)\n",
		"  ikke avstemt: bokført %s, CtrlSum %s, åpne avvisninger %s, %s avvik\n"},
	msg{"    %s %s %s %s\n", "    %s %s %s %s\n"},
	msg{"%s: %s (%s, %s) was rejected by the bank (%s) and is not paid again: correct the payee and run a supplement",
		"%s: %s (%s, %s) ble avvist av banken (%s) og er ikke betalt på nytt: rett mottakeren og kjør en tilleggsutbetaling"},
	msg{"%s: %s (%s, %s) was rejected by the bank (%s); %s pays it again but is %s, not released",
		"%s: %s (%s, %s) ble avvist av banken (%s); %s betaler den på nytt, men er %s, ikke frigitt"},
	msg{"%s: %s (%s, %s) is %s and not booked %d banking day(s) after its execution on %s: ask the bank",
		"%s: %s (%s, %s) er %s og ikke bokført %d bankdag(er) etter utførelsen %s: spør banken"},
	msg{"sent", "sendt"}, msg{"pending", "venter"}, msg{"accepted", "akseptert"}, msg{"rejected", "avvist"}, msg{"booked", "bokført"},
)

// stateName is a bank state in the user's language.
func stateName(env *Env, s bank.State) string {
	switch s {
	case bank.StateSent:
		return env.tr("sent")
	case bank.StatePending:
		return env.tr("pending")
	case bank.StateAccepted:
		return env.tr("accepted")
	case bank.StateRejected:
		return env.tr("rejected")
	}
	return env.tr("booked")
}

func sha256Hex(data []byte) string {
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:])
}
