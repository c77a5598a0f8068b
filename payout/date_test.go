package payout

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestDateRoundTrip(t *testing.T) {
	for _, s := range []string{"0001-01-01", "1945-03-15", "2000-02-29", "2015-03-01", "9999-12-31"} {
		d, err := ParseDate(s)
		require.NoError(t, err)
		require.Equal(t, s, d.String())
	}
	require.Equal(t, Beginning, MustDate("0001-01-01"))
	require.Equal(t, Forever, MustDate("9999-12-31"))
}

func TestParseDateRejects(t *testing.T) {
	for _, s := range []string{"", "2015-02-30", "2015-2-3", "15-03-01", "2015/03/01", "2015-13-01", "abcd-ef-gh"} {
		_, err := ParseDate(s)
		require.Error(t, err, s)
	}
}

func TestWeekday(t *testing.T) {
	require.Equal(t, time.Sunday, MustDate("2027-03-28").Weekday())
	require.Equal(t, time.Thursday, MustDate("1970-01-01").Weekday())
	require.Equal(t, time.Monday, MustDate("0001-01-01").Weekday())
}

func TestAddYearsLeapBirthday(t *testing.T) {
	// §16: a 29 February birthday turns 70 on 1 March in a common year.
	require.Equal(t, "2022-03-01", MustDate("1952-02-29").AddYears(70).String())
	require.Equal(t, "2020-02-29", MustDate("1952-02-29").AddYears(68).String())
}

func TestAddMonthsClampsToMonthEnd(t *testing.T) {
	// RULEBOOK §1: valid_from + N months is the same day, or the month's
	// last day when it has none (time.AddDate would give 3 March).
	cases := []struct {
		from string
		n    int
		want string
	}{
		{"2021-01-31", 13, "2022-02-28"},
		{"2019-01-31", 13, "2020-02-29"},
		{"2021-03-31", -1, "2021-02-28"},
		{"2021-08-31", 1, "2021-09-30"},
		{"2021-01-15", 24, "2023-01-15"},
		{"2021-12-31", 2, "2022-02-28"},
		{"2020-02-29", 12, "2021-02-28"},
	}
	for _, c := range cases {
		require.Equal(t, c.want, MustDate(c.from).AddMonths(c.n).String(), "%s + %d months", c.from, c.n)
	}
}

func TestPeriod(t *testing.T) {
	p := MustPeriod("2015-02")
	require.Equal(t, 28, p.Days())
	require.Equal(t, 29, MustPeriod("2016-02").Days())
	require.Equal(t, "2015-03", (p + 1).String())
	require.Equal(t, "2014-12", (MustPeriod("2015-01") - 1).String())
	require.Equal(t, "2016-01-31", NewDate(2015, 13, 31).String())
	require.Equal(t, "2015-02-28", p.Last().String())
	require.Equal(t, p, MustDate("2015-02-14").Period())
}

// First reads a table for 1900–2299 and computes other periods: both give
// the day NewDate gives, also at the table's edges.
func TestPeriodFirstTable(t *testing.T) {
	for y := 1890; y <= 2310; y++ {
		for m := 1; m <= 12; m++ {
			if got, want := NewPeriod(y, m).First(), NewDate(y, m, 1); got != want {
				t.Fatalf("%04d-%02d: First %s, want %s", y, m, got, want)
			}
		}
	}
}
