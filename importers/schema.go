package importers

import "github.com/oslokommune/payout/payout"

// colType is what a column holds; it decides how a template formats and
// validates the column, and how a number cell of a workbook becomes text.
type colType int

const (
	tText    colType = iota // free text or an identifier
	tDate                   // YYYY-MM-DD
	tPeriod                 // YYYY-MM
	tDecimal                // exact decimal
	tInt                    // whole number
	tBool                   // true/false/ja/nei
	tEnum                   // one of column.enum
)

// column is one column of FORMATS.md.
type column struct {
	name     string
	required bool
	typ      colType
	enum     []string
	help     string // Norwegian: what staff should write, for the template
	// exported marks a column that only payout export writes; templates
	// for staff leave it out.
	exported bool
}

// kindSpec describes one input file kind.
type kindSpec struct {
	name  string   // file base name without extension, e.g. "absences"
	sheet string   // the template's first sheet name (Norwegian)
	what  string   // Norwegian description of one row, for the template
	key   []string // the columns identifying a record; versions share them
	cols  []column
	build func(r *row, in *payout.Inputs)
}

// Enumerations of FORMATS.md.
var (
	schemes = []string{string(payout.SchemeFastlege), string(payout.SchemeFysio)}
	absKind = []string{"sickness", "child_sickness", "parental", "education", "union_public", "military_service"}
	covers  = []string{"none", "colleagues", "own_vikar", "municipal_vikar"}
	bydeler = []string{"01", "02", "03", "04", "05", "06", "07", "08", "09", "10", "11", "12", "13", "14", "15", "HEL"}
)

// versionCols are the columns every file has: recorded_on and cancelled,
// and import, the knowledge time of a version in an exported folder.
var versionCols = []column{
	{name: "recorded_on", typ: tDate, help: "Datoen denne versjonen ble kjent (ÅÅÅÅ-MM-DD). Tom: kjent fra begynnelsen. En ny rad med samme nøkkel og senere dato erstatter den gamle."},
	{name: "cancelled", typ: tBool, help: "ja/nei (true/false). ja: posten slettes fra recorded_on. Tom: nei."},
	{name: "import", typ: tInt, exported: true, help: "Lagerets importnummer for versjonen (skrives av payout export)."},
}

var specs = []*kindSpec{
	{name: "agreements", sheet: "Avtaler", what: "én rad per avtale (fastlegeavtale eller driftsavtale)",
		key: []string{"agreement_id"}, build: buildAgreement, cols: []column{
			{name: "agreement_id", required: true, help: "Avtalens unike ID."},
			{name: "scheme", required: true, typ: tEnum, enum: schemes, help: "Ordning: fastlege eller fysio."},
			{name: "name", required: true, help: "Behandlerens navn."},
			{name: "hpr", required: true, help: "HPR-nummer, bare sifre."},
			{name: "bydel", required: true, typ: tEnum, enum: bydeler, help: "Bydelskode 01–15, eller HEL for avtaler som forvaltes sentralt av Helseetaten."},
			{name: "valid_from", required: true, typ: tDate, help: "Avtalens første dag (ÅÅÅÅ-MM-DD)."},
			{name: "valid_to", typ: tDate, help: "Avtalens siste dag (ÅÅÅÅ-MM-DD). Tom: løpende."},
			{name: "payee_id", required: true, help: "Mottakeren av pengene (payee_id i mottakerfilen)."},
			{name: "list_id", help: "Listens ID. Påkrevd for fastlege."},
			{name: "share_percent", typ: tDecimal, help: "Andel av listen i prosent ved deleliste (§10.7). Tom: 100."},
			{name: "hjemmel_percent", typ: tDecimal, help: "Hjemmelsprosent 1–100. Påkrevd for fysio."},
			{name: "list_ceiling", typ: tInt, help: "Listetak (helt tall)."},
			{name: "birth_date", typ: tDate, help: "Behandlerens fødselsdato (ÅÅÅÅ-MM-DD). Påkrevd for fastlege (avtalen opphører ved fylte 70 år, §16)."},
			{name: "extension_to", typ: tDate, help: "Siste dag av en tidsbegrenset forlengelse etter fylte 70 år; må være før fylte 75 år."},
			{name: "practice_id", help: "Gruppepraksisens ID."},
			{name: "payee_from", typ: tDate, help: "Dagen en ny mottaker (payee_id) gjelder fra (ÅÅÅÅ-MM-DD). Tom: fra recorded_on. Korreksjoner av dager før gjelder den gamle mottakeren."},
		}},
	{name: "payees", sheet: "Mottakere", what: "én rad per mottaker av penger (lege, selskap eller vikar)",
		key: []string{"payee_id"}, build: buildPayee, cols: []column{
			{name: "payee_id", required: true, help: "Mottakerens unike ID."},
			{name: "name", required: true, help: "Mottakerens navn."},
			{name: "account", required: true, help: "Kontonummer, 11 sifre (mellomrom og punktum er lov: 1234.56.78903). Kontrolleres med MOD11."},
			{name: "orgnr", help: "Organisasjonsnummer, 9 sifre, når mottakeren er et selskap. Kontrolleres med MOD11."},
			{name: "street", help: "Gateadresse (valgfri), f.eks. «Storgata 1». Krever town og country."},
			{name: "postcode", help: "Postnummer (valgfritt); 4 sifre når country er NO."},
			{name: "town", help: "Poststed (valgfritt, høyst 35 tegn), f.eks. «Oslo». Strukturert adresse i betalingsfilen; krever country."},
			{name: "country", help: "Landkode, to bokstaver (ISO 3166), f.eks. NO. Krever town."},
		}},
	{name: "rates", sheet: "Satser", what: "én rad per sats (og trinn) fra en gitt dato",
		key: []string{"scheme", "valid_from", "tier_from"}, build: buildRate, cols: []column{
			{name: "scheme", required: true, typ: tEnum, enum: schemes, help: "Ordning: fastlege eller fysio."},
			{name: "valid_from", required: true, typ: tDate, help: "Første dag satsen gjelder (ÅÅÅÅ-MM-DD)."},
			{name: "tier_from", typ: tInt, help: "Listeplassen trinnet starter på. Tom: 1."},
			{name: "annual_amount", required: true, typ: tDecimal, help: "Kroner per år: per innbygger på listen (fastlege) eller per 100 % avtale (fysio)."},
			{name: "source", required: true, help: "Hjemmel for satsen, f.eks. «Statsavtalen 2022 §2.1»."},
		}},
	{name: "list_counts", sheet: "Listetall", what: "én rad per liste og måned",
		key: []string{"list_id", "as_of"}, build: buildListCount, cols: []column{
			{name: "list_id", required: true, help: "Listens ID."},
			{name: "as_of", required: true, typ: tDate, help: "Den 1. i måneden tallet gjelder (ÅÅÅÅ-MM-01)."},
			{name: "count", required: true, typ: tInt, help: "Antall innbyggere på listen (helt tall, 0 eller mer)."},
			{name: "weighted_count", typ: tDecimal, help: "Helfos vektede listelengde (desimaltall, 0 eller mer), fra 2023."},
		}},
	{name: "absences", sheet: "Fravær", what: "én rad per fraværsperiode",
		key: []string{"absence_id"}, build: buildAbsence, cols: []column{
			{name: "absence_id", required: true, help: "Fraværets unike ID."},
			{name: "agreement_id", required: true, help: "Avtalen fraværet gjelder."},
			{name: "kind", required: true, typ: tEnum, enum: absKind, help: "Type: sickness (egen sykdom), child_sickness (barns sykdom), parental (foreldrepermisjon), education (utdanning), union_public (tillitsverv/offentlig verv), military_service (militærtjeneste)."},
			{name: "from", required: true, typ: tDate, help: "Første fraværsdag (ÅÅÅÅ-MM-DD)."},
			{name: "to", required: true, typ: tDate, help: "Siste fraværsdag, medregnet (ÅÅÅÅ-MM-DD)."},
			{name: "cover", required: true, typ: tEnum, enum: covers, help: "Dekning: none (ingen), colleagues (kollegial fraværsordning), own_vikar (egen vikar), municipal_vikar (kommunal vikar)."},
			{name: "vikar_payee_id", help: "Vikarens mottaker-ID. Påkrevd for municipal_vikar, ellers tom."},
		}},
	{name: "caregivers", sheet: "Omsorg", what: "én rad per avtale og år, for kvoten for barns sykdom",
		key: []string{"agreement_id", "year"}, build: buildCaregiver, cols: []column{
			{name: "agreement_id", required: true, help: "Avtalen det gjelder."},
			{name: "year", required: true, typ: tInt, help: "Kalenderåret (ÅÅÅÅ)."},
			{name: "children", required: true, typ: tInt, help: "Antall barn legen har omsorg for."},
			{name: "chronic_or_disabled", typ: tBool, help: "ja hvis et barn er kronisk sykt eller funksjonshemmet."},
			{name: "sole_caregiver", typ: tBool, help: "ja hvis legen er alene om omsorgen."},
		}},
	{name: "breaches", sheet: "Brudd", what: "én rad per vedtak om tilbakeholdelse (§15.1)",
		key: []string{"breach_id"}, build: buildBreach, cols: []column{
			{name: "breach_id", required: true, help: "Bruddets unike ID."},
			{name: "agreement_id", required: true, help: "Avtalen det gjelder."},
			{name: "decision_ref", required: true, help: "Referanse til enkeltvedtaket."},
			{name: "notice_on", required: true, typ: tDate, help: "Datoen for det skriftlige varselet (ÅÅÅÅ-MM-DD)."},
			{name: "withhold_from", required: true, typ: tPeriod, help: "Første måned det holdes tilbake (ÅÅÅÅ-MM); må starte på eller etter varselet."},
			{name: "percent", required: true, typ: tDecimal, help: "Prosent som holdes tilbake: over 0 og høyst 20."},
			{name: "rectified_on", typ: tDate, help: "Datoen forholdet ble rettet (ÅÅÅÅ-MM-DD). Tom: ikke rettet."},
		}},
	{name: "takeovers", sheet: "Overtakelser", what: "én rad per midlertidig overtakelse av en liste i gruppepraksis (§7.7)",
		key: []string{"takeover_id"}, build: buildTakeover, cols: []column{
			{name: "takeover_id", required: true, help: "Overtakelsens unike ID."},
			{name: "agreement_id", required: true, help: "Avtalen som overtas."},
			{name: "from", required: true, typ: tDate, help: "Første dag (ÅÅÅÅ-MM-DD)."},
			{name: "to", required: true, typ: tDate, help: "Siste dag, medregnet (ÅÅÅÅ-MM-DD)."},
			{name: "payee_agreement_id", required: true, help: "Avtalen til legen som overtar og får pengene."},
			{name: "share_percent", required: true, typ: tDecimal, help: "Andel i prosent (over 0, høyst 100); andelene samme dag skal bli 100."},
		}},
}

func init() {
	for _, s := range specs {
		s.cols = append(s.cols, versionCols...)
	}
}

// Kinds lists the file kinds in a fixed order.
func Kinds() []string {
	out := make([]string, len(specs))
	for i, s := range specs {
		out[i] = s.name
	}
	return out
}

func specFor(kind string) *kindSpec {
	for _, s := range specs {
		if s.name == kind {
			return s
		}
	}
	return nil
}

// templateCols are the columns staff fill in (not the exported ones).
func (s *kindSpec) templateCols() []column {
	var out []column
	for _, c := range s.cols {
		if !c.exported {
			out = append(out, c)
		}
	}
	return out
}

func (s *kindSpec) column(name string) *column {
	for i := range s.cols {
		if s.cols[i].name == name {
			return &s.cols[i]
		}
	}
	return nil
}

func (s *kindSpec) isKey(name string) bool {
	for _, k := range s.key {
		if k == name {
			return true
		}
	}
	return false
}

// expect says in plain words what a column wants, for error messages.
func (c *column) expect() payout.Text {
	switch c.typ {
	case tDate:
		return payout.Textf("a date (YYYY-MM-DD)")
	case tPeriod:
		return payout.Textf("a month (YYYY-MM)")
	case tDecimal:
		return payout.Textf("a number")
	case tInt:
		return payout.Textf("a whole number")
	case tBool:
		return payout.Textf("ja or nei (true or false)")
	case tEnum:
		return payout.Textf("one of %s", joinEnum(c.enum))
	}
	return payout.Textf("the %s", c.name)
}
