package payout

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// Test builders: a one-doctor Oslo fixture (E01 of the worked examples) that
// each table row changes in one respect.

func d(s string) Date              { return MustDate(s) }
func dec(s string) decimal.Decimal { return decimal.RequireFromString(s) }
func known() Version               { return Version{RecordedOn: Beginning} }
func recorded(s string) Version    { return Version{RecordedOn: d(s)} }

func baseInputs() *Inputs {
	return &Inputs{
		Policy: DefaultPolicy(),
		Rates: []Rate{
			{Scheme: SchemeFastlege, ValidFrom: d("2014-07-01"), TierFrom: 1, AnnualNOK: dec("421"), Source: "Statsavtalen 2014", Version: known()},
			{Scheme: SchemeFastlege, ValidFrom: d("2015-07-01"), TierFrom: 1, AnnualNOK: dec("427"), Source: "Statsavtalen 2015", Version: known()},
			{Scheme: SchemeFysio, ValidFrom: d("2014-07-01"), TierFrom: 1, AnnualNOK: dec("453720"), Source: "Forskrift", Version: known()},
		},
		Payees: []Payee{
			{ID: "P1", Name: "Lege A1 AS", Account: "12000079195", Version: known()},
			{ID: "P2", Name: "Lege A2", Account: "12000158389", Version: known()},
			{ID: "V1", Name: "Vikar V1", Account: "12000237572", Version: known()},
		},
		Agreements: []Agreement{agreement("A1", "P1", "L1")},
		ListCounts: counts("L1", 1200, "2015-01", "2015-12"),
	}
}

func agreement(id, payee, list string) Agreement {
	return Agreement{ID: id, Scheme: SchemeFastlege, Name: "Lege " + id, HPR: "1000001", Bydel: "01",
		ValidFrom: d("2010-01-01"), ValidTo: Forever, PayeeID: payee, ListID: list, SharePercent: dec("100"),
		ListCeiling: 2000, BirthDate: d("1965-05-05"), Version: known()}
}

// counts makes a count of n on the 1st of every month from..to.
func counts(list string, n int, from, to string) []ListCount {
	var out []ListCount
	for p := MustPeriod(from); p <= MustPeriod(to); p++ {
		out = append(out, ListCount{ListID: list, AsOf: p.First(), Count: n, Version: known()})
	}
	return out
}

func absence(id, kind, from, to, cover string) Absence {
	k, _ := ParseAbsenceKind(kind)
	c, _ := ParseCover(cover)
	return Absence{ID: id, AgreementID: "A1", Kind: k, From: d(from), To: d(to), Cover: c, Version: known()}
}

func mustCompute(t *testing.T, in *Inputs, period string) *Result {
	t.Helper()
	r, err := Compute(in, MustPeriod(period), Options{})
	require.NoError(t, err)
	require.NoError(t, CheckInvariants(r))
	return r
}

// line finds the line of agreement, role and payee.
func line(t *testing.T, r *Result, agr string, role Role, payee string) Line {
	t.Helper()
	for _, l := range r.Lines {
		if l.AgreementID == agr && l.Role == role && l.PayeeID == payee {
			return l
		}
	}
	t.Fatalf("no line %s/%s/%s in %d lines", agr, role, payee, len(r.Lines))
	return Line{}
}

func requireAmount(t *testing.T, want string, got decimal.Decimal, what string) {
	t.Helper()
	require.Truef(t, dec(want).Equal(got), "%s: want %s, got %s", what, want, got.StringFixed(2))
}
