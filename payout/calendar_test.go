package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestPayDate_R84(t *testing.T) {
	cases := []struct {
		name, period, want string
	}{
		{"§8.4 Easter Sunday 2027 moves to Wednesday 24 March", "2027-03", "2027-03-24"},
		{"§8.4 an ordinary Tuesday", "2015-04", "2015-04-28"},
		{"§8.4 Saturday moves to Friday", "2015-03", "2015-03-27"},
		{"§8.4 Sunday moves to Friday", "2015-06", "2015-06-26"},
		{"§8.4 December 28 on a Monday", "2015-12", "2015-12-28"},
		{"§8.4 Whit Monday 28 May 2012 moves to Friday 25", "2012-05", "2012-05-25"},
		{"§8.4 Maundy Thursday 28 March 2024 moves to Wednesday 27", "2024-03", "2024-03-27"},
		{"§8.4 Saturday 28 Feb 2015", "2015-02", "2015-02-27"},
		{"§8.4 a Thursday", "2022-07", "2022-07-28"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			require.Equal(t, c.want, PayDate(MustPeriod(c.period)).String())
		})
	}
}

func TestHolidays(t *testing.T) {
	for _, s := range []string{"2015-01-01", "2015-04-02", "2015-04-03", "2015-04-06", "2015-05-01", "2015-05-14", "2015-05-17", "2015-05-25", "2015-12-24", "2015-12-25", "2015-12-26", "2027-03-25", "2027-03-26", "2027-03-29"} {
		require.True(t, IsHoliday(MustDate(s)), s)
	}
	for _, s := range []string{"2015-04-01", "2015-12-27", "2015-12-31", "2015-04-07"} {
		require.False(t, IsHoliday(MustDate(s)), s)
	}
	require.Equal(t, "2015-04-24", BankingDaysBefore(MustDate("2015-04-28"), 2).String())
}

func TestMod11(t *testing.T) {
	for _, c := range []struct {
		s       string
		account bool
		ok      bool
	}{
		{"12000079195", true, true}, {"12000158389", true, true}, {"12000475147", true, true},
		{"12000079196", true, false}, {"1200007919", true, false}, {"1200007919x", true, false},
		{"910007866", false, true}, {"958935420", false, true}, {"958935421", false, false}, {"95893542", false, false},
	} {
		if c.account {
			require.Equal(t, c.ok, ValidAccount(c.s), c.s)
		} else {
			require.Equal(t, c.ok, ValidOrgNr(c.s), c.s)
		}
	}
	require.Equal(t, "12345678903", NormalizeAccount(" 1234.56.78903 "))
	d, ok := Mod11CheckDigit("1200007919", true)
	require.True(t, ok)
	require.Equal(t, byte('5'), d)
}
