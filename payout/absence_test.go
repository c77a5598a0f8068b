package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestAbsence_R13(t *testing.T) {
	cases := []struct {
		name       string
		absences   []Absence
		caregiver  *Caregiver
		period     string
		unpaidDays int
		deduction  string
		rule       string
	}{
		{"R-13.4-SICK days 17-24 of a 24-day episode are unpaid", []Absence{absence("S1", "sickness", "2015-03-02", "2015-03-25", "none")},
			nil, "2015-03", 8, "10864.52", RSick},
		{"R-13.4-SICK the episode runs across the month end", []Absence{absence("S1", "sickness", "2015-02-20", "2015-03-10", "none")},
			nil, "2015-03", 3, "4074.19", RSick},
		{"R-13.4-SICK two records back to back are one episode", []Absence{
			absence("S1", "sickness", "2015-03-01", "2015-03-10", "none"), absence("S2", "sickness", "2015-03-11", "2015-03-20", "none")},
			nil, "2015-03", 4, "5432.26", RSick},
		{"R-13.4-SICK a day without sickness ends the episode", []Absence{
			absence("S1", "sickness", "2015-03-01", "2015-03-10", "none"), absence("S2", "sickness", "2015-03-12", "2015-03-21", "none")},
			nil, "2015-03", 0, "0", ""},
		{"R-13.4-SICK the episode runs across the year end", []Absence{absence("S1", "sickness", "2014-12-20", "2015-01-10", "none")},
			nil, "2015-01", 6, "8148.39", RSick},
		{"R-14 colleagues cover sickness past 16 days", []Absence{absence("S1", "sickness", "2015-03-02", "2015-03-25", "colleagues")},
			nil, "2015-03", 0, "0", ""},
		{"R-13.4-CAP past 90 sickness days only vikar keeps the day", []Absence{
			absence("S1", "sickness", "2015-01-01", "2015-04-05", "colleagues")},
			nil, "2015-04", 5, "7016.67", RCap},
		{"R-13.4-CHILD quota 10", []Absence{absence("C1", "child_sickness", "2015-03-02", "2015-03-13", "none")},
			nil, "2015-03", 2, "2716.13", RChild},
		{"R-13.4-CHILD quota 15 with three children", []Absence{absence("C1", "child_sickness", "2015-03-02", "2015-03-18", "none")},
			&Caregiver{AgreementID: "A1", Year: 2015, Children: 3, Version: known()}, "2015-03", 2, "2716.13", RChild},
		{"R-13.4-CHILD quota doubled for a sole caregiver", []Absence{absence("C1", "child_sickness", "2015-03-02", "2015-03-23", "none")},
			&Caregiver{AgreementID: "A1", Year: 2015, Children: 1, SoleCaregiver: true, Version: known()}, "2015-03", 2, "2716.13", RChild},
		{"R-13.4-CHILD chronic 20, sole 40", []Absence{absence("C1", "child_sickness", "2015-02-01", "2015-03-15", "none")},
			&Caregiver{AgreementID: "A1", Year: 2015, Children: 1, ChronicOrDisabled: true, SoleCaregiver: true, Version: known()}, "2015-03", 3, "4074.19", RChild},
		{"R-13.5-PARENTAL 16 paid days", []Absence{absence("F1", "parental", "2015-03-01", "2015-03-31", "none")},
			nil, "2015-03", 15, "20370.97", RParental},
		{"R-13.5-PARENTAL own vikar keeps every day paid", []Absence{absence("F1", "parental", "2015-03-01", "2015-03-31", "own_vikar")},
			nil, "2015-03", 0, "0", ""},
		{"R-13.2-EDU unpaid without own vikar", []Absence{absence("E1", "education", "2015-03-02", "2015-03-06", "none")},
			nil, "2015-03", 5, "6790.32", REducation},
		{"R-13.2-EDU colleagues do not cover education", []Absence{absence("E1", "education", "2015-03-02", "2015-03-06", "colleagues")},
			nil, "2015-03", 5, "6790.32", REducation},
		{"R-13.3-UNION 10 paid days", []Absence{absence("U1", "union_public", "2015-03-02", "2015-03-13", "none")},
			nil, "2015-03", 2, "2716.13", RUnion},
		{"R-13.6-SERVICE unpaid without own vikar", []Absence{absence("M1", "military_service", "2015-03-30", "2015-03-31", "none")},
			nil, "2015-03", 2, "2716.13", RService},
		{"R-13.6-SERVICE own vikar", []Absence{absence("M1", "military_service", "2015-03-30", "2015-03-31", "own_vikar")},
			nil, "2015-03", 0, "0", ""},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			in.ListCounts = counts("L1", 1200, "2014-12", "2015-12")
			in.Absences = c.absences
			if c.caregiver != nil {
				in.Caregivers = []Caregiver{*c.caregiver}
			}
			r := mustCompute(t, in, c.period)
			l := line(t, r, "A1", RoleHolder, "P1")
			require.Equal(t, c.unpaidDays, l.UnpaidDays)
			requireAmount(t, c.deduction, l.AbsenceDeduction, "deduction")
			requireAmount(t, l.Base.Sub(dec(c.deduction)).String(), l.Entitlement, "entitlement")
			if c.rule != "" {
				require.Contains(t, l.Rules, c.rule)
			}
		})
	}
}

func TestColleagueCoverEndsAfter56Days_R14(t *testing.T) {
	// 60 colleague-covered child-sickness days: days 11–56 are covered by
	// colleagues, 57–60 are not (the quota of 10 is long used).
	in := baseInputs()
	in.ListCounts = counts("L1", 1200, "2015-01", "2015-12")
	in.Absences = []Absence{absence("C1", "child_sickness", "2015-01-01", "2015-03-01", "colleagues")}
	r := mustCompute(t, in, "2015-02")
	require.Equal(t, 3, line(t, r, "A1", RoleHolder, "P1").UnpaidDays, "26–28 February are days 57–59")
	r = mustCompute(t, in, "2015-03")
	require.Equal(t, 1, line(t, r, "A1", RoleHolder, "P1").UnpaidDays, "1 March is day 60")
}

func TestMunicipalVikar_R14(t *testing.T) {
	in := baseInputs()
	in.ListCounts = counts("L1", 1200, "2015-01", "2015-12")
	in.Absences = []Absence{
		absence("P1", "parental", "2015-01-01", "2015-02-25", "own_vikar"), // 56 days
		absence("P2", "parental", "2015-02-26", "2015-03-10", "municipal_vikar"),
	}
	in.Absences[1].VikarPayeeID = "V1"
	r := mustCompute(t, in, "2015-03")
	h := line(t, r, "A1", RoleHolder, "P1")
	v := line(t, r, "A1", RoleVikar, "V1")
	require.Equal(t, 10, h.VikarDays)
	requireAmount(t, "13580.65", v.Entitlement, "vikar amount V(10)")
	requireAmount(t, "13580.65", h.VikarAmount, "holder's vikar total")
	requireAmount(t, "28519.35", h.Entitlement, "holder keeps the rest")
	require.Equal(t, []string{RVikar}, v.Rules)

	in.Absences[0].To = d("2015-02-24")
	in.Absences[1].From = d("2015-02-25")
	_, err := Compute(in, MustPeriod("2015-03"), Options{})
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Contains(t, err.Error(), "absence day 56 of 2015")
}

func TestAbsenceInvalidInput_R13(t *testing.T) {
	cases := []struct {
		name     string
		absences []Absence
		want     string
	}{
		{"overlap", []Absence{absence("S1", "sickness", "2015-03-01", "2015-03-10", "none"), absence("S2", "education", "2015-03-10", "2015-03-12", "none")}, "overlaps absence S1"},
		{"before the agreement", []Absence{absence("S1", "sickness", "2009-12-30", "2010-01-10", "none")}, "lies outside agreement A1"},
		{"parental longer than 52 weeks", []Absence{absence("F1", "parental", "2015-01-01", "2015-12-31", "none")}, "lasts 365 days, more than 364"},
		{"extension past 75 (§16)", nil, "is on or after the 75th birthday (2040-05-05)"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			in.Absences = c.absences
			if c.absences == nil {
				in.Agreements[0].ExtensionTo = d("2040-05-05")
				require.Contains(t, CheckInputs(in).Error(), c.want)
			}
			_, err := Compute(in, MustPeriod("2015-03"), Options{})
			require.ErrorIs(t, err, ErrInvalidInput)
			require.Contains(t, err.Error(), c.want)
		})
	}
}

func TestAbsenceAfter70IsIgnoredWithWarning_R16(t *testing.T) {
	in := baseInputs()
	in.Agreements[0].BirthDate = d("1945-03-15")
	in.Absences = []Absence{absence("S1", "sickness", "2015-03-10", "2015-03-20", "none")}
	r := mustCompute(t, in, "2015-03")
	l := line(t, r, "A1", RoleHolder, "P1")
	requireAmount(t, "19012.90", l.Entitlement, "14 active days, all paid")
	require.NotEmpty(t, r.Warnings)
	require.Equal(t, "W-ABSENCE-INACTIVE", r.Warnings[0].Code)
}

// R-ADJ: an absence recorded late changes the corrected month's unpaid
// days, and the adjustment carries both (the workbook shows 0 → n).
func TestLateAbsenceBasisCarriesUnpaidDays_RADJ(t *testing.T) {
	in := baseInputs()
	a := absence("S1", "sickness", "2015-02-02", "2015-02-27", "none")
	a.RecordedOn = d("2015-03-05")
	in.Absences = append(in.Absences, a)
	r := mustCompute(t, in, "2015-03")
	require.Len(t, r.Adjustments, 1)
	was, now := r.Adjustments[0].Was, r.Adjustments[0].Now
	require.Equal(t, 0, was.UnpaidDays)
	require.Equal(t, 26-16, now.UnpaidDays, "R-13.4-SICK pays the first 16 days")
	require.Equal(t, was.PaidDays-10, now.PaidDays)
}
