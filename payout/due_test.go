package payout

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ReleaseDeadline: two banking days before pay(P), across weekends and
// holidays.
func TestReleaseDeadline(t *testing.T) {
	tests := []struct {
		period, pay, deadline string
	}{
		{"2022-07", "2022-07-28", "2022-07-26"}, // Thursday: Tuesday
		{"2022-08", "2022-08-26", "2022-08-24"}, // the 28th a Sunday: pay Friday
		{"2022-11", "2022-11-28", "2022-11-24"}, // Monday: back over the weekend
		{"2022-12", "2022-12-28", "2022-12-23"}, // 24–26 December are no banking days
		{"2027-03", "2027-03-24", "2027-03-22"}, // Easter: pay before Maundy Thursday
		{"2024-05", "2024-05-28", "2024-05-24"}, // Tuesday: over the weekend
	}
	for _, tt := range tests {
		t.Run(tt.period, func(t *testing.T) {
			p := MustPeriod(tt.period)
			require.Equal(t, d(tt.pay), PayDate(p))
			assert.Equal(t, d(tt.deadline), ReleaseDeadline(p))
		})
	}
}

// BankingDaysBetween counts (from, to], banking days only.
func TestBankingDaysBetween(t *testing.T) {
	tests := []struct {
		from, to string
		want     int
	}{
		{"2022-07-20", "2022-07-26", 4}, // Thu, Fri, Mon, Tue
		{"2022-07-26", "2022-07-26", 0}, // the deadline itself
		{"2022-07-27", "2022-07-26", 0}, // passed
		{"2022-12-22", "2022-12-28", 3}, // Fri 23, Tue 27, Wed 28: the weekend and Mon 26 December are not
		{"2022-07-22", "2022-07-24", 0}, // Saturday and Sunday
	}
	for _, tt := range tests {
		t.Run(tt.from+".."+tt.to, func(t *testing.T) {
			assert.Equal(t, tt.want, BankingDaysBetween(d(tt.from), d(tt.to)))
		})
	}
}

// MissingListCounts answers as the engine does: each row also asserts that
// Compute stops on exactly the lists it names (ErrMissingListCount).
func TestMissingListCounts(t *testing.T) {
	tests := []struct {
		name   string
		period string
		asOf   string // "" for pay(P)
		edit   func(in *Inputs)
		want   []MissingCount
	}{
		{name: "count known", period: "2015-06"},
		{name: "no count for the 1st", period: "2016-01", want: []MissingCount{{"A1", "L1"}}},
		{name: "count recorded after the as-of date", period: "2015-06",
			edit: func(in *Inputs) { in.ListCounts[5].Version = recorded("2015-07-01") },
			want: []MissingCount{{"A1", "L1"}}},
		{name: "count recorded by the as-of date", period: "2015-06", asOf: "2015-07-01",
			edit: func(in *Inputs) { in.ListCounts[5].Version = recorded("2015-07-01") }},
		{name: "count cancelled", period: "2015-06", edit: func(in *Inputs) {
			c := in.ListCounts[5]
			c.Version = Version{RecordedOn: d("2015-06-10"), Cancelled: true}
			in.ListCounts = append(in.ListCounts, c)
		}, want: []MissingCount{{"A1", "L1"}}},
		{name: "agreement starts after the month", period: "2016-01",
			edit: func(in *Inputs) { in.Agreements[0].ValidFrom = d("2016-02-01") }},
		{name: "agreement ended before the month", period: "2016-01",
			edit: func(in *Inputs) { in.Agreements[0].ValidTo = d("2015-12-31") }},
		{name: "starts within the month, prorated", period: "2016-01",
			edit: func(in *Inputs) { in.Agreements[0].ValidFrom = d("2016-01-15") }, want: []MissingCount{{"A1", "L1"}}},
		{name: "starts within the month, not prorated", period: "2016-01", edit: func(in *Inputs) {
			in.Agreements[0].ValidFrom = d("2016-01-15")
			in.Policy.ProratePartialMonths = false
		}},
		{name: "R-16-AGE70: 70 before the month", period: "2016-01",
			edit: func(in *Inputs) { in.Agreements[0].BirthDate = d("1945-12-10") }},
		{name: "R-16-AGE70: 70 within the month", period: "2016-01",
			edit: func(in *Inputs) { in.Agreements[0].BirthDate = d("1946-01-20") }, want: []MissingCount{{"A1", "L1"}}},
		{name: "R-16-AGE70: extended into the month", period: "2016-01", edit: func(in *Inputs) {
			in.Agreements[0].BirthDate = d("1945-12-10")
			in.Agreements[0].ExtensionTo = d("2016-06-30")
		}, want: []MissingCount{{"A1", "L1"}}},
		{name: "fysio needs no count", period: "2016-01", edit: func(in *Inputs) {
			a := &in.Agreements[0]
			a.Scheme, a.ListID, a.HjemmelPercent, a.ListCeiling = SchemeFysio, "", dec("100"), 0
		}},
		{name: "agreement cancelled", period: "2016-01", edit: func(in *Inputs) {
			a := in.Agreements[0]
			a.Version = Version{RecordedOn: d("2015-12-01"), Cancelled: true}
			in.Agreements = append(in.Agreements, a)
		}},
		{name: "new list recorded after the as-of date", period: "2015-06", edit: func(in *Inputs) {
			a := in.Agreements[0]
			a.ListID, a.Version = "L2", recorded("2015-07-01")
			in.Agreements = append(in.Agreements, a)
		}},
		{name: "new list recorded by the as-of date", period: "2015-06", edit: func(in *Inputs) {
			a := in.Agreements[0]
			a.ListID, a.Version = "L2", recorded("2015-06-01")
			in.Agreements = append(in.Agreements, a)
		}, want: []MissingCount{{"A1", "L2"}}},
		{name: "sorted by agreement", period: "2016-01", edit: func(in *Inputs) {
			in.Agreements = append([]Agreement{agreement("B1", "P2", "L3")}, in.Agreements...)
		}, want: []MissingCount{{"A1", "L1"}, {"B1", "L3"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			in := baseInputs()
			if tt.edit != nil {
				tt.edit(in)
			}
			asOf := NoDate
			if tt.asOf != "" {
				asOf = d(tt.asOf)
			}
			p := MustPeriod(tt.period)
			got := MissingListCounts(in, p, asOf)
			assert.Equal(t, tt.want, got)
			assert.Equal(t, listsOf(tt.want), computeStopsOn(t, in, p, asOf), "Compute stops on these lists")
		})
	}
}

func listsOf(ms []MissingCount) []string {
	var out []string
	for _, m := range ms {
		out = append(out, m.ListID)
	}
	return out
}

// computeStopsOn runs Compute and returns the lists of its
// ErrMissingListCount problems; any other error fails the test.
func computeStopsOn(t *testing.T, in *Inputs, p Period, asOf Date) []string {
	t.Helper()
	_, err := Compute(in, p, Options{AsOf: asOf})
	if err == nil {
		return nil
	}
	var list ErrorList
	require.True(t, errors.As(err, &list), "%v", err)
	var out []string
	for _, ie := range list {
		require.ErrorIs(t, ie, ErrMissingListCount)
		out = append(out, ie.Value)
	}
	return out
}
