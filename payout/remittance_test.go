package payout

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout/banktext"
)

func TestRemittanceText(t *testing.T) {
	months := func(ps ...string) map[Period]bool {
		m := map[Period]bool{}
		for _, p := range ps {
			m[MustPeriod(p)] = true
		}
		return m
	}
	fl := map[Scheme]bool{SchemeFastlege: true}
	tests := []struct {
		name  string
		payee string
		facts remitFacts
		want  string
	}{
		{"the month's grant", "P00002", remitFacts{schemes: fl}, "Basistilskudd 2022-12; spes. P00002-2022-12"},
		{"fysio", "P7", remitFacts{schemes: map[Scheme]bool{SchemeFysio: true}}, "Driftstilskudd 2022-12; spes. P7-2022-12"},
		{"both schemes", "P7", remitFacts{schemes: map[Scheme]bool{SchemeFysio: true, SchemeFastlege: true}},
			"Basistilskudd og driftstilskudd 2022-12; spes. P7-2022-12"},
		{"back pay of three months", "P00002", remitFacts{schemes: fl, adjusted: months("2022-09", "2022-10", "2022-11"), adjusts: dec("10")},
			"Basistilskudd 2022-12, inkl. etterbetaling 2022-09 til 2022-11; spes. P00002-2022-12"},
		{"a recovered correction", "P1", remitFacts{schemes: fl, adjusted: months("2022-05", "2022-09", "2022-10"), adjusts: dec("-10")},
			"Basistilskudd 2022-12, inkl. trekk for 2022-05, 2022-09 til 2022-10; spes. P1-2022-12"},
		{"corrections that net to zero", "P1", remitFacts{schemes: fl, adjusted: months("2022-11"), adjusts: dec("0")},
			"Basistilskudd 2022-12, inkl. korreksjon 2022-11; spes. P1-2022-12"},
		{"withholding released, withheld, offset", "P1", remitFacts{schemes: fl, released: true, withheld: true, offsetOut: true},
			"Basistilskudd 2022-12, inkl. frigitt tilbakehold, etter tilbakehold, etter motregning; spes. P1-2022-12"},
		{"too many months: first and last", "P00002", remitFacts{schemes: fl, released: true, adjusted: months(
			"2020-01", "2020-03", "2020-05", "2020-07", "2020-09", "2020-11", "2021-01", "2021-03", "2021-05"), adjusts: dec("1")},
			"Basistilskudd 2022-12, inkl. etterbetaling 2020-01 til 2021-05, inkl. frigitt tilbakehold; spes. P00002-2022-12"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if tt.facts.adjusted == nil {
				tt.facts.adjusted = map[Period]bool{}
			}
			got := remittance(MustPeriod("2022-12"), tt.payee, &tt.facts)
			assert.Equal(t, tt.want, got)
			assert.False(t, banktext.Fit(got, MaxRemittanceLen).Changed(), "in the banks' set and within 140 characters")
		})
	}
}

// A statement reference too long for the field keeps the reference and cuts
// what stands before it.
func TestRemittanceKeepsTheStatementReference(t *testing.T) {
	id := strings.Repeat("P", 120)
	got := remittance(MustPeriod("2022-12"), id, &remitFacts{schemes: map[Scheme]bool{SchemeFastlege: true}, adjusted: map[Period]bool{}})
	assert.Equal(t, MaxRemittanceLen, utf8.RuneCountInString(got))
	assert.True(t, strings.HasSuffix(got, "; spes. "+id+"-2022-12"), got)
}

// The engine writes the text from the payee's lines and adjustments, and
// warns about each text the bank file will change.
func TestPaymentTextsAndBankWarnings(t *testing.T) {
	in := baseInputs()
	in.Payees[0].Name = "Áilu Čoahkká Legetjeneste " + strings.Repeat("x", 50)
	in.Payees[0].Address = Address{Town: "Kárášjohka–Karasjok", Country: "NO"}
	late := counts("L1", 1300, "2015-02", "2015-02")
	late[0].RecordedOn = d("2015-03-10")
	in.ListCounts = append(in.ListCounts, late...)
	r := mustCompute(t, in, "2015-03")
	require.Len(t, r.Payments, 1)
	p := r.Payments[0]
	assert.Equal(t, "Basistilskudd 2015-03, inkl. etterbetaling 2015-02; spes. P1-2015-03", p.Remittance)
	assert.Equal(t, in.Payees[0].Address, p.Address)
	var msgs []string
	for _, w := range r.Warnings {
		if w.Code == "W-BANK-TEXT" {
			assert.Equal(t, "A1", w.AgreementID)
			msgs = append(msgs, w.Msg)
		}
	}
	assert.Equal(t, []string{
		"mottaker P1: navnet «" + in.Payees[0].Name + "» skrives «Áilu Coahkká Legetjeneste " + strings.Repeat("x", 44) +
			"» i betalingsfilen (tegn banken ikke tar: «Č»→«C»; 76 tegn, kuttet til 70)",
		"mottaker P1: poststedet «Kárášjohka–Karasjok» skrives «Kárášjohka-Karasjok» i betalingsfilen (tegn banken ikke tar: «–»→«-»)",
	}, msgs)
}
