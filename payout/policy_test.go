package payout

import (
	"bytes"
	"errors"
	"fmt"
	"strings"
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

// policy.json is one JSON object with each name once, and a problem in it
// is placed by line, column and parameter (policyjson.go): encoding/json
// alone would keep the last of two values for a name and never read what
// follows the first object.
func TestPolicyTextIsOneObject(t *testing.T) {
	for _, c := range []struct {
		name, json string
		line, col  int
		param      string
		text       string // "" when the policy is read
	}{
		{"the defaults", `{}`, 0, 0, "", ""},
		{"white space around it", " \n{\"retro_window_months\": 24}\n\n", 0, 0, "", ""},
		{"a byte order mark before it", "\ufeff{\"retro_window_months\": 24}", 0, 0, "", ""},
		{"a name twice", "{\"bank_booking_days\": 5,\n \"bank_booking_days\": 9}", 2, 2, "bank_booking_days", "the name is given twice"},
		{"a name twice in a block", `{"fysio": {"cap_13_4_days": 1, "cap_13_4_days": 2}}`, 1, 32, "fysio.cap_13_4_days", "the name is given twice"},
		{"the same name in two blocks is two names", `{"cap_13_4_days": 1, "fysio": {"cap_13_4_days": 2}}`, 0, 0, "", ""},
		{"a stray brace after it", "{\"bank_booking_days\": 5}}", 1, 25, "", "more text after the end"},
		{"a second object after it", "{\"bank_booking_days\": 5}\n{\"bank_booking_days\": 9}", 2, 1, "", "more text after the end"},
		{"not an object", `[1, 2]`, 1, 1, "", "is one JSON object"},
		{"null", `null`, 1, 1, "", "is one JSON object"},
		{"empty", ``, 1, 1, "", "the file ends before"},
		{"cut short", "{\"bank_booking_days\": 5,\n", 2, 1, "", "the file ends before"},
		{"not JSON", "{\n  \"retro_window_months\": x\n}", 2, 26, "", "not JSON"},
		{"a text for a number", "{\n  \"bank_booking_days\": \"5\"\n}", 2, 3, "bank_booking_days", "expected a whole number, not a text"},
		{"a fraction for a whole number", `{"bank_booking_days": 2.5}`, 1, 2, "bank_booking_days", "expected a whole number, not the number 2.5"},
		{"a number for a text", `{"history_start": 5}`, 1, 2, "history_start", "expected a text in quotes, not a number"},
		{"in a block, by its path", "{\"fysio\": {\"cap_13_4_days\": true}}", 1, 12, "fysio.cap_13_4_days", "expected a whole number, not true or false"},
		{"an unknown name, where it stands", "{\n  \"debtor\": {\"name\": \"X\", \"nmae\": \"Y\"}\n}", 2, 27, "debtor.nmae", `unknown parameter "nmae"`},
		{"æøå before a problem count as one column each", "{\"debtor\": {\"name\": \"Bærum\"}, \"retro_window_months\": \"x\"}", 1, 31, "retro_window_months", "expected a whole number"},
		{"nested past any parameter", strings.Repeat(`{"a":`, 17) + "1" + strings.Repeat("}", 17), 1, 81, "", "nested more than 16 deep"},
		{"nested as deep as allowed is read to its end", `{"debtor": {"name": [[[[[[[[[[[[[[1]]]]]]]]]]]]]]}}`, 1, 13, "debtor.name", "expected a text in quotes, not a list"},
		{"a decimal that is not a number", "{\"bank_booking_days\": 2,\n \"max_withholding_percent\": \"abc\"}", 2, 2, "max_withholding_percent", "expected a number such as 20 or 12.5"},
	} {
		t.Run(c.name, func(t *testing.T) {
			_, err := ParsePolicy([]byte(c.json))
			if c.text == "" {
				require.NoError(t, err)
				return
			}
			require.Error(t, err)
			var pe *PolicyError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, [2]int{c.line, c.col}, [2]int{pe.Line, pe.Column}, "line and column of %s", err)
			assert.Equal(t, c.param, pe.Param)
			assert.Contains(t, pe.Text.String(), c.text)
		})
	}
}

// A file larger than any policy is refused before it is read.
func TestPolicyTooLarge(t *testing.T) {
	_, err := ParsePolicy([]byte(`{"debtor": {"name": "` + strings.Repeat("x", maxPolicyBytes) + `"}}`))
	var pe *PolicyError
	require.ErrorAs(t, err, &pe)
	require.Contains(t, pe.Error(), "more than the 1024 KiB it may have")
}

// The value in force is the one written: a name twice is refused, never
// read as its last value.
func TestPolicyNameTwiceIsNotItsLastValue(t *testing.T) {
	p, err := ParsePolicy([]byte(`{"bank_booking_days": 9}`))
	require.NoError(t, err)
	require.Equal(t, 9, p.BankBookingDays)
	_, err = ParsePolicy([]byte(`{"bank_booking_days": 5, "bank_booking_days": 9}`))
	require.Error(t, err)
}

// Any text: no panic, and a refusal is placed inside the text.
func FuzzParsePolicy(f *testing.F) {
	for _, s := range []string{`{}`, `{"fysio": {"cap_13_4_days": 1}}`, `{"debtor": {"name": "Oslo"}}`,
		`{"ledger": {}}`, `{"a": 1, "a": 2}`, `{}}`, `[`, "\ufeff{}", `{"max_withholding_percent": "20"}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		_, err := ParsePolicy(data)
		var pe *PolicyError
		if errors.As(err, &pe) && pe.Line > 0 {
			require.LessOrEqual(t, pe.Line, bytes.Count(data, []byte{'\n'})+1)
			require.GreaterOrEqual(t, pe.Column, 1)
			require.NotEmpty(t, pe.Text.String())
		}
		_, again := ParsePolicy(data)
		require.Equal(t, fmt.Sprint(err), fmt.Sprint(again))
	})
}
