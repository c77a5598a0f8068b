package payout

import (
	"fmt"
	"time"
)

// Date is a civil calendar date with no time zone: the number of days since
// 0001-01-01 plus one, so that the zero value means "no date". Dates compare
// with <, and d+1 is the next day.
type Date int32

// Period is one calendar month, stored as year*12 + (month-1). P+1 is the
// next month.
type Period int32

const (
	// NoDate is the zero Date: an absent optional date.
	NoDate Date = 0
	// Beginning is the earliest date: an empty recorded_on means "known from
	// the beginning" (FORMATS.md) and an open start compares before any date.
	Beginning Date = 1
	// Forever is 9999-12-31: an empty valid_to is open ended.
	Forever Date = 3652059
)

// unixOffset is the Date of 1970-01-01 minus one: days_from_civil below
// counts from the Unix epoch.
const unixOffset = 719162

// NewDate returns the Date of year y, month m, day d. Out-of-range days
// normalise the way time.Date does; use ParseDate to validate text.
func NewDate(y, m, d int) Date {
	// Normalise month overflow first, then let the day count carry.
	y += (m - 1) / 12
	m = (m-1)%12 + 1
	if m < 1 {
		m += 12
		y--
	}
	return Date(daysFromCivil(y, m, 1)+unixOffset+1) + Date(d-1)
}

// daysFromCivil is Howard Hinnant's algorithm: days since 1970-01-01 of a
// proleptic Gregorian date.
func daysFromCivil(y, m, d int) int {
	if m <= 2 {
		y--
	}
	era := y / 400
	if y < 0 && y%400 != 0 {
		era--
	}
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return era*146097 + doe - 719468
}

// civilFromDays is the inverse of daysFromCivil.
func civilFromDays(z int) (int, int, int) {
	z += 719468
	era := z / 146097
	if z < 0 && z%146097 != 0 {
		era--
	}
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return y, m, d
}

// ParseDate parses YYYY-MM-DD strictly (2015-02-30 is an error).
func ParseDate(s string) (Date, error) {
	if len(s) != 10 || s[4] != '-' || s[7] != '-' {
		return NoDate, fmt.Errorf("%q is not a date (expected YYYY-MM-DD)", s)
	}
	t, err := time.Parse("2006-01-02", s)
	if err != nil || t.Year() < 1 {
		return NoDate, fmt.Errorf("%q is not a date (expected YYYY-MM-DD)", s)
	}
	return NewDate(t.Year(), int(t.Month()), t.Day()), nil
}

// MustDate is ParseDate for literals in tests and tables; it panics on error.
func MustDate(s string) Date {
	d, err := ParseDate(s)
	if err != nil {
		panic(err)
	}
	return d
}

// Time returns the date as midnight UTC.
func (d Date) Time() time.Time {
	y, m, dd := d.YMD()
	return time.Date(y, time.Month(m), dd, 0, 0, 0, 0, time.UTC)
}

// YMD returns year, month and day.
func (d Date) YMD() (int, int, int) { return civilFromDays(int(d) - unixOffset - 1) }

// Year returns the calendar year.
func (d Date) Year() int { y, _, _ := d.YMD(); return y }

// Weekday returns the day of the week.
func (d Date) Weekday() time.Weekday { return time.Weekday(int(d) % 7) }

// Period returns the month the date lies in.
func (d Date) Period() Period { y, m, _ := d.YMD(); return NewPeriod(y, m) }

// IsZero reports whether d is NoDate.
func (d Date) IsZero() bool { return d == NoDate }

// AddYears returns the same calendar day n years later; 29 February maps to
// 1 March in a year without it (the §16 reading for birthdays).
func (d Date) AddYears(n int) Date {
	y, m, dd := d.YMD()
	return NewDate(y+n, m, dd)
}

// AddMonths returns the same day n months later, clamped to the last day of
// that month when it has no such day (RULEBOOK §1, R-GRUNN's "valid_from +
// N months": 2021-01-31 + 13 months is 2022-02-28, not 3 March as
// time.AddDate would normalise it).
func (d Date) AddMonths(n int) Date {
	y, m, dd := d.YMD()
	first := NewDate(y, m+n, 1)
	return min(first+Date(dd-1), first.Period().Last())
}

// String formats YYYY-MM-DD, or "" for NoDate.
func (d Date) String() string {
	if d == NoDate {
		return ""
	}
	y, m, dd := d.YMD()
	if y > 9999 {
		return fmt.Sprintf("%04d-%02d-%02d", y, m, dd)
	}
	b := [10]byte{byte('0' + y/1000), byte('0' + y/100%10), byte('0' + y/10%10), byte('0' + y%10), '-',
		byte('0' + m/10), byte('0' + m%10), '-', byte('0' + dd/10), byte('0' + dd%10)}
	return string(b[:])
}

// NewPeriod returns the period of year y and month m (1–12).
func NewPeriod(y, m int) Period { return Period(y*12 + m - 1) }

// ParsePeriod parses YYYY-MM strictly.
func ParsePeriod(s string) (Period, error) {
	if len(s) != 7 || s[4] != '-' {
		return 0, fmt.Errorf("%q is not a period (expected YYYY-MM)", s)
	}
	t, err := time.Parse("2006-01", s)
	if err != nil || t.Year() < 1 {
		return 0, fmt.Errorf("%q is not a period (expected YYYY-MM)", s)
	}
	return NewPeriod(t.Year(), int(t.Month())), nil
}

// MustPeriod is ParsePeriod for literals; it panics on error.
func MustPeriod(s string) Period {
	p, err := ParsePeriod(s)
	if err != nil {
		panic(err)
	}
	return p
}

// Year returns the calendar year of the period.
func (p Period) Year() int { return int(p) / 12 }

// Month returns the month 1–12.
func (p Period) Month() int { return int(p)%12 + 1 }

// First returns the first day of the period.
func (p Period) First() Date {
	if i := uint(p - firstsFrom); i < uint(len(monthFirsts)) {
		return monthFirsts[i]
	}
	return NewDate(p.Year(), p.Month(), 1)
}

// monthFirsts holds First of the periods of the years 1900–2299, worked out
// once: the engine asks for a month's first and last day millions of times
// per run (snapshots, rates, counts, active days).
var monthFirsts = func() []Date {
	ds := make([]Date, 400*12)
	for i := range ds {
		p := firstsFrom + Period(i)
		ds[i] = NewDate(p.Year(), p.Month(), 1)
	}
	return ds
}()

const firstsFrom = Period(1900 * 12)

// Last returns the last day of the period.
func (p Period) Last() Date { return (p + 1).First() - 1 }

// Days returns D(P), the number of days of the period.
func (p Period) Days() int { return int((p + 1).First() - p.First()) }

// String formats YYYY-MM.
func (p Period) String() string { return fmt.Sprintf("%04d-%02d", p.Year(), p.Month()) }
