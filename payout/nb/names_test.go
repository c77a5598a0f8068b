package nb_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// Every code the engine defines has a Norwegian name: a new constant
// without one would print as its English code in the reports.
func TestEveryEngineCodeHasAName(t *testing.T) {
	named := func(got, code string) { assert.NotEqual(t, code, got, "no Norwegian name for %q", code) }
	for _, k := range []payout.AbsenceKind{payout.KindSickness, payout.KindChildSickness, payout.KindParental,
		payout.KindEducation, payout.KindUnionPublic, payout.KindMilitaryService} {
		named(nb.KindName(k), k.String())
	}
	for _, c := range []payout.Cover{payout.CoverNone, payout.CoverColleagues, payout.CoverOwnVikar, payout.CoverMunicipalVikar} {
		named(nb.CoverName(c), c.String())
	}
	for _, s := range []payout.DayStatus{payout.StatusPaid, payout.StatusUnpaid, payout.StatusToVikar,
		payout.StatusTakeover, payout.StatusInactive} {
		named(nb.StatusName(s), string(s))
	}
	for _, r := range []payout.Role{payout.RoleHolder, payout.RoleTakeover} {
		named(nb.RoleName(r), string(r))
	}
	assert.Equal(t, "vikar", nb.RoleName(payout.RoleVikar), "the same word in both languages")
	for _, s := range []payout.Scheme{payout.SchemeFastlege, payout.SchemeFysio} {
		named(nb.SchemeName(s), string(s))
	}
	for _, c := range []payout.ClaimCause{payout.ClaimAgreementEnded, payout.ClaimPayeeNotPaid} {
		named(nb.ClaimCauseName(c), string(c))
	}
	for _, s := range []string{"active", "rectified", "cancelled", "pending"} {
		named(nb.BreachStateName(s), s)
	}
}

func TestNames(t *testing.T) {
	for _, tc := range []struct{ got, want string }{
		{nb.BydelName("05"), "Frogner"},
		{nb.BydelName("HEL"), "Helseetaten"},
		{nb.BydelName("99"), "99"},
		{nb.KindName(payout.AbsenceKind(99)), "AbsenceKind(99)"},
		{nb.StatusName(payout.StatusUnpaid), "ubetalt (trekk)"},
		{nb.Weekday(time.Sunday), "søndag"},
		{nb.Weekday(payout.MustDate("2015-04-30").Weekday()), "torsdag"},
		{nb.MonthName(1), "januar"},
		{nb.MonthName(12), "desember"},
	} {
		assert.Equal(t, tc.want, tc.got)
	}
}

func TestNeutralise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"Kari Nordmann", "Kari Nordmann"},
		{"=SUM(A1:A2)", "'=SUM(A1:A2)"},
		{"+47 22 00 00 00", "'+47 22 00 00 00"},
		{"-Per", "'-Per"},
		{"@cmd", "'@cmd"},
		{"\tx", "'\tx"},
		{"\rx", "'\rx"},
		{"a=b", "a=b"},
		{"Lege;=cmd|' /C calc'!A0;x", "Lege;'=cmd|' /C calc'!A0;x"},
		{"=a;+b;-c;@d;\te", "'=a;'+b;'-c;'@d;'\te"},
		{"R-13.4-SICK;R-8.4", "R-13.4-SICK;R-8.4"},
		{"a;;b;", "a;;b;"},
		{"a; =b", "a;' =b"},
	} {
		assert.Equal(t, tc.want, nb.Neutralise(tc.in), "Neutralise(%q)", tc.in)
	}
}

func TestReasonText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"rates", "endret: satser"},
		{"absences;list_counts", "endret: fravær, listelengder"},
		{"rates;something_new", "endret: satser, something_new"},
	} {
		if got := nb.ReasonText(tc.in); got != tc.want {
			t.Errorf("ReasonText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
