package payout

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func TestPolicyRuleChanges(t *testing.T) {
	five := 56
	tests := []struct {
		name string
		edit func(p *Policy)
		want []string
	}{
		{"the same policy", func(*Policy) {}, nil},
		{"an explicit derived default is no change", func(p *Policy) { p.MunicipalVikarAfterDays = &five }, nil},
		{"the debtor and the ledger change no amount", func(p *Policy) { p.Debtor.Name = "Oslo"; p.BankBookingDays = 9; p.ReleaseByApprover = true }, nil},
		{"a rule parameter", func(p *Policy) { p.Cap134Days = 60 }, []string{"cap_13_4_days"}},
		{"several, sorted", func(p *Policy) {
			p.RetroWindowMonths = 12
			p.MaxWithholdingPercent = decimal.NewFromInt(10)
			p.Fysio = &AbsenceRules{Cap134Days: 1}
		}, []string{"fysio", "max_withholding_percent", "retro_window_months"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p := DefaultPolicy()
			tt.edit(&p)
			require.Equal(t, tt.want, PolicyRuleChanges(DefaultPolicy(), p))
		})
	}
}
