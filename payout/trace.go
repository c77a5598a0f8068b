package payout

import "github.com/shopspring/decimal"

// Trace is the explanation of one agreement in one period: the inputs used,
// every day with its status and deciding rule, and every amount with its
// formula, so a finance officer can check it with a calendar and a pocket
// calculator.
type Trace struct {
	Period    Period
	AsOf      Date
	PayDate   Date
	Agreement Agreement
	Payee     Payee
	RateTiers []Rate // the table in force, with legal sources
	Count     int    // the list count of the 1st (fastlege)
	Weighted  decimal.Decimal
	HasCount  bool
	Members   decimal.Decimal
	Annual    decimal.Decimal
	Days      []DayTrace
	Steps     []Step
	Lines     []Line
	Adjust    []Adjustment
	Breaches  []BreachStatus
}

// DayTrace is one day of the period.
type DayTrace struct {
	Date      Date
	Status    DayStatus
	Rule      string // the rule that decided the status
	Kind      AbsenceKind
	Cover     Cover
	AbsenceID string
	PayeeID   string // who is paid for the day
	Note      string // counters and reasons, e.g. "sykdomsdag 17 i perioden"
}

// Step is one amount with the formula that produced it.
type Step struct {
	Name    string // e.g. "base", "absence_deduction"
	Rule    string
	Formula string // with the numbers filled in
	Value   decimal.Decimal
}
