package payout

import (
	"slices"
	"sort"
	"strings"
)

// RuleInfo describes one rule of RULEBOOK.md: its clause and a short
// Norwegian title for the reports.
type RuleInfo struct {
	ID     string
	Clause string
	Title  string
}

// The rule IDs of RULEBOOK.md. Every line cites the ones that applied.
const (
	RBase          = "R-8.4"
	RGrunn         = "R-GRUNN"
	RActive        = "R-ACTIVE"
	RAge70         = "R-16-AGE70"
	RCap           = "R-13.4-CAP"
	RSick          = "R-13.4-SICK"
	RChild         = "R-13.4-CHILD"
	RParental      = "R-13.5-PARENTAL"
	REducation     = "R-13.2-EDU"
	RUnion         = "R-13.3-UNION"
	RService       = "R-13.6-SERVICE"
	RVikar         = "R-14"
	RWithhold      = "R-15.1-WITHHOLD"
	RRelease       = "R-15.1-RELEASE"
	RTakeover      = "R-7.7"
	RAdjust        = "R-ADJ"
	RCarry         = "R-CARRY"
	RShared        = "R-10.7-SHARED"
	RFysio         = "R-FYSIO"
	RTiers         = "R-8.4-TIERS"
	RWeighted      = "R-8.4-WEIGHTED"
	RPayDate       = "R-8.4-PAYDATE"
	RColleagues    = "R-14-COLLEAGUES"
	ROwnVikar      = "R-14-OWN-VIKAR"
	RAbsenceIgnore = "R-ABSENCE-INACTIVE"
)

// FysioRegulations is the physiotherapists' source (RULEBOOK, sources):
// their driftsavtale regulations, not the GPs' Rammeavtalen.
const FysioRegulations = "Regelverk for driftsavtaler for fysioterapeuter (Oslo kommune, 2021)"

// ClauseFor is the clause a rule cites for an agreement of scheme. The
// rules of the Rammeavtalen (active days, absence, withholding,
// corrections, the payment date) reach physiotherapists through their own
// regulations (RULEBOOK §7: "apply unchanged"), so a fysio agreement cites
// FysioRegulations for them; the base grant of a fysio agreement is R-FYSIO
// (its is the same regulations). Other rules cite their own clause.
// A joined ID list ("R-13.4-SICK;R-13.4-CAP") gives its distinct clauses,
// joined with "; ".
func ClauseFor(rule string, scheme Scheme) string {
	var clauses []string
	for _, id := range strings.Split(rule, ";") {
		c := Rules[id].Clause
		if scheme == SchemeFysio && (strings.HasPrefix(c, "Rammeavtalen") || id == RBase) {
			c = FysioRegulations
		}
		if c != "" && !slices.Contains(clauses, c) {
			clauses = append(clauses, c)
		}
	}
	return strings.Join(clauses, "; ")
}

// Rules is the catalogue, keyed by ID.
var Rules = map[string]RuleInfo{
	RBase:          {RBase, "Rammeavtalen §8.4", "Basistilskudd 1/12 per måned etter listelengde den 1."},
	RTiers:         {RTiers, "Statsavtalen §2.1", "Trinnvis sats etter listeplass"},
	RWeighted:      {RWeighted, "Statsavtalen (fra 1.5.2023)", "Vektet listelengde fra Helfo"},
	RGrunn:         {RGrunn, "Statsavtalen", "Grunntilskudd: minst 500 på listen de første 24 måneder"},
	RActive:        {RActive, "Rammeavtalen §8.4", "Forholdsmessig for aktive dager"},
	RAge70:         {RAge70, "Rammeavtalen §16", "Avtalen opphører ved fylte 70 år"},
	RCap:           {RCap, "Rammeavtalen §13.4", "Sykdom og barns sykdom: inntil 3 måneder i året"},
	RSick:          {RSick, "Rammeavtalen §13.4", "Egen sykdom: full godtgjøring de første 16 dager"},
	RChild:         {RChild, "Rammeavtalen §13.4", "Barns sykdom: kvote per kalenderår"},
	RParental:      {RParental, "Rammeavtalen §13.5", "Foreldrepermisjon"},
	REducation:     {REducation, "Rammeavtalen §13.2", "Utdanning: betalt når legen stiller vikar"},
	RUnion:         {RUnion, "Rammeavtalen §13.3", "Tillitsverv og offentlige verv"},
	RService:       {RService, "Rammeavtalen §13.6", "Militærtjeneste: betalt når legen stiller vikar"},
	RVikar:         {RVikar, "Rammeavtalen §14", "Kommunal vikar: tilskuddet går til vikaren"},
	RColleagues:    {RColleagues, "Rammeavtalen §14", "Kollegial fraværsordning inntil 8 uker i året"},
	ROwnVikar:      {ROwnVikar, "Rammeavtalen §14", "Egen vikar"},
	RWithhold:      {RWithhold, "Rammeavtalen §15.1", "Tilbakeholdelse inntil 20 % ved mislighold"},
	RRelease:       {RRelease, "Rammeavtalen §15.1", "Tilbakeholdt beløp utbetales når forholdet er rettet"},
	RTakeover:      {RTakeover, "Rammeavtalen §7.7", "Gruppepraksis overtar listen midlertidig"},
	RAdjust:        {RAdjust, "Rammeavtalen §8.4 annet ledd", "Etterbetaling/korreksjon av tidligere måneder"},
	RCarry:         {RCarry, "Rulebook §6", "Overbetaling trekkes i senere måneder, ellers tilbakebetalingskrav"},
	RShared:        {RShared, "Rammeavtalen §10.7", "Deleliste: andel av listen"},
	RFysio:         {RFysio, FysioRegulations, "Driftstilskudd per avtale"},
	RPayDate:       {RPayDate, "Rammeavtalen §8.4", "Utbetaling senest den 28."},
	RAbsenceIgnore: {RAbsenceIgnore, "Rammeavtalen §16", "Fravær etter avtalens opphør ses bort fra"},
}

// The warning codes: control findings that never block payment (they are
// not rule IDs; each names the rule or section it reports on).
const (
	WCeiling         = "W-CEILING"
	WShared          = "W-SHARED"
	WAbsenceInactive = "W-ABSENCE-INACTIVE"
	WUnpaidMonth     = "W-UNPAID-MONTH"
	WOutsideWindow   = "W-OUTSIDE-WINDOW"
	WClaim           = "W-CLAIM"
	WListOrphan      = "W-LIST-ORPHAN"
	WBankText        = "W-BANK-TEXT"
)

// WarningInfo describes one warning code: the rule or section it reports
// on and a short Norwegian title for the reports.
type WarningInfo struct {
	Code  string
	Rule  string
	Title string
}

// Warnings is the catalogue of warning codes.
var Warnings = map[string]WarningInfo{
	WCeiling:         {WCeiling, "RULEBOOK §8", "Listelengde over listetaket (utbetalt etter telling)"},
	WShared:          {WShared, RShared, "Deleliste over 2500 innbyggere (utbetalt etter telling)"},
	WAbsenceInactive: {WAbsenceInactive, RAbsenceIgnore, "Fravær utenfor avtalens aktive dager er sett bort fra"},
	WUnpaidMonth:     {WUnpaidMonth, RAdjust, "Måned uten kjent listetelling eller sats: betales som korreksjon"},
	WOutsideWindow:   {WOutsideWindow, RAdjust, "Korreksjon eldre enn tilbakevirkningsvinduet: til manuell behandling"},
	WClaim:           {WClaim, RCarry, "Overbetaling som ikke kan trekkes: tilbakebetalingskrav"},
	WListOrphan:      {WListOrphan, "FORMATS.md", "Listetelling for en liste uten avtale"},
	WBankText:        {WBankText, "DESIGN.md (betalingsfil)", "Navn eller tekst skrevet om til bankens tegnsett eller kuttet i betalingsfilen"},
}

// RuleIDs returns the catalogue's IDs, sorted.
func RuleIDs() []string {
	ids := make([]string, 0, len(Rules))
	for id := range Rules {
		ids = append(ids, id)
	}
	sort.Strings(ids)
	return ids
}
