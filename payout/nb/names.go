package nb

import (
	"fmt"
	"strings"
	"time"
)

// The codes below are the engine's (payout.Scheme, payout.AbsenceKind, …);
// nb_test.go checks that every code the engine defines has a name here.

var bydelNames = map[string]string{
	"01": "Gamle Oslo", "02": "Grünerløkka", "03": "Sagene", "04": "St. Hanshaugen",
	"05": "Frogner", "06": "Ullern", "07": "Vestre Aker", "08": "Nordre Aker",
	"09": "Bjerke", "10": "Grorud", "11": "Stovner", "12": "Alna",
	"13": "Østensjø", "14": "Nordstrand", "15": "Søndre Nordstrand",
	"HEL": "Helseetaten",
}

// BydelName returns the district's name (FORMATS.md), or the code itself
// when unknown.
func BydelName(code string) string { return lookup(bydelNames, code) }

var weekdays = [...]string{"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"}

// Weekday returns the Norwegian name of the weekday.
func Weekday(d time.Weekday) string { return weekdays[d] }

var months = [...]string{"januar", "februar", "mars", "april", "mai", "juni", "juli", "august",
	"september", "oktober", "november", "desember"}

// MonthName returns the Norwegian name of month m (1–12), in lower case as
// in running text ("mars 2015").
func MonthName(m int) string { return months[m-1] }

var kindNames = map[string]string{
	"sickness":         "Egen sykdom",
	"child_sickness":   "Barns sykdom",
	"parental":         "Foreldrepermisjon",
	"education":        "Utdanning",
	"union_public":     "Tillitsverv/offentlig verv",
	"military_service": "Militærtjeneste",
}

// KindName returns the Norwegian name of an absence kind (payout.AbsenceKind).
func KindName(k fmt.Stringer) string { return lookup(kindNames, k.String()) }

var coverNames = map[string]string{
	"none":            "ingen",
	"colleagues":      "kolleger",
	"own_vikar":       "egen vikar",
	"municipal_vikar": "kommunal vikar",
}

// CoverName returns the Norwegian name of an absence cover (payout.Cover).
func CoverName(c fmt.Stringer) string { return lookup(coverNames, c.String()) }

var statusNames = map[string]string{
	"paid":     "betalt",
	"unpaid":   "ubetalt (trekk)",
	"to-vikar": "til vikar",
	"takeover": "overtatt",
	"inactive": "ikke aktiv",
}

// StatusName returns the Norwegian name of a day status (payout.DayStatus).
func StatusName[S ~string](s S) string { return lookup(statusNames, string(s)) }

var roleNames = map[string]string{
	"holder":   "avtaleinnehaver",
	"takeover": "overtakelse",
	"vikar":    "vikar",
}

// RoleName returns the Norwegian name of a payee role (payout.Role).
func RoleName[R ~string](r R) string { return lookup(roleNames, string(r)) }

var schemeNames = map[string]string{
	"fastlege": "Fastlege",
	"fysio":    "Fysioterapi",
}

// SchemeName returns the Norwegian name of a scheme (payout.Scheme).
func SchemeName[S ~string](s S) string { return lookup(schemeNames, string(s)) }

var breachStates = map[string]string{
	"active": "aktiv", "rectified": "rettet", "cancelled": "opphevet", "pending": "varslet",
}

// BreachStateName returns the Norwegian name of a breach's state (§15.1).
func BreachStateName[S ~string](s S) string { return lookup(breachStates, string(s)) }

var claimCauses = map[string]string{
	"agreement-ended": "avtalen er avsluttet",
	"payee-not-paid":  "mottakeren får ikke lenger utbetaling på linjen",
}

// ClaimCauseName says in Norwegian why an overpayment is claimed back
// (payout.ClaimCause, RULEBOOK §6).
func ClaimCauseName[C ~string](c C) string { return lookup(claimCauses, string(c)) }

func lookup(m map[string]string, k string) string {
	if n, ok := m[k]; ok {
		return n
	}
	return k
}

var inputNames = map[string]string{
	"rates": "satser", "list_counts": "listelengder", "absences": "fravær",
	"breaches": "brudd", "agreements": "avtaler", "takeovers": "overtakelser",
	"caregivers": "omsorgsansvar", "payees": "mottakere", "policy": "parametere",
}

// ReasonText names the changed inputs of an adjustment (its reason, the
// input kinds recorded since the last run) in Norwegian: "rates;list_counts"
// → "endret: satser, listelengder". Unknown words are kept as given.
func ReasonText[R ~string](reason R) string {
	if reason == "" {
		return ""
	}
	parts := strings.Split(string(reason), ";")
	for i, p := range parts {
		if n, ok := inputNames[strings.TrimSpace(p)]; ok {
			parts[i] = n
		}
	}
	return "endret: " + strings.Join(parts, ", ")
}
