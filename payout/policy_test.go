package payout

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestMunicipalVikarThresholdFollowsColleagueCover_R14(t *testing.T) {
	cases := []struct {
		name            string
		json            string
		fastlege, fysio int
	}{
		{"defaults: 56 and 56", `{}`, 56, 56},
		{"follows colleague_cover_days when not set", `{"colleague_cover_days": 40}`, 40, 40},
		{"set explicitly it stands alone", `{"colleague_cover_days": 40, "municipal_vikar_after_days": 56}`, 56, 56},
		{"a fysio block follows its own colleague cover", `{"fysio": {"colleague_cover_days": 30}}`, 56, 30},
		{"a fysio block inherits an explicit threshold", `{"municipal_vikar_after_days": 60, "fysio": {"colleague_cover_days": 30}}`, 60, 60},
		{"a fysio threshold never changes the fastlege one", `{"municipal_vikar_after_days": 60, "fysio": {"municipal_vikar_after_days": 70}}`, 60, 70},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			p, err := ParsePolicy([]byte(c.json))
			require.NoError(t, err)
			require.Equal(t, c.fastlege, p.AbsenceRulesFor(SchemeFastlege).VikarAfterDays())
			require.Equal(t, c.fysio, p.AbsenceRulesFor(SchemeFysio).VikarAfterDays())
			in := p.InForce()
			require.Equal(t, c.fastlege, *in.AbsenceRulesFor(SchemeFastlege).MunicipalVikarAfterDays, "the policy in force shows the value applied")
			require.Equal(t, c.fysio, *in.AbsenceRulesFor(SchemeFysio).MunicipalVikarAfterDays)
		})
	}
}

func TestMunicipalVikarAfterColleagueCover_R14(t *testing.T) {
	// colleague_cover_days 40: days 1–40 colleagues, a municipal vikar
	// from day 41 (RULEBOOK §3: no day falls between the two).
	cases := []struct {
		name    string
		policy  string
		vikarOn string // first day of the municipal vikar record
		err     string
	}{
		{"day 41 after 40 days of colleague cover", `{"colleague_cover_days": 40}`, "2015-02-10", ""},
		{"day 40 is still the colleagues'", `{"colleague_cover_days": 40}`, "2015-02-09", "absence day 40 of 2015"},
		{"an explicit 56 keeps the old threshold", `{"colleague_cover_days": 40, "municipal_vikar_after_days": 56}`, "2015-02-10", "absence day 41 of 2015"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			p, err := ParsePolicy([]byte(c.policy))
			require.NoError(t, err)
			in.Policy = p
			in.ListCounts = counts("L1", 1200, "2015-01", "2015-12")
			from := d(c.vikarOn)
			in.Absences = []Absence{absence("S1", "sickness", "2015-01-01", (from - 1).String(), "colleagues"),
				absence("S2", "sickness", from.String(), "2015-02-20", "municipal_vikar")}
			in.Absences[1].VikarPayeeID = "V1"
			r, err := Compute(in, MustPeriod("2015-02"), Options{})
			if c.err != "" {
				require.ErrorIs(t, err, ErrInvalidInput)
				require.Contains(t, err.Error(), c.err)
				return
			}
			require.NoError(t, err)
			require.Equal(t, 11, line(t, r, "A1", RoleVikar, "V1").VikarDays)
		})
	}
}

// The bank parameters of issue 13: their defaults and their ranges.
func TestPolicyBankParameters(t *testing.T) {
	p, err := ParsePolicy([]byte(`{}`))
	require.NoError(t, err)
	assert.Equal(t, "SUPP", p.CategoryPurpose)
	assert.Equal(t, 2, p.BankBookingDays)

	for _, tt := range []struct {
		json, err string
	}{
		{`{"category_purpose": "GOVT"}`, ""},
		{`{"category_purpose": ""}`, ""},
		{`{"category_purpose": "supp"}`, "category_purpose is out of range"},
		{`{"category_purpose": "SUPPL"}`, "category_purpose is out of range"},
		{`{"bank_booking_days": 0}`, ""},
		{`{"bank_booking_days": -1}`, "bank_booking_days is out of range"},
		{`{"district_detail": "all"}`, "district_detail (minimal or full) is out of range"},
		{`{"bank_booking_days": 31}`, "bank_booking_days is out of range"},
	} {
		_, err := ParsePolicy([]byte(tt.json))
		if tt.err == "" {
			assert.NoError(t, err, tt.json)
		} else {
			assert.ErrorContains(t, err, tt.err, tt.json)
		}
	}
}

func TestPayeeChangesPolicyReplaced(t *testing.T) {
	// RULEBOOK §6: payee changes take effect on a date (payee_from); an old
	// policy.json naming either reading of payee_changes is refused.
	for _, v := range []string{`"prospective"`, `"literal"`} {
		_, err := ParsePolicy([]byte(`{"payee_changes": ` + v + `}`))
		require.ErrorContains(t, err, "payee_changes was replaced")
		require.ErrorContains(t, err, "payee_from in agreements.csv")
	}
}
