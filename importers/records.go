package importers

import (
	"strings"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// The builders: one per file kind, each reading a row into a record and
// checking the rules of FORMATS.md and RULEBOOK.md that need only the row.

var hundred = decimal.NewFromInt(100)

func buildAgreement(r *row, in *payout.Inputs) {
	a := payout.Agreement{
		ID: r.str("agreement_id"), Scheme: payout.Scheme(r.enum("scheme")), Name: r.str("name"),
		HPR: r.hpr("hpr"), Bydel: r.bydel("bydel"),
		ValidFrom: r.date("valid_from"), ValidTo: r.dateOr("valid_to", payout.Forever),
		PayeeID: r.str("payee_id"), ListID: r.str("list_id"),
		SharePercent: hundred, BirthDate: r.date("birth_date"), ExtensionTo: r.date("extension_to"),
		PracticeID: r.str("practice_id"), PayeeFrom: r.date("payee_from"), Version: r.version(),
	}
	r.ordered("valid_from", a.ValidFrom, "valid_to", a.ValidTo)
	if d, ok := r.decimal("share_percent"); ok {
		a.SharePercent = d
		r.inRange("share_percent", d, 0, 100, false, "more than 0 and at most 100")
	}
	if d, ok := r.decimal("hjemmel_percent"); ok {
		a.HjemmelPercent = d
		r.inRange("hjemmel_percent", d, 1, 100, true, "1 to 100")
	}
	a.ListCeiling, _ = r.whole("list_ceiling")
	switch a.Scheme {
	case payout.SchemeFastlege:
		r.need("list_id", "a fastlege agreement needs its list_id")
		r.need("birth_date", "a fastlege agreement needs the doctor's birth_date (it ends at 70, §16)")
	case payout.SchemeFysio:
		r.need("hjemmel_percent", "a fysio agreement needs its hjemmel_percent (1 to 100)")
		// RULEBOOK §7 (R-FYSIO): a fysio agreement has no list to share;
		// its size is its hjemmel_percent.
		if d, ok := r.decimal("share_percent"); ok && !d.Equal(hundred) {
			r.failf(payout.ErrInconsistent, "share_percent", "%s on a fysio agreement: a driftsavtale has no shared list (RULEBOOK §7); leave share_percent empty or 100 and give the size in hjemmel_percent", d)
		}
	}
	if a.BirthDate != payout.NoDate && a.ExtensionTo != payout.NoDate {
		if at75 := a.BirthDate.AddYears(75); a.ExtensionTo >= at75 {
			r.failf(payout.ErrInconsistent, "extension_to", "%s is on or after the 75th birthday (%s); an extension past 70 must end before it (§16)", a.ExtensionTo, at75)
		}
	}
	in.Agreements = append(in.Agreements, a)
}

func buildPayee(r *row, in *payout.Inputs) {
	p := payout.Payee{ID: r.str("payee_id"), Name: r.str("name"),
		Account: r.t.intern(normalizeAccount(r.text("account"))), OrgNr: r.t.intern(normalizeAccount(r.text("orgnr"))),
		Version: r.version()}
	if p.Account != "" && !payout.ValidAccount(p.Account) {
		r.failf(payout.ErrCheckDigit, "account", "%s is not a valid Norwegian account number (11 digits with a correct MOD11 check digit); check it against the payee's bank details", quote(r.text("account")))
	}
	if p.OrgNr != "" && !payout.ValidOrgNr(p.OrgNr) {
		r.failf(payout.ErrCheckDigit, "orgnr", "%s is not a valid organisation number (9 digits with a correct MOD11 check digit); check it in Brønnøysundregistrene", quote(r.text("orgnr")))
	}
	p.Address = payeeAddress(r)
	in.Payees = append(in.Payees, p)
}

// payeeAddress reads the optional structured address (issue 13): the banks'
// structured-address rules need at least the town and the country, so one
// without the other is refused, and a street or postcode needs both.
func payeeAddress(r *row) payout.Address {
	a := payout.Address{Street: r.str("street"), PostCode: r.str("postcode"), Town: r.str("town"),
		Country: r.t.intern(strings.ToUpper(r.text("country")))}
	if a == (payout.Address{}) || r.cancelled {
		return a
	}
	if a.Town == "" {
		r.failf(payout.ErrRequired, "town", "empty, but the address has a street, postcode or country; the bank needs the town (poststed) too")
	}
	if a.Country == "" {
		r.failf(payout.ErrRequired, "country", "empty, but the address has a town; the bank needs the country code (NO) too")
	}
	for _, c := range []struct {
		col, v string
		max    int
	}{{"street", a.Street, payout.MaxStreetLen}, {"postcode", a.PostCode, payout.MaxPostCodeLen}, {"town", a.Town, payout.MaxTownLen}} {
		if n := utf8.RuneCountInString(c.v); n > c.max {
			r.failf(payout.ErrOutOfRange, c.col, "has %d characters; the bank takes at most %d", n, c.max)
		}
	}
	if a.Country != "" && !isCountryCode(a.Country) {
		r.failf(payout.ErrFormat, "country", "%s is not a two-letter country code (ISO 3166), e.g. NO", quote(r.text("country")))
	}
	if a.Country == "NO" && a.PostCode != "" && !isDigits(a.PostCode, 4) {
		r.failf(payout.ErrFormat, "postcode", "%s is not a Norwegian postcode (4 digits)", quote(a.PostCode))
	}
	return a
}

func isCountryCode(s string) bool {
	return len(s) == 2 && s[0] >= 'A' && s[0] <= 'Z' && s[1] >= 'A' && s[1] <= 'Z'
}

func isDigits(s string, n int) bool {
	if len(s) != n {
		return false
	}
	for i := 0; i < len(s); i++ {
		if s[i] < '0' || s[i] > '9' {
			return false
		}
	}
	return true
}

func buildRate(r *row, in *payout.Inputs) {
	rt := payout.Rate{Scheme: payout.Scheme(r.enum("scheme")), ValidFrom: r.date("valid_from"),
		TierFrom: 1, Source: r.str("source"), Version: r.version()}
	if n, ok := r.whole("tier_from"); ok {
		rt.TierFrom = n
		if n < 1 {
			r.failf(payout.ErrOutOfRange, "tier_from", "%d is not a list position (expected 1 or more)", n)
		}
	}
	if d, ok := r.decimal("annual_amount"); ok {
		rt.AnnualNOK = d
		if d.Sign() < 0 {
			r.failf(payout.ErrOutOfRange, "annual_amount", "%s is negative (expected an amount 0 or more)", d)
		}
	}
	in.Rates = append(in.Rates, rt)
}

func buildListCount(r *row, in *payout.Inputs) {
	lc := payout.ListCount{ListID: r.str("list_id"), AsOf: r.date("as_of"), Version: r.version()}
	if _, _, day := lc.AsOf.YMD(); lc.AsOf != payout.NoDate && day != 1 {
		r.failf(payout.ErrInconsistent, "as_of", "%s is not the 1st of a month; a list count is as of the 1st (e.g. %s)", lc.AsOf, lc.AsOf.Period().First())
	}
	lc.Count, _ = r.whole("count")
	if d, ok := r.decimal("weighted_count"); ok {
		lc.Weighted, lc.HasWeighted = d, true
		if d.Sign() < 0 {
			r.failf(payout.ErrOutOfRange, "weighted_count", "%s is negative (expected a number 0 or more)", d)
		}
	}
	in.ListCounts = append(in.ListCounts, lc)
}

func buildAbsence(r *row, in *payout.Inputs) {
	a := payout.Absence{ID: r.str("absence_id"), AgreementID: r.str("agreement_id"),
		Kind: absenceKind(r.enum("kind")), From: r.date("from"), To: r.date("to"),
		Cover: cover(r.enum("cover")), VikarPayeeID: r.str("vikar_payee_id"), Version: r.version()}
	r.ordered("from", a.From, "to", a.To)
	switch {
	case a.Cover == payout.CoverMunicipalVikar:
		r.need("vikar_payee_id", "cover municipal_vikar needs the vikar's payee_id")
	case a.VikarPayeeID != "" && a.Cover != 0:
		r.failf(payout.ErrInconsistent, "vikar_payee_id", "is set but cover is %s; use cover municipal_vikar to pay the vikar, or leave vikar_payee_id empty", a.Cover)
	}
	maxDays := payout.DefaultAbsenceRules().ParentalMaxRecordDays
	if a.Kind == payout.KindParental && a.From != payout.NoDate && a.To >= a.From && int(a.To-a.From)+1 > maxDays {
		r.failf(payout.ErrInconsistent, "to", "a parental absence of %d days is longer than 52 weeks (%d days); split it into records of at most 52 weeks", int(a.To-a.From)+1, maxDays)
	}
	in.Absences = append(in.Absences, a)
}

func buildCaregiver(r *row, in *payout.Inputs) {
	c := payout.Caregiver{AgreementID: r.str("agreement_id"),
		ChronicOrDisabled: r.boolean("chronic_or_disabled"), SoleCaregiver: r.boolean("sole_caregiver"),
		Version: r.version()}
	if y, ok := r.whole("year"); ok {
		c.Year = y
		if y < 1900 || y > 9999 {
			r.failf(payout.ErrOutOfRange, "year", "%d is not a year (expected YYYY, e.g. 2015)", y)
		}
	}
	c.Children, _ = r.whole("children")
	in.Caregivers = append(in.Caregivers, c)
}

func buildBreach(r *row, in *payout.Inputs) {
	b := payout.Breach{ID: r.str("breach_id"), AgreementID: r.str("agreement_id"),
		DecisionRef: r.str("decision_ref"), NoticeOn: r.date("notice_on"),
		RectifiedOn: r.date("rectified_on"), Version: r.version()}
	p, hasPeriod := r.period("withhold_from")
	b.WithholdFrom = p
	if d, ok := r.decimal("percent"); ok {
		b.Percent = d
		r.inRange("percent", d, 0, 20, false, "more than 0 and at most 20")
	}
	if hasPeriod && b.NoticeOn != payout.NoDate && p.First() < b.NoticeOn {
		r.failf(payout.ErrInconsistent, "withhold_from", "%s starts before the written notice on %s; withholding may start at the earliest in %s",
			p, b.NoticeOn, firstPeriodFrom(b.NoticeOn))
	}
	in.Breaches = append(in.Breaches, b)
}

func buildTakeover(r *row, in *payout.Inputs) {
	t := payout.Takeover{ID: r.str("takeover_id"), AgreementID: r.str("agreement_id"),
		From: r.date("from"), To: r.date("to"), PayeeAgreementID: r.str("payee_agreement_id"),
		Version: r.version()}
	r.ordered("from", t.From, "to", t.To)
	if d, ok := r.decimal("share_percent"); ok {
		t.SharePercent = d
		r.inRange("share_percent", d, 0, 100, false, "more than 0 and at most 100")
	}
	if t.PayeeAgreementID != "" && t.PayeeAgreementID == t.AgreementID {
		r.failf(payout.ErrInconsistent, "payee_agreement_id", "is the agreement taken over itself; name the agreement of the colleague who takes over")
	}
	in.Takeovers = append(in.Takeovers, t)
}

// absenceKind and cover are the values of codes enum has checked (an
// unknown one, reported, reads as the zero value).
func absenceKind(code string) payout.AbsenceKind { k, _ := payout.ParseAbsenceKind(code); return k }

func cover(code string) payout.Cover { c, _ := payout.ParseCover(code); return c }

// normalizeAccount is payout.NormalizeAccount, which builds a
// strings.Replacer per call; most numbers have nothing to strip.
func normalizeAccount(s string) string {
	if !strings.ContainsAny(s, " .") && strings.TrimSpace(s) == s {
		return s
	}
	return payout.NormalizeAccount(s)
}

// firstPeriodFrom is the first month starting on or after d.
func firstPeriodFrom(d payout.Date) payout.Period {
	if _, _, day := d.YMD(); day == 1 {
		return d.Period()
	}
	return d.Period() + 1
}

// hpr reads an HPR number: digits only.
func (r *row) hpr(col string) string {
	s := r.str(col)
	if s != "" && !reDigits.MatchString(s) {
		r.failf(payout.ErrFormat, col, "%s is not an HPR number (expected digits only)", quote(s))
	}
	return s
}

// bydel reads a district code 01–15 or HEL.
func (r *row) bydel(col string) string {
	s := normalizeBydel(r.text(col))
	if s == "" {
		return ""
	}
	if v, ok := parseEnum(s, bydeler); ok {
		return v
	}
	r.failf(payout.ErrNotAllowed, col, "%s is not a bydel code (expected 01 to 15, or HEL for Helseetaten)", quote(r.text(col)))
	return r.t.intern(s)
}
