package payout

import (
	"bytes"
	"encoding/json"
	"fmt"
	"sort"
	"strings"
)

// Ledger is policy.json's `ledger` block: the chart of accounts and the file
// layout of the general-ledger journal (journal.csv, issue 14). It is
// configuration, not code, so a department can book into its own accounts
// and match its ERP's import variant (Unit4 ERP's GL07, for one) without a
// code change. The defaults (DefaultLedger) are examples that read well,
// not any municipality's real chart: replace them with your own.
//
// Every posting carries an account, an ansvar (responsibility: the bydel, or
// HEL), the budget chapter (kapittel), the KOSTRA function and an optional
// project. Validate refuses an empty or malformed account, function or
// kapittel; the journal refuses a district without an ansvar. Both happen
// before anything is released.
type Ledger struct {
	// VoucherSeries is the voucher type (bilagsart) of the journal.
	VoucherSeries string `json:"voucher_series"`
	// Kapittel is the budget chapter every posting is charged to.
	Kapittel string `json:"kapittel"`
	// Fastlege and Fysio are the accounts, function and project per scheme.
	Fastlege LedgerScheme `json:"fastlege"`
	Fysio    LedgerScheme `json:"fysio"`
	// Bank is the credit of the payment file's control sum.
	Bank LedgerBank `json:"bank"`
	// Ansvar maps a district code (01–15, HEL) to its responsibility code.
	Ansvar map[string]string `json:"ansvar"`
	// Layout is the shape of journal.csv.
	Layout LedgerLayout `json:"layout"`
}

// LedgerScheme is the booking of one scheme.
type LedgerScheme struct {
	Accounts LedgerAccounts `json:"accounts"`
	Function string         `json:"function"` // KOSTRA function
	Project  string         `json:"project"`  // optional
}

// LedgerAccounts are the accounts of one scheme per posting kind.
type LedgerAccounts struct {
	// Base: the expense of the month's own grant (the lines' entitlement).
	Base string `json:"base"`
	// Adjustment: the expense of corrections of earlier months (R-ADJ).
	Adjustment string `json:"adjustment"`
	// Withheld: the liability "tilbakeholdt tilskudd" (§15.1), credited
	// when withheld and debited when released; money owed to the payee
	// until the breach is rectified.
	Withheld string `json:"withheld"`
	// Carried: the receivable of an overpayment carried to later months
	// (R-CARRY), debited when it arises and credited when recovered.
	Carried string `json:"carried"`
	// Claim: the receivable of a repayment claim (tilbakebetalingskrav) on
	// an overpayment that later months can no longer recover (RULEBOOK §6).
	Claim string `json:"claim"`
}

// LedgerBank is the bank account the payment file draws on.
type LedgerBank struct {
	Account  string `json:"account"`
	Ansvar   string `json:"ansvar"`
	Function string `json:"function"`
	Project  string `json:"project"`
	// Rejected is the clearing account (short-term liability) of payments
	// the bank rejected, owed to their payees until a supplement pays them
	// again (issue 13); DefaultRejectedAccount when empty. Optional, so
	// that every policy written before supplements reads as it did.
	Rejected string `json:"rejected,omitempty"`
}

// DefaultRejectedAccount is the example chart's clearing account of
// rejected payments ("avviste utbetalinger", beside the bank's 21001).
const DefaultRejectedAccount = "21002"

// RejectedAccount is the clearing account of rejected payments.
func (b LedgerBank) RejectedAccount() string {
	if b.Rejected != "" {
		return b.Rejected
	}
	return DefaultRejectedAccount
}

// LedgerLayout is the file layout of journal.csv.
type LedgerLayout struct {
	// Columns in file order; each has a field of the posting or a fixed
	// value, and the header name.
	Columns []LedgerColumn `json:"columns"`
	// Separator is one character: ";", "," or a tab.
	Separator string `json:"separator"`
	// DecimalComma writes amounts as 1234,50 instead of 1234.50.
	DecimalComma bool `json:"decimal_comma"`
	// Header writes a header row of the column names.
	Header bool `json:"header"`
	// DateFormat of the voucher date: DD.MM.YYYY, YYYY-MM-DD or YYYYMMDD.
	DateFormat string `json:"date_format"`
}

// LedgerColumn is one column of journal.csv: a posting field, or a fixed
// value (an ERP's interface code, a company code) when Field is empty.
type LedgerColumn struct {
	Name  string `json:"name"`
	Field string `json:"field,omitempty"`
	Value string `json:"value,omitempty"`
}

// UnmarshalJSON decodes a column afresh: encoding/json would otherwise
// decode a shorter columns list over the default one element by element,
// keeping a default's field beside a new value.
func (c *LedgerColumn) UnmarshalJSON(data []byte) error {
	type plain LedgerColumn
	var v plain
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&v); err != nil {
		return fmt.Errorf("ledger.layout.columns: %s", strings.TrimPrefix(err.Error(), "json: "))
	}
	*c = LedgerColumn(v)
	return nil
}

// LedgerFields are the posting fields a journal column may show: amount is
// signed (debit positive, credit negative); debit and credit are the
// amount on its side and empty on the other.
var LedgerFields = []string{
	"voucher_series", "voucher_no", "voucher_date", "period", "account", "ansvar",
	"kapittel", "function", "project", "amount", "debit", "credit", "text",
	"bydel", "scheme", "kind",
}

// LedgerDateFormats are the accepted date formats of the journal.
var LedgerDateFormats = []string{"DD.MM.YYYY", "YYYY-MM-DD", "YYYYMMDD"}

// DefaultLedger is an example chart: kapittel 317 (Helseetaten), KOSTRA
// function 241 (diagnose, behandling, re-/habilitering), expense accounts of
// artsgruppe 13 (kjøp fra private), short-term liabilities and receivables,
// one ansvar per district equal to its code, and a semicolon file with a
// decimal comma as Norwegian spreadsheets read it.
func DefaultLedger() Ledger {
	ansvar := map[string]string{"HEL": "HEL"}
	for i := 1; i <= 15; i++ {
		code := fmt.Sprintf("%02d", i)
		ansvar[code] = code
	}
	return Ledger{
		VoucherSeries: "BT",
		Kapittel:      "317",
		Fastlege: LedgerScheme{Function: "241", Accounts: LedgerAccounts{
			Base: "13701", Adjustment: "13702", Withheld: "23291", Carried: "21391", Claim: "21393",
		}},
		Fysio: LedgerScheme{Function: "241", Accounts: LedgerAccounts{
			Base: "13711", Adjustment: "13712", Withheld: "23292", Carried: "21392", Claim: "21394",
		}},
		Bank:   LedgerBank{Account: "21001", Ansvar: "HEL", Function: "241"},
		Ansvar: ansvar,
		Layout: LedgerLayout{
			Columns: []LedgerColumn{
				{Name: "Bilagsart", Field: "voucher_series"}, {Name: "Bilagsnr", Field: "voucher_no"},
				{Name: "Bilagsdato", Field: "voucher_date"}, {Name: "Periode", Field: "period"},
				{Name: "Konto", Field: "account"}, {Name: "Ansvar", Field: "ansvar"},
				{Name: "Kapittel", Field: "kapittel"}, {Name: "Funksjon", Field: "function"},
				{Name: "Prosjekt", Field: "project"}, {Name: "Beløp", Field: "amount"},
				{Name: "Tekst", Field: "text"},
			},
			Separator: ";", DecimalComma: true, Header: true, DateFormat: "DD.MM.YYYY",
		},
	}
}

// SchemeLedger returns the booking of a scheme, or nil for an unknown one.
func (l *Ledger) SchemeLedger(s Scheme) *LedgerScheme {
	switch s {
	case SchemeFastlege:
		return &l.Fastlege
	case SchemeFysio:
		return &l.Fysio
	}
	return nil
}

// Validate checks the ledger block: every account, function and code
// present and well formed, and a layout the journal can write.
func (l *Ledger) Validate() error {
	var errs []string
	need := func(name, v string) {
		if err := ledgerCode(v); err != nil {
			errs = append(errs, fmt.Sprintf("ledger.%s %v", name, err))
		}
	}
	need("voucher_series", l.VoucherSeries)
	need("kapittel", l.Kapittel)
	for _, s := range []Scheme{SchemeFastlege, SchemeFysio} {
		sl := l.SchemeLedger(s)
		a := sl.Accounts
		for _, k := range [...][2]string{{"base", a.Base}, {"adjustment", a.Adjustment},
			{"withheld", a.Withheld}, {"carried", a.Carried}, {"claim", a.Claim}} {
			need(fmt.Sprintf("%s.accounts.%s", s, k[0]), k[1])
		}
		need(string(s)+".function", sl.Function)
		optional(&errs, string(s)+".project", sl.Project)
	}
	need("bank.account", l.Bank.Account)
	need("bank.ansvar", l.Bank.Ansvar)
	need("bank.function", l.Bank.Function)
	optional(&errs, "bank.project", l.Bank.Project)
	optional(&errs, "bank.rejected", l.Bank.Rejected)
	codes := make([]string, 0, len(l.Ansvar))
	for code := range l.Ansvar {
		codes = append(codes, code)
	}
	sort.Strings(codes)
	for _, code := range codes {
		need("ansvar."+code, l.Ansvar[code])
	}
	errs = append(errs, l.Layout.problems()...)
	if len(errs) > 0 {
		return fmt.Errorf("policy: %s", strings.Join(errs, "; "))
	}
	return nil
}

func optional(errs *[]string, name, v string) {
	if v == "" {
		return
	}
	if err := ledgerCode(v); err != nil {
		*errs = append(*errs, fmt.Sprintf("ledger.%s %v", name, err))
	}
}

// ledgerCode accepts what an ERP's dimension value holds: 1–25 letters,
// digits, '-', '_' or '.', beginning with a letter or digit (so that no
// spreadsheet reads it as a formula), never a separator, quote or space.
func ledgerCode(v string) error {
	if v == "" {
		return fmt.Errorf("is missing")
	}
	if len(v) > 25 {
		return fmt.Errorf("%q is longer than 25 characters", v)
	}
	for i, r := range v {
		alnum := r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z'
		if !alnum && (i == 0 || r != '-' && r != '_' && r != '.') {
			return fmt.Errorf("%q may hold only letters A–Z, digits, '-', '_' and '.', beginning with a letter or digit", v)
		}
	}
	return nil
}

// problems lists what is wrong with the layout.
func (lo *LedgerLayout) problems() []string {
	var errs []string
	switch lo.Separator {
	case ";", ",", "\t":
	default:
		errs = append(errs, fmt.Sprintf("ledger.layout.separator %q must be \";\", \",\" or a tab", lo.Separator))
	}
	if lo.DecimalComma && lo.Separator == "," {
		errs = append(errs, "ledger.layout: decimal_comma needs a separator other than \",\"")
	}
	if !contains(LedgerDateFormats, lo.DateFormat) {
		errs = append(errs, fmt.Sprintf("ledger.layout.date_format %q must be one of %s", lo.DateFormat, strings.Join(LedgerDateFormats, ", ")))
	}
	if len(lo.Columns) == 0 {
		errs = append(errs, "ledger.layout.columns is empty")
	}
	names := map[string]bool{}
	for i, c := range lo.Columns {
		where := fmt.Sprintf("ledger.layout.columns[%d]", i)
		switch {
		case c.Name == "" && lo.Header:
			errs = append(errs, where+" has no name")
		case names[c.Name] && c.Name != "":
			errs = append(errs, fmt.Sprintf("%s: the name %q is used twice", where, c.Name))
		case c.Field != "" && c.Value != "":
			errs = append(errs, where+" has both a field and a value")
		case c.Field != "" && !contains(LedgerFields, c.Field):
			errs = append(errs, fmt.Sprintf("%s: unknown field %q (known: %s)", where, c.Field, strings.Join(LedgerFields, ", ")))
		}
		names[c.Name] = true
	}
	return errs
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
