package payout

import "time"

// The Norwegian banking calendar (RULEBOOK §0, Norges Bank's settlement
// calendar) and pay(P): the 28th of P, or the nearest earlier banking day
// (§8.4 "senest den 28.").

// easterSunday returns Easter Sunday of year y (the anonymous Gregorian
// algorithm, Meeus/Jones/Butcher).
func easterSunday(y int) Date {
	a := y % 19
	b, c := y/100, y%100
	d, e := b/4, b%4
	f := (b + 8) / 25
	g := (b - f + 1) / 3
	h := (19*a + b - d - g + 15) % 30
	i, k := c/4, c%4
	l := (32 + 2*e + 2*i - h - k) % 7
	m := (a + 11*h + 22*l) / 451
	month := (h + l - 7*m + 114) / 31
	day := (h+l-7*m+114)%31 + 1
	return NewDate(y, month, day)
}

// IsHoliday reports whether d is a Norwegian bank holiday (weekends aside).
func IsHoliday(d Date) bool {
	y, m, dd := d.YMD()
	switch {
	case m == 1 && dd == 1, m == 5 && dd == 1, m == 5 && dd == 17,
		m == 12 && (dd == 24 || dd == 25 || dd == 26):
		return true
	}
	e := easterSunday(y)
	switch d {
	case e - 3, e - 2, e + 1, e + 39, e + 50: // Maundy Thursday, Good Friday, Easter Monday, Ascension, Whit Monday
		return true
	}
	return false
}

// IsBankingDay reports whether d is a Norwegian banking day.
func IsBankingDay(d Date) bool {
	wd := d.Weekday()
	return wd != time.Saturday && wd != time.Sunday && !IsHoliday(d)
}

// PayDate is pay(P) (rule R-8.4-PAYDATE, §8.4).
func PayDate(p Period) Date {
	d := NewDate(p.Year(), p.Month(), 28)
	for !IsBankingDay(d) { // R-8.4-PAYDATE: the 28th or the nearest earlier banking day
		d--
	}
	return d
}

// BankingDaysBefore returns the banking day n banking days before d.
func BankingDaysBefore(d Date, n int) Date {
	for n > 0 {
		d--
		if IsBankingDay(d) {
			n--
		}
	}
	return d
}
