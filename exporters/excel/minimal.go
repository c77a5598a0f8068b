package excel

import (
	"slices"
	"strings"

	"github.com/oslokommune/payout/exporters/statement"
	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// Data minimisation in district workbooks (issue 15, policy
// district_detail, payout.Policy.DistrictMinimal): a bydel needs the
// clause, the days and the amount of an absence, not its kind, so a
// minimal district workbook names absence by its clause ("§13.4 fravær"),
// cites for the two §13.4 rules that would tell own sickness from a
// child's (R-13.4-SICK, R-13.4-CHILD), and shows bank accounts masked but
// the last four digits. report.xlsx keeps everything.

// RuleSickness134 is the one ID a minimal district workbook cites for
// R-13.4-SICK and R-13.4-CHILD: RULEBOOK §3's clause §13.4 without the
// branch that names the kind.
const RuleSickness134 = "R-13.4"

// minimal reports whether the view leaves out absence kinds and full
// accounts: a district workbook unless the policy says full.
func (v view) minimal() bool { return v.bydel != "" && v.res.Policy.DistrictMinimal() }

// rule is the ID the view cites for id.
func (v view) rule(id string) string {
	if v.minimal() && (id == payout.RSick || id == payout.RChild) {
		return RuleSickness134
	}
	return id
}

// rulesText is the Linjer sheet's rules column: the IDs the view cites
// for ids (rule), distinct and sorted (a minimal view cites once
// for both R-13.4-SICK and R-13.4-CHILD), joined by ;. It is made in w's
// scratch and copied only the first time the workbook writes that set.
func (w *workbook) rulesText(v view, ids []string) string {
	w.ids = w.ids[:0]
	for _, id := range ids {
		w.ids = append(w.ids, v.rule(id))
	}
	slices.Sort(w.ids)
	w.ids = slices.Compact(w.ids)
	w.joined = w.joined[:0]
	for i, id := range w.ids {
		if i > 0 {
			w.joined = append(w.joined, ';')
		}
		w.joined = append(w.joined, id...)
	}
	if s, ok := w.joinedTexts[string(w.joined)]; ok {
		return s
	}
	s := string(w.joined)
	w.joinedTexts[s] = s
	return s
}

// absenceKind is the Fravær sheet's "Fraværstype": the kind, or in a
// minimal district workbook the clause of the rule ("§13.4 fravær").
func (v view) absenceKind(d payout.Deduction) string {
	if !v.minimal() {
		return nb.KindName(d.Kind)
	}
	clause := payout.Rules[d.Rule].Clause
	if i := strings.Index(clause, "§"); i >= 0 {
		clause = clause[i:]
	}
	return clause + " fravær"
}

// ruleTitle is the short description of a cited ID; a minimal district
// workbook describes the absence rules of §13 by their clause, since their
// titles name the kind ("Egen sykdom: …").
func (v view) ruleTitle(id string) string {
	clause := payout.Rules[clauseID(id)].Clause
	if v.minimal() && strings.HasPrefix(clause, "Rammeavtalen §13") {
		return "Fravær etter " + strings.TrimPrefix(clause, "Rammeavtalen ") + ": dager og beløp"
	}
	return payout.Rules[id].Title
}

// account is the account as the view shows it: 1234.56.78903, or in a
// minimal district workbook ****.**.*8903, as the payee's statement shows
// it (statement.MaskAccount).
func (v view) account(a string) string {
	if !v.minimal() {
		return accountText(a)
	}
	return statement.MaskAccount(a)
}
