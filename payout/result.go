package payout

import "github.com/shopspring/decimal"

// Role is the part a payee plays on a line (FORMATS.md lines.csv).
type Role string

// The roles, in their sort order.
const (
	RoleHolder   Role = "holder"
	RoleTakeover Role = "takeover"
	RoleVikar    Role = "vikar"
)

// Options are the knobs of one run besides the inputs and the period.
type Options struct {
	// AsOf is A_P, the knowledge cut-off of the run; NoDate means pay(P).
	AsOf Date
	// AsOfByPeriod overrides A_E for earlier periods E: the as-of dates of
	// released runs, as the store recorded them (RULEBOOK §6).
	AsOfByPeriod map[Period]Date
	// KnowledgeByPeriod limits what the view of a period E may know: the
	// highest import sequence the stored run of E read (Version.Import), for
	// the released runs of earlier periods and, to re-derive a stored run,
	// for P itself. A released run also limits the months before it that
	// no release of their own limits: it saw them with what it knew
	// (RULEBOOK §6; see knowledge.go). Fixture versions (Import 0) pass
	// every limit.
	KnowledgeByPeriod map[Period]int64
	// Progress, when set, is told how many agreements' chains are done, of
	// how many. It may be called from several goroutines at once and must
	// not influence anything: it exists for a terminal's progress line.
	Progress func(done, total int)
	// ChainsDone, when set, is called once, on Compute's goroutine, when
	// every chain is done and the records they read (list counts,
	// absences …, the bulk of a run's heap) are no longer held by Compute.
	// Like Progress it must not influence anything. The command line
	// collects the garbage there (issue 16).
	ChainsDone func()
}

// Result is one period's payout.
type Result struct {
	Period       Period
	AsOf         Date
	PayDate      Date
	HistoryStart Period
	// AsOfByPeriod are the as-of dates of earlier released runs that this
	// run used (Options.AsOfByPeriod within the history); the manifest
	// records them so verify can reproduce the run.
	AsOfByPeriod map[Period]Date
	// KnowledgeByPeriod are the knowledge limits the run used
	// (Options.KnowledgeByPeriod within the history, P's own included).
	KnowledgeByPeriod map[Period]int64
	Policy            Policy
	Lines             []Line       // sorted by bydel, agreement_id, role, payee_id
	Adjustments       []Adjustment // sorted by agreement_id, role, payee_id, ref_period
	// OutsideWindow are corrections of months older than the retro window:
	// not paid, listed for a manual decision (W-OUTSIDE-WINDOW, RULEBOOK
	// §6); sorted like Adjustments.
	OutsideWindow []Adjustment
	// Claims are the overpayments this run can no longer recover and
	// claims back from their payee (RULEBOOK §6), sorted like Adjustments.
	Claims     []Claim
	Payments   []Payment      // one per payee with a positive amount, sorted by payee_id
	Deductions []Deduction    // per agreement and absence rule
	Breaches   []BreachStatus // per breach with any amount or balance, sorted by breach_id
	Rates      []Rate         // the rate tiers in force for P at A, sorted
	Warnings   []Warning      // sorted
	Controls   []Control      // RULEBOOK §8, in a fixed order
	Total      decimal.Decimal
}

// Line is one row of lines.csv: one agreement, role and payee in one period.
type Line struct {
	Period       Period
	AgreementID  string
	HPR          string
	Name         string
	Bydel        string
	Scheme       Scheme
	Role         Role
	PayeeID      string
	ListID       string
	Count        int
	Members      decimal.Decimal // the count the amount is based on
	AnnualAmount decimal.Decimal // the list's or agreement's annual amount after tiers
	SharePercent decimal.Decimal
	ActiveDays   int
	PaidDays     int
	UnpaidDays   int
	VikarDays    int

	Base             decimal.Decimal
	AbsenceDeduction decimal.Decimal
	VikarAmount      decimal.Decimal
	Entitlement      decimal.Decimal
	Withheld         decimal.Decimal
	Released         decimal.Decimal
	Adjustments      decimal.Decimal
	CarriedIn        decimal.Decimal
	Net              decimal.Decimal
	CarriedOut       decimal.Decimal
	// Claimed is the overpayment this line claims back instead of carrying
	// it (see Claim): net + carried_out − claimed = the line's raw net.
	Claimed decimal.Decimal
	Rules   []string // rule IDs that applied, sorted
}

// Adjustment is one corrected earlier period of one line (R-ADJ).
type Adjustment struct {
	Period      Period
	AgreementID string
	Bydel       string
	Role        Role
	PayeeID     string
	RefPeriod   Period
	Before      decimal.Decimal
	After       decimal.Decimal
	Amount      decimal.Decimal
	Reason      AdjustmentReason // which inputs changed, e.g. "list_counts;rates"
	// Was and Now are what the corrected month was based on in its two
	// views (A_{P−1} and A_P), so a statement can say "listelengde 960 →
	// 1 060" beside the amount. A view without a line is the zero basis.
	Was, Now AdjustmentBasis
}

// AdjustmentBasis is what one view of a corrected month was based on.
// The zero basis is a view without a line, except that a payee change
// (R-ADJ, RULEBOOK §6) names the other view's payee on it.
type AdjustmentBasis struct {
	Count        int             // the list count (fastlege)
	Weighted     decimal.Decimal // Helfo's weighted count, when HasWeighted (R-8.4-WEIGHTED)
	HasWeighted  bool
	Members      decimal.Decimal // the count the amount is based on
	AnnualAmount decimal.Decimal // the annual amount after tiers
	PaidDays     int             // the agreement's paid days
	UnpaidDays   int             // its days unpaid for absence (§3)
	Payee        string          // the payee of the party in this view
}

// Claim is a carried overpayment that can no longer be recovered from later
// months (RULEBOOK §6 "Nothing is lost silently", rule R-CARRY): a claim
// (tilbakebetalingskrav) against the line's payee, for finance to invoice.
type Claim struct {
	Period       Period // the run that raised it
	AgreementID  string
	Bydel        string
	Role         Role
	PayeeID      string
	Amount       decimal.Decimal // positive: what the payee owes back
	OriginPeriod Period          // the period in which the overpayment arose (the carry's first period)
	Cause        ClaimCause
}

// ClaimCause is why an overpayment can no longer be recovered.
type ClaimCause string

// The causes of a claim.
const (
	// ClaimAgreementEnded: the agreement has no active day in the period.
	ClaimAgreementEnded ClaimCause = "agreement-ended"
	// ClaimPayeeNotPaid: the line's payee is paid for no day of the period.
	ClaimPayeeNotPaid ClaimCause = "payee-not-paid"
)

// Payment is one transfer to one payee.
type Payment struct {
	PayeeID    string
	Name       string
	Account    string
	OrgNr      string
	Address    Address `json:",omitzero"`
	Amount     decimal.Decimal
	EndToEndID string
	Remittance string
	Bydeler    []string // the districts whose lines make up the amount, sorted
}

// Deduction is one absence rule's effect on one agreement in the period.
type Deduction struct {
	AgreementID string
	Bydel       string
	Rule        string // e.g. "R-13.4-SICK", or "R-14" for days paid to a vikar
	Kind        AbsenceKind
	Status      DayStatus // unpaid or to-vikar
	Days        int
	Amount      decimal.Decimal // V(days), for review; the line rounds once over all days
}

// BreachStatus is one breach's withholding in the period (§15.1).
type BreachStatus struct {
	BreachID     string
	AgreementID  string
	Bydel        string
	DecisionRef  string
	State        BreachState
	Percent      decimal.Decimal // the percent applied this period (after the 20 % ceiling)
	Withheld     decimal.Decimal // this period
	Released     decimal.Decimal // this period
	BalanceIn    decimal.Decimal
	BalanceOut   decimal.Decimal // withheld and not released: outstanding
	RectifiedOn  Date
	WithholdFrom Period
}

// Warning is a control finding that does not block payment.
type Warning struct {
	Code        string // e.g. "W-CEILING"
	AgreementID string
	Msg         string
}

// Control is one check of RULEBOOK §8 with its figures.
type Control struct {
	ID     string // e.g. "C-SUM"
	Name   string // in Norwegian, for the reports
	OK     bool
	Detail string
}

// DayStatus is the status of one active day (RULEBOOK §3).
type DayStatus string

// The day statuses.
const (
	StatusPaid     DayStatus = "paid"
	StatusUnpaid   DayStatus = "unpaid"
	StatusToVikar  DayStatus = "to-vikar"
	StatusTakeover DayStatus = "takeover"
	StatusInactive DayStatus = "inactive"
)

// BreachState is where a breach's withholding stands in a period (§15.1).
type BreachState string

const (
	BreachPending   BreachState = "pending"   // noticed; withholding starts in a later period
	BreachActive    BreachState = "active"    // withheld this period (R-15.1-WITHHOLD)
	BreachRectified BreachState = "rectified" // rectified: the balance is paid back (R-15.1-RELEASE)
	BreachCancelled BreachState = "cancelled" // the decision was withdrawn: the balance is paid back
)

// AdjustmentReason names the kinds of input (FileKind) recorded since the
// previous run that can change the corrected month, sorted and joined by
// ";" (e.g. "list_counts;rates"); ReasonInputs when none can be named.
// When some of those versions were imported after a release that did not
// know them, it ends with " (registrert etter frigivelsen av YYYY-MM)"
// (RULEBOOK §6, issue 11).
type AdjustmentReason string

// ReasonInputs is the reason of an adjustment no single kind explains.
const ReasonInputs AdjustmentReason = "inputs"
