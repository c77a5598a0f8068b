package bank

// The ISO 20022 status codes (ExternalPaymentTransactionStatus1Code and
// ExternalPaymentGroupStatus1Code) and the reason codes a Norwegian bank
// returns (ExternalStatusReason1Code), with the Norwegian text the reports
// show.

// stateOf maps a status code to the state it sets; ok is false for a code
// that is not a status, and set false for one that changes nothing (RCVD)
// or applies to the payments beneath it only (PART).
func stateOf(code string) (s State, set, ok bool) {
	switch code {
	case "ACCP", "ACTC", "ACWC", "ACSP", "ACSC", "ACCC", "ACFC", "ACWP", "ACIS":
		return StateAccepted, true, true
	case "PDNG":
		return StatePending, true, true
	case "RJCT", "CANC":
		return StateRejected, true, true
	case "RCVD", "PART":
		return "", false, true
	}
	return "", false, false
}

// StatusText is the Norwegian name of a status code.
func StatusText(code string) string {
	switch code {
	case "ACCP":
		return "akseptert (kundeprofil)"
	case "ACTC":
		return "akseptert (teknisk kontroll)"
	case "ACWC":
		return "akseptert med endring"
	case "ACSP":
		return "akseptert, under utførelse"
	case "ACSC", "ACCC":
		return "akseptert, gjennomført"
	case "ACFC":
		return "akseptert, dekning kontrollert"
	case "ACWP":
		return "akseptert uten postering"
	case "ACIS":
		return "akseptert og avregnet"
	case "PDNG":
		return "venter"
	case "RJCT":
		return "avvist"
	case "CANC":
		return "kansellert"
	case "RCVD":
		return "mottatt"
	case "PART":
		return "delvis akseptert"
	}
	return "ukjent status " + code
}

// reasonTexts are the reason codes of ExternalStatusReason1Code that
// Norwegian banks use in pain.002, in Norwegian.
var reasonTexts = map[string]string{
	"AC01": "feil kontonummer",
	"AC02": "ugyldig belastningskonto",
	"AC03": "ugyldig mottakerkonto",
	"AC04": "kontoen er avsluttet",
	"AC05": "belastningskontoen er avsluttet",
	"AC06": "kontoen er sperret",
	"AC13": "ugyldig kontotype",
	"AG01": "transaksjonen er ikke tillatt på kontoen",
	"AG02": "ugyldig transaksjonskode",
	"AM01": "beløpet er null",
	"AM02": "beløpet er over tillatt maksimum",
	"AM03": "valutaen er ikke tillatt",
	"AM04": "ikke dekning på kontoen",
	"AM05": "duplikat",
	"AM09": "feil beløp",
	"AM10": "kontrollsummen stemmer ikke",
	"BE01": "mottakerens navn stemmer ikke med kontoen",
	"BE04": "mottakerens adresse mangler",
	"BE05": "ukjent initierende part",
	"CH03": "ønsket utførelsesdato er for langt fram",
	"CH16": "feil i betalingsfilen",
	"CUST": "kansellert etter ønske fra kunden",
	"DT01": "ugyldig dato",
	"DUPL": "betalingen er sendt før",
	"FF01": "ugyldig filformat",
	"FOCR": "tilbakekalt etter ønske",
	"MD07": "mottakeren er død",
	"MS02": "avvist av mottakeren, uten oppgitt årsak",
	"MS03": "avvist av banken, uten oppgitt årsak",
	"NARR": "se bankens tekst",
	"RC01": "ugyldig BIC",
	"RR01": "mangler opplysninger om betaler (regelverk)",
	"RR02": "mangler betalerens navn eller adresse (regelverk)",
	"RR03": "mangler mottakerens navn eller adresse (regelverk)",
	"RR04": "avvist av regulatoriske grunner",
	"TM01": "mottatt etter fristen",
}

// ReasonText is the Norwegian text of an ISO reason code; a code the list
// does not hold is named as such, never dropped.
func ReasonText(code string) string {
	if t, ok := reasonTexts[code]; ok {
		return t
	}
	return "ukjent årsakskode " + code + " (se bankens veiledning)"
}

// Text is the reason as a report shows it: code, Norwegian text and the
// bank's own words.
func (r Reason) Text() string {
	t := r.Code
	if r.Proprietary {
		t += " (bankens egen kode)"
	} else {
		t += " " + ReasonText(r.Code)
	}
	if r.Info != "" {
		t += ": " + r.Info
	}
	return t
}

// StateText is the Norwegian name of a state, for the reports.
func StateText(s State) string {
	switch s {
	case StateSent:
		return "sendt"
	case StatePending:
		return "venter"
	case StateAccepted:
		return "akseptert"
	case StateRejected:
		return "avvist"
	case StateBooked:
		return "bokført"
	}
	return string(s)
}
