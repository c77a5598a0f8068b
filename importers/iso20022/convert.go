package iso20022

import (
	"fmt"
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

// reader turns the decoded elements into a bank.Report, collecting every
// problem with its line and element path.
type reader struct {
	file string
	rep  *bank.Report
	errs payout.ErrorList
	more int // problems beyond MaxProblems
}

func (r *reader) failf(line int, element, format string, a ...any) {
	if len(r.errs) >= MaxProblems {
		r.more++
		return
	}
	r.errs.Add(&payout.InputError{File: r.file, Line: line, Column: element, Msg: fmt.Sprintf(format, a...)})
}

// bounded returns the problems, with a last line counting those left out.
func (r *reader) bounded() error {
	r.errs.Sort()
	if r.more > 0 {
		r.errs.Add(&payout.InputError{File: r.file, Msg: fmt.Sprintf("and %d more problems", r.more)})
	}
	return r.errs
}

// id checks an identifier: required or not, at most 35 characters.
func (r *reader) id(line int, path, v string, required bool) string {
	v = strings.TrimSpace(v)
	switch {
	case v == "" && required:
		r.failf(line, path, "missing or empty")
	case utf8.RuneCountInString(v) > 35:
		r.failf(line, path, "%q is longer than 35 characters (Max35Text)", clip(v))
	}
	return v
}

// code checks a four-letter code (status, reason); empty is allowed here.
func (r *reader) code(line int, path, v string) string {
	v = strings.TrimSpace(v)
	if v == "" {
		return v
	}
	if len(v) != 4 || strings.IndexFunc(v, func(c rune) bool { return (c < 'A' || c > 'Z') && (c < '0' || c > '9') }) >= 0 {
		r.failf(line, path, "%q is not a four-character ISO code", clip(v))
	}
	return v
}

// money reads an amount: a decimal in øre, not negative, and its currency.
func (r *reader) money(line int, path string, a *amount, needCcy bool) (decimal.Decimal, string, bool) {
	if a == nil {
		r.failf(line, path, "missing")
		return decimal.Zero, "", false
	}
	d, ok := r.decimal(line, path, a.Value)
	ccy := strings.TrimSpace(a.Ccy)
	if needCcy && !isCurrency(ccy) {
		r.failf(line, path+"@Ccy", "%q is not a currency code (three capital letters, NOK)", clip(ccy))
		ok = false
	}
	return d, ccy, ok
}

// decimal reads a non-negative decimal with at most two decimals.
func (r *reader) decimal(line int, path, v string) (decimal.Decimal, bool) {
	v = strings.TrimSpace(v)
	if len(v) > 20 || strings.ContainsAny(v, "eE+_") {
		r.failf(line, path, "%q is not an amount (digits with at most two decimals)", clip(v))
		return decimal.Zero, false
	}
	d, err := decimal.NewFromString(v)
	if err != nil || d.Sign() < 0 || !d.Equal(d.Round(2)) {
		r.failf(line, path, "%q is not an amount (digits with at most two decimals)", clip(v))
		return decimal.Zero, false
	}
	return d, true
}

// date reads an ISO date, or the date of a date-time; empty is NoDate.
func (r *reader) date(line int, path string, c dateChoice) payout.Date {
	s := strings.TrimSpace(c.Dt)
	if s == "" {
		s = strings.TrimSpace(c.DtTm)
		if len(s) > 10 {
			s = s[:10]
		}
	}
	if s == "" {
		return payout.NoDate
	}
	d, err := payout.ParseDate(s)
	if err != nil {
		r.failf(line, path, "%q is not a date (YYYY-MM-DD)", clip(s))
	}
	return d
}

func isCurrency(s string) bool {
	return len(s) == 3 && strings.IndexFunc(s, func(c rune) bool { return c < 'A' || c > 'Z' }) < 0
}

// clip shortens a value quoted in a message (the file may hold anything).
func clip(s string) string {
	if utf8.RuneCountInString(s) <= 40 {
		return s
	}
	return string([]rune(s)[:40]) + "…"
}

// reasons reads StsRsnInf: a code (Cd) or the bank's own (Prtry), and text.
func (r *reader) reasons(line int, path string, in []reasonInfo) []bank.Reason {
	var out []bank.Reason
	for i, ri := range in {
		p := fmt.Sprintf("%s/StsRsnInf[%d]/Rsn", path, i+1)
		cd, prtry := strings.TrimSpace(ri.Rsn.Cd), strings.TrimSpace(ri.Rsn.Prtry)
		var info []string
		for _, s := range ri.AddtlInf {
			if s = strings.TrimSpace(s); s != "" {
				info = append(info, s)
			}
		}
		switch {
		case cd != "":
			out = append(out, bank.Reason{Code: r.code(line, p+"/Cd", cd), Info: strings.Join(info, " ")})
		case prtry != "":
			out = append(out, bank.Reason{Code: r.id(line, p+"/Prtry", prtry, true), Proprietary: true, Info: strings.Join(info, " ")})
		case len(info) > 0:
			out = append(out, bank.Reason{Code: "NARR", Info: strings.Join(info, " ")})
		}
	}
	return out
}
