package csv

import (
	"time"

	"github.com/oslokommune/payout/payout"
)

// The Norwegian (bokmål) words the reports use for the engine's codes. They
// live here, beside Neutralise, because the CSV trace, the workbooks and the
// explain command all print them.

var bydelNames = map[string]string{
	"01": "Gamle Oslo", "02": "Grünerløkka", "03": "Sagene", "04": "St. Hanshaugen",
	"05": "Frogner", "06": "Ullern", "07": "Vestre Aker", "08": "Nordre Aker",
	"09": "Bjerke", "10": "Grorud", "11": "Stovner", "12": "Alna",
	"13": "Østensjø", "14": "Nordstrand", "15": "Søndre Nordstrand",
	"HEL": "Helseetaten",
}

// BydelName returns the district's name (FORMATS.md), or the code itself
// when unknown.
func BydelName(code string) string {
	if n, ok := bydelNames[code]; ok {
		return n
	}
	return code
}

var weekdays = [...]string{"søndag", "mandag", "tirsdag", "onsdag", "torsdag", "fredag", "lørdag"}

// Weekday returns the Norwegian name of the weekday.
func Weekday(d time.Weekday) string { return weekdays[d] }

var kindNames = map[payout.AbsenceKind]string{
	payout.KindSickness:        "Egen sykdom",
	payout.KindChildSickness:   "Barns sykdom",
	payout.KindParental:        "Foreldrepermisjon",
	payout.KindEducation:       "Utdanning",
	payout.KindUnionPublic:     "Tillitsverv/offentlig verv",
	payout.KindMilitaryService: "Militærtjeneste",
}

// KindName returns the Norwegian name of an absence kind.
func KindName(k payout.AbsenceKind) string { return lookup(kindNames, k) }

var coverNames = map[payout.Cover]string{
	payout.CoverNone:           "ingen",
	payout.CoverColleagues:     "kolleger",
	payout.CoverOwnVikar:       "egen vikar",
	payout.CoverMunicipalVikar: "kommunal vikar",
}

// CoverName returns the Norwegian name of an absence cover.
func CoverName(c payout.Cover) string { return lookup(coverNames, c) }

var statusNames = map[payout.DayStatus]string{
	payout.StatusPaid:     "betalt",
	payout.StatusUnpaid:   "ubetalt (trekk)",
	payout.StatusToVikar:  "til vikar",
	payout.StatusTakeover: "overtatt",
	payout.StatusInactive: "ikke aktiv",
}

// StatusName returns the Norwegian name of a day status.
func StatusName(s payout.DayStatus) string { return lookup(statusNames, s) }

var roleNames = map[payout.Role]string{
	payout.RoleHolder:   "avtaleinnehaver",
	payout.RoleTakeover: "overtakelse",
	payout.RoleVikar:    "vikar",
}

// RoleName returns the Norwegian name of a payee role.
func RoleName(r payout.Role) string { return lookup(roleNames, r) }

var schemeNames = map[payout.Scheme]string{
	payout.SchemeFastlege: "Fastlege",
	payout.SchemeFysio:    "Fysioterapi",
}

// SchemeName returns the Norwegian name of a scheme.
func SchemeName(s payout.Scheme) string { return lookup(schemeNames, s) }

// Clause returns the legal clause of a rule ID from the catalogue, or "".
func Clause(rule string) string { return payout.Rules[rule].Clause }

func lookup[K ~string](m map[K]string, k K) string {
	if n, ok := m[k]; ok {
		return n
	}
	return string(k)
}

var breachStates = map[string]string{
	"active": "aktiv", "rectified": "rettet", "cancelled": "opphevet", "pending": "varslet",
}

// BreachStateName returns the Norwegian name of a breach's state (§15.1).
func BreachStateName(s string) string { return lookup(breachStates, s) }
