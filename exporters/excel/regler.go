package excel

import (
	"strings"

	"github.com/oslokommune/payout/payout"
)

// SheetRules lists every rule ID the workbook cites, with its clause
// (RULEBOOK §10, payout.ClauseFor) and one plain sentence (issue 15).
const SheetRules = "Regler"

// ruleSentences say in plain bokmål what each rule does, for a clerk who
// has not read the agreement. Every ID of payout.Rules has one (a test
// holds them together), and so has RuleSickness134.
var ruleSentences = map[string]string{
	payout.RBase:          "Basistilskuddet per måned er årsbeløpet delt på 12, etter listelengden den 1. i måneden.",
	payout.RTiers:         "Årsbeløpet regnes trinnvis: én sats for listeplass 1–1000 og en annen fra plass 1001.",
	payout.RWeighted:      "Fra 1. mai 2023 regnes årsbeløpet av Helfos vektede listelengde.",
	payout.RPayDate:       "Tilskuddet utbetales den 28., eller siste bankdag før.",
	payout.RGrunn:         "En ny liste med få innbyggere får grunntilskudd som om den hadde 500 innbyggere de første 24 månedene.",
	payout.RShared:        "På en deleliste får hver lege sin avtalte andel av listen.",
	payout.RActive:        "Tilskuddet gis bare for dagene avtalen var aktiv i måneden.",
	payout.RAge70:         "Avtalen opphører når legen fyller 70 år, med mindre den er forlenget (aldri etter 75).",
	payout.RAbsenceIgnore: "Fravær på dager da avtalen ikke var aktiv, ses bort fra.",
	payout.REducation:     "Fravær for utdanning gir tilskudd når legen selv skaffer vikar.",
	payout.RUnion:         "Tillitsverv og offentlige verv gir tilskudd i inntil 10 dager i året.",
	payout.RSick:          "Ved egen sykdom betales fullt tilskudd de første 16 dagene av hvert fravær.",
	payout.RChild:         "Ved barns sykdom betales tilskudd innenfor årets kvote av dager.",
	payout.RCap:           "Fravær etter §13.4 ut over 3 måneder i et kalenderår gir ikke tilskudd.",
	payout.RParental:      "Ved foreldrepermisjon betales tilskudd for 16 dager i året.",
	payout.RService:       "Militær- eller siviltjeneste gir tilskudd når legen selv skaffer vikar.",
	payout.RVikar:         "Når kommunen skaffer vikar ut over 8 uker, går tilskuddet for de dagene til vikaren.",
	payout.RColleagues:    "Når kolleger dekker fraværet, betales tilskuddet i inntil 8 uker i året.",
	payout.ROwnVikar:      "Når legen har egen vikar, betales tilskuddet til legen som vanlig.",
	payout.RWithhold:      "Ved mislighold kan inntil 20 % av tilskuddet holdes tilbake etter skriftlig varsel.",
	payout.RRelease:       "Tilbakeholdt beløp utbetales når forholdet er rettet eller vedtaket er opphevet.",
	payout.RTakeover:      "En gruppepraksis som midlertidig overtar listen, får tilskuddet for de dagene.",
	payout.RAdjust:        "Endringer som gjelder tidligere måneder, betales eller trekkes som korreksjon denne måneden.",
	payout.RCarry:         "En overbetaling trekkes i senere måneders tilskudd; kan den ikke trekkes, blir den et tilbakebetalingskrav.",
	payout.RFysio:         "Fysioterapeuter får driftstilskudd per måned: årsbeløpet ganger hjemmelsprosenten, delt på 12.",
	RuleSickness134:       "Fravær etter §13.4 (sykdom): dagene og beløpet står her; fraværsgrunnen står bare i økonomiavdelingens arbeidsbok.",
}

// RuleSentence is the plain sentence of a rule ID ("" for an unknown one).
func RuleSentence(id string) string { return ruleSentences[id] }

// noteRules records the rule IDs a text cell cites: tokens of letters,
// digits, '.' and '-' that are IDs of ruleSentences.
func (w *workbook) noteRules(s string) {
	if !strings.Contains(s, "R-") {
		return
	}
	for _, tok := range strings.FieldsFunc(s, func(r rune) bool {
		return !(r == '-' || r == '.' || r >= '0' && r <= '9' || r >= 'A' && r <= 'Z' || r >= 'a' && r <= 'z')
	}) {
		if _, ok := ruleSentences[tok]; ok {
			w.cited[tok] = true
		}
	}
}

// rulesSheet is written last: one row per ID the other sheets cite, with
// its clause for fastlege and, when the view has physiotherapy
// agreements and the clause differs, for fysio (payout.ClauseFor).
func rulesSheet(w *workbook, v view) error {
	fysio := false
	for _, s := range v.schemes {
		fysio = fysio || s == payout.SchemeFysio
	}
	cols := []column{{"Regel", false}, {"Hjemmel", false}, {"Hjemmel for fysioterapeuter", false}, {"Hva regelen betyr", false}}
	b := block{cols: cols}
	for _, id := range sortedSet(w.cited) {
		clause := payout.ClauseFor(clauseID(id), payout.SchemeFastlege)
		fy := blank()
		if c := payout.ClauseFor(clauseID(id), payout.SchemeFysio); fysio && c != clause {
			fy = txt(c)
		}
		b.rows = append(b.rows, []cell{txt(id), txt(clause), fy, txt(ruleSentences[id])})
	}
	_, err := w.table(SheetRules, b)
	return err
}

// clauseID is the catalogue ID whose clause id cites.
func clauseID(id string) string {
	if id == RuleSickness134 {
		return payout.RSick // the same clause, Rammeavtalen §13.4
	}
	return id
}

func sortedSet(m map[string]bool) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	return sorted(out)
}
