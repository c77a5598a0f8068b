package payout

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/shopspring/decimal"
)

// Policy holds the named parameters of RULEBOOK.md: every reading of the
// agreements that a municipality could reasonably set otherwise. The JSON
// names are those of policy.json; DefaultPolicy gives the rulebook's values.
type Policy struct {
	// R-GRUNN: the floor and how long it lasts after valid_from.
	GrunntilskuddMembers int `json:"grunntilskudd_members"`
	GrunntilskuddMonths  int `json:"grunntilskudd_months"`
	// R-ACTIVE: pro rata for agreements starting or ending mid-month.
	ProratePartialMonths bool `json:"prorate_partial_months"`
	// Absence (RULEBOOK §3). A nil Fysio uses the same values for fysio.
	AbsenceRules
	Fysio *AbsenceRules `json:"fysio,omitempty"`
	// FysioAge70 applies R-16-AGE70 to fysio agreements too (§7).
	FysioAge70 bool `json:"fysio_age70"`
	// R-15.1-WITHHOLD: the ceiling of all withholding of one agreement.
	MaxWithholdingPercent decimal.Decimal `json:"max_withholding_percent"`
	// R-ADJ: how far back corrections are paid, and where history starts
	// ("YYYY-MM"; empty: the earliest list count).
	RetroWindowMonths int    `json:"retro_window_months"`
	HistoryStart      string `json:"history_start,omitempty"`
	// Shared lists above this count are a control warning (§10.7).
	SharedListWarnCount int `json:"shared_list_warn_count"`
	// The debtor of the payment file (DESIGN.md "Payment file").
	Debtor Debtor `json:"debtor"`
	// Ledger is the chart of accounts and layout of journal.csv (issue 14).
	Ledger Ledger `json:"ledger"`
	// CategoryPurpose is the payment file's CtgyPurp/Cd (ISO 20022
	// ExternalCategoryPurpose1Code, issue 13): SUPP, a supplier payment —
	// GPs and physiotherapists are contractors, not employees, so not SALA.
	// Empty leaves the element out.
	CategoryPurpose string `json:"category_purpose"`
	// BankBookingDays is how many banking days after the execution date a
	// payment may still be unbooked (no camt.054 booking) before payout due
	// reports it (issue 13).
	BankBookingDays int `json:"bank_booking_days"`
	// The release (DESIGN.md "Since the first release"): the releaser is
	// a third person unless ReleaseByApprover lets the approver release
	// (never the attester); a release is signed with the release key
	// unless UnsignedReleases allows none (a demo, a test). Both default to
	// false and are left out of the manifest then.
	ReleaseByApprover bool `json:"release_by_approver,omitempty"`
	UnsignedReleases  bool `json:"unsigned_releases,omitempty"`
	// DistrictDetail is what a district workbook (bydel-NN.xlsx) shows of
	// personal data (issue 15, data minimisation): "minimal" (the default,
	// also when empty) shows absence by clause and days, never its kind
	// (a doctor's sickness is health data, GDPR art. 9), and bank accounts
	// masked but the last four digits; "full" shows them as report.xlsx
	// does. report.xlsx, the finance workbook, always shows them.
	DistrictDetail string `json:"district_detail,omitempty"`
}

// The values of district_detail.
const (
	DistrictDetailMinimal = "minimal"
	DistrictDetailFull    = "full"
)

// DistrictMinimal reports whether district workbooks leave out absence
// kinds and full accounts (district_detail minimal, the default).
func (p *Policy) DistrictMinimal() bool { return p.DistrictDetail != DistrictDetailFull }

// AbsenceRules are the parameters of the absence rules R-13.x and R-14.
type AbsenceRules struct {
	Cap134Days            int `json:"cap_13_4_days"`
	ColleagueCoverDays    int `json:"colleague_cover_days"`
	SicknessFullPayDays   int `json:"sickness_full_pay_days"`
	ParentalPaidDays      int `json:"parental_paid_days"`
	UnionPaidDays         int `json:"union_paid_days"`
	ChildDays             int `json:"child_sickness_days"`
	ChildDaysManyChildren int `json:"child_sickness_days_many_children"`
	ChildDaysChronic      int `json:"child_sickness_days_chronic"`
	// MunicipalVikarAfterDays: §14, the municipality provides a vikar only
	// for absence beyond this many days of the year. Nil (not set) follows
	// ColleagueCoverDays (RULEBOOK §3), so that no day falls between the
	// colleagues' 8 weeks and the municipality's vikar; see VikarAfterDays.
	MunicipalVikarAfterDays *int `json:"municipal_vikar_after_days,omitempty"`
	// ParentalMaxRecordDays: a longer parental record is invalid input.
	ParentalMaxRecordDays int `json:"parental_max_record_days"`
}

// Debtor is the municipality's side of the payment file.
type Debtor struct {
	Name    string `json:"name"`
	Account string `json:"account"`
	OrgNr   string `json:"orgnr"`
	BIC     string `json:"bic"`
}

// DefaultAbsenceRules are the values RULEBOOK §3 states.
func DefaultAbsenceRules() AbsenceRules {
	return AbsenceRules{
		Cap134Days: 90, ColleagueCoverDays: 56, SicknessFullPayDays: 16,
		ParentalPaidDays: 16, UnionPaidDays: 10,
		ChildDays: 10, ChildDaysManyChildren: 15, ChildDaysChronic: 20,
		ParentalMaxRecordDays: 52 * 7,
	}
}

// VikarAfterDays is R-14's threshold: municipal_vikar_after_days when set,
// else colleague_cover_days (RULEBOOK §3 "when it is not set it follows
// colleague_cover_days").
func (r *AbsenceRules) VikarAfterDays() int {
	if r.MunicipalVikarAfterDays != nil {
		return *r.MunicipalVikarAfterDays
	}
	return r.ColleagueCoverDays
}

// InForce returns a copy of p with every derived parameter filled in
// (municipal_vikar_after_days from colleague_cover_days when not set), as
// the manifest and the workbooks show the policy a run applied.
func (p Policy) InForce() Policy {
	fill := func(r AbsenceRules) AbsenceRules {
		n := r.VikarAfterDays()
		r.MunicipalVikarAfterDays = &n
		return r
	}
	p.AbsenceRules = fill(p.AbsenceRules)
	if p.Fysio != nil {
		fy := fill(*p.Fysio)
		p.Fysio = &fy
	}
	return p
}

// DefaultPolicy is the rulebook's policy.
func DefaultPolicy() Policy {
	return Policy{
		GrunntilskuddMembers: 500, GrunntilskuddMonths: 24,
		ProratePartialMonths:  true,
		AbsenceRules:          DefaultAbsenceRules(),
		MaxWithholdingPercent: decimal.NewFromInt(20),
		RetroWindowMonths:     36,
		SharedListWarnCount:   2500,
		Debtor: Debtor{
			Name: "Oslo kommune", Account: "60110512344", OrgNr: "958935420",
			BIC: "DNBANOKKXXX",
		},
		Ledger:          DefaultLedger(),
		CategoryPurpose: "SUPP",
		BankBookingDays: 2,
	}
}

// AbsenceRulesFor returns the absence parameters of a scheme (§7).
func (p *Policy) AbsenceRulesFor(s Scheme) *AbsenceRules {
	if s == SchemeFysio && p.Fysio != nil {
		return p.Fysio
	}
	return &p.AbsenceRules
}

// ParsePolicy reads policy.json over the defaults: one JSON object, each
// name in it once (policyjson.go, which places a problem by line and
// column). An unknown name is an error (FORMATS.md), as is a value outside
// its range.
func ParsePolicy(data []byte) (Policy, error) {
	p := DefaultPolicy()
	// A byte order mark, which some editors write, is not the policy's
	// text: the CSV readers skip it too.
	data = bytes.TrimPrefix(data, []byte("\ufeff"))
	keys, err := scanPolicy(data)
	if err != nil {
		return p, ofPolicy(err)
	}
	if err := refuseReplaced(data); err != nil {
		return p, err
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return p, ofPolicy(decodeProblem(data, keys, err))
	}
	if p.Fysio != nil {
		// A partial fysio block starts from the fastlege values.
		fy := p.AbsenceRules
		if v := fy.MunicipalVikarAfterDays; v != nil {
			n := *v // decoding writes through a pointer: never into the fastlege value
			fy.MunicipalVikarAfterDays = &n
		}
		raw := struct {
			Fysio json.RawMessage `json:"fysio"`
		}{}
		_ = json.Unmarshal(data, &raw)
		if err := json.Unmarshal(raw.Fysio, &fy); err != nil {
			return p, fmt.Errorf("policy: fysio: %v", err)
		}
		p.Fysio = &fy
	}
	return p, p.Validate()
}

// replacedParams are policy names that no longer exist, with what replaced
// them: an old policy.json naming one is refused with that explanation
// rather than read in a way its author did not mean.
var replacedParams = map[string]string{
	"payee_changes": "payee changes now take effect on a date: set payee_from in agreements.csv (RULEBOOK §6, FORMATS.md); remove payee_changes from policy.json",
}

func refuseReplaced(data []byte) error {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return nil // the decoder reports the syntax error
	}
	for _, name := range sortedKeys(replacedParams) {
		if _, ok := top[name]; ok {
			return fmt.Errorf("policy: %s was replaced: %s", name, replacedParams[name])
		}
	}
	return nil
}

// Validate checks the ranges of the parameters.
func (p *Policy) Validate() error {
	checks := []struct {
		name string
		ok   bool
	}{
		{"grunntilskudd_members", p.GrunntilskuddMembers >= 0},
		{"grunntilskudd_months", p.GrunntilskuddMonths >= 0},
		{"max_withholding_percent", p.MaxWithholdingPercent.Sign() >= 0 && p.MaxWithholdingPercent.LessThanOrEqual(decimal.NewFromInt(100))},
		{"retro_window_months", p.RetroWindowMonths >= 0},
		{"shared_list_warn_count", p.SharedListWarnCount >= 0},
		{"category_purpose", validCategoryPurpose(p.CategoryPurpose)},
		{"bank_booking_days", p.BankBookingDays >= 0 && p.BankBookingDays <= 30},
		{"district_detail (minimal or full)", p.DistrictDetail == "" || p.DistrictDetail == DistrictDetailMinimal || p.DistrictDetail == DistrictDetailFull},
	}
	rules := []*AbsenceRules{&p.AbsenceRules}
	if p.Fysio != nil {
		rules = append(rules, p.Fysio)
	}
	for _, r := range rules {
		for _, c := range []struct {
			name string
			v    int
		}{{"cap_13_4_days", r.Cap134Days}, {"colleague_cover_days", r.ColleagueCoverDays},
			{"sickness_full_pay_days", r.SicknessFullPayDays}, {"parental_paid_days", r.ParentalPaidDays},
			{"union_paid_days", r.UnionPaidDays}, {"child_sickness_days", r.ChildDays},
			{"child_sickness_days_many_children", r.ChildDaysManyChildren}, {"child_sickness_days_chronic", r.ChildDaysChronic},
			{"municipal_vikar_after_days", r.VikarAfterDays()}, {"parental_max_record_days", r.ParentalMaxRecordDays}} {
			checks = append(checks, struct {
				name string
				ok   bool
			}{c.name, c.v >= 0})
		}
	}
	for _, c := range checks {
		if !c.ok {
			return fmt.Errorf("policy: %s is out of range", c.name)
		}
	}
	if p.HistoryStart != "" {
		if _, err := ParsePeriod(p.HistoryStart); err != nil {
			return fmt.Errorf("policy: history_start: %v", err)
		}
	}
	return p.Ledger.Validate()
}

// validCategoryPurpose: empty, or a code of four capital letters as the
// ISO 20022 external code list writes them (SUPP, SALA, PENS, GOVT …).
func validCategoryPurpose(c string) bool {
	if c == "" {
		return true
	}
	if len(c) != 4 {
		return false
	}
	for _, r := range c {
		if r < 'A' || r > 'Z' {
			return false
		}
	}
	return true
}
