package journal

import (
	"fmt"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

var monthNames = [...]string{"januar", "februar", "mars", "april", "mai", "juni", "juli",
	"august", "september", "oktober", "november", "desember"}

// monthYear is "desember 2022".
func monthYear(p payout.Period) string {
	return fmt.Sprintf("%s %d", monthNames[p.Month()-1], p.Year())
}

// grant names a scheme's grant: basistilskudd for GPs, driftstilskudd for
// physiotherapists.
func grant(s payout.Scheme) string {
	if s == payout.SchemeFysio {
		return "driftstilskudd fysioterapi"
	}
	return "basistilskudd fastlege"
}

// postingText is the Norwegian text of a posting: what, which month, which
// district.
func postingText(p payout.Period, kind Kind, k groupKey) string {
	where := nb.BydelName(k.bydel)
	g := grant(k.scheme)
	switch kind {
	case KindBase:
		return fmt.Sprintf("%s %s, %s", capitalise(g), monthYear(p), where)
	case KindAdjustment:
		return fmt.Sprintf("Korreksjoner av tidligere måneder, %s, %s", g, where)
	case KindWithheld:
		return fmt.Sprintf("Tilbakeholdt %s (§15.1), %s", g, where)
	case KindReleased:
		return fmt.Sprintf("Frigitt tilbakeholdt %s (§15.1), %s", g, where)
	case KindCarriedIn:
		return fmt.Sprintf("Overbetaling motregnet, %s, %s", g, where)
	case KindCarriedOut:
		return fmt.Sprintf("Overbetaling til gode, trekkes i senere måneder, %s, %s", g, where)
	case KindClaim:
		return fmt.Sprintf("Tilbakebetalingskrav for overbetaling, %s, %s", g, where)
	}
	return string(kind)
}

func capitalise(s string) string {
	if s == "" || s[0] < 'a' || s[0] > 'z' {
		return s
	}
	return string(s[0]-'a'+'A') + s[1:]
}
