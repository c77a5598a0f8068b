package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

// RULEBOOK §5: on takeover days the absence rules do not decide the day,
// but the doctor's absence on them counts toward every yearly counter of §3
// and toward a sickness episode.
func TestTakeoverDaysCountTowardCounters_R77(t *testing.T) {
	cases := []struct {
		name     string
		policy   func(p *Policy)
		absences []Absence
		takeover [2]string // from, to
		period   string
		unpaid   int
		vikar    int
		rule     string
	}{
		{"R-13.4-CAP: 90 sick days taken over, 1 April is day 91", func(p *Policy) { p.ColleagueCoverDays = 200 },
			[]Absence{absence("S1", "sickness", "2015-01-01", "2015-04-10", "colleagues")},
			[2]string{"2015-01-01", "2015-03-31"}, "2015-04", 10, 0, RCap},
		{"R-14: 56 days taken over allow a municipal vikar from day 57", nil,
			[]Absence{absence("S1", "sickness", "2015-01-01", "2015-02-25", "none"),
				vikarAbsence("S2", "sickness", "2015-02-26", "2015-03-10")},
			[2]string{"2015-01-01", "2015-02-25"}, "2015-03", 0, 10, RVikar},
		{"R-14-COLLEAGUES: colleague days taken over use up the 8 weeks", nil,
			[]Absence{absence("S1", "sickness", "2015-01-01", "2015-03-31", "colleagues")},
			[2]string{"2015-01-01", "2015-02-25"}, "2015-03", 31, 0, RSick},
		{"R-13.4-SICK: the episode runs through the takeover", nil,
			[]Absence{absence("S1", "sickness", "2015-03-01", "2015-03-31", "none")},
			[2]string{"2015-03-01", "2015-03-20"}, "2015-03", 11, 0, RSick},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			in.ListCounts = counts("L1", 1200, "2014-12", "2015-12")
			in.Agreements = append(in.Agreements, agreement("A2", "P2", "L2"))
			in.ListCounts = append(in.ListCounts, counts("L2", 1000, "2014-12", "2015-12")...)
			if c.policy != nil {
				c.policy(&in.Policy)
			}
			in.Absences = c.absences
			in.Takeovers = []Takeover{{ID: "T1", AgreementID: "A1", From: d(c.takeover[0]), To: d(c.takeover[1]),
				PayeeAgreementID: "A2", SharePercent: dec("100"), Version: known()}}
			r := mustCompute(t, in, c.period)
			h := line(t, r, "A1", RoleHolder, "P1")
			require.Equal(t, c.unpaid, h.UnpaidDays, "unpaid days")
			require.Equal(t, c.vikar, h.VikarDays, "vikar days")
			require.Contains(t, h.Rules, c.rule)
			p := MustPeriod(c.period)
			requireAmount(t, V(dec("505200"), dec("100"), c.unpaid, p.Days()).String(), h.AbsenceDeduction, "V(unpaid days)")
		})
	}
}

func vikarAbsence(id, kind, from, to string) Absence {
	a := absence(id, kind, from, to, "municipal_vikar")
	a.VikarPayeeID = "V1"
	return a
}
