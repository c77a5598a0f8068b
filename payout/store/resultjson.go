package store

import (
	"bytes"
	"encoding/json"
	"reflect"
	"slices"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// encodeResult is json.Marshal(res), byte for byte, made faster where the
// result is large: its lines (40 000 in a Norway run, 16 decimals each)
// are written here, not by reflection with a MarshalJSON call and a
// compaction of its output per decimal, which was 60 % of the 58 ms the
// JSON took on the save's goroutine, beside the render (issue 16). The
// rest of the result is encoding/json's, and the lines go where it wrote
// "Lines":null. Whenever that is not exact (a Line with fields this file
// does not know, decimals set to marshal without quotes, the place not
// unique), it is json.Marshal(res) itself; TestEncodeResultIsMarshal holds
// the two to the same bytes.
func encodeResult(res *payout.Result) ([]byte, error) {
	if len(res.Lines) == 0 || !linesByHand() {
		return json.Marshal(res)
	}
	rest := *res
	rest.Lines = nil
	head, err := json.Marshal(&rest)
	if err != nil {
		return nil, err
	}
	at := bytes.Index(head, linesNull)
	if at < 0 || bytes.Contains(head[at+1:], linesNull) {
		return json.Marshal(res)
	}
	at += len(`"Lines":`)
	out := make([]byte, 0, len(head)+len(res.Lines)*600)
	out = append(out, head[:at]...)
	out = appendLines(out, res.Lines)
	return append(out, head[at+len("null"):]...), nil
}

// linesNull is where the lines go: Result's field after Lines is
// Adjustments, and a text value cannot hold an unescaped quote.
var linesNull = []byte(`"Lines":null,"Adjustments":`)

// lineFields are Line's fields as appendLine writes them, in order.
var lineFields = []string{"Period", "AgreementID", "HPR", "Name", "Bydel", "Scheme", "Role", "PayeeID", "ListID",
	"Count", "Members", "AnnualAmount", "SharePercent", "ActiveDays", "PaidDays", "UnpaidDays", "VikarDays",
	"Base", "AbsenceDeduction", "VikarAmount", "Entitlement", "Withheld", "Released", "Adjustments",
	"CarriedIn", "Net", "CarriedOut", "Claimed", "Rules"}

// lineShape is true when Line has exactly lineFields, untagged.
var lineShape = func() bool {
	t := reflect.TypeFor[payout.Line]()
	names := make([]string, t.NumField())
	for i := range names {
		f := t.Field(i)
		if f.Tag != "" || !f.IsExported() {
			return false
		}
		names[i] = f.Name
	}
	return slices.Equal(names, lineFields)
}()

func linesByHand() bool { return lineShape && !decimal.MarshalJSONWithoutQuotes }

func appendLines(b []byte, lines []payout.Line) []byte {
	b = append(b, '[')
	for i := range lines {
		if i > 0 {
			b = append(b, ',')
		}
		b = appendLine(b, &lines[i])
	}
	return append(b, ']')
}

// appendLine writes l as encoding/json does: the fields in order, by their
// names, Period as a number, Scheme and Role as texts, a decimal as its
// MarshalJSON (its String in quotes), Rules null when nil.
func appendLine(b []byte, l *payout.Line) []byte {
	b = strconv.AppendInt(append(b, `{"Period":`...), int64(l.Period), 10)
	for _, f := range [...]struct{ key, s string }{{`,"AgreementID":`, l.AgreementID}, {`,"HPR":`, l.HPR},
		{`,"Name":`, l.Name}, {`,"Bydel":`, l.Bydel}, {`,"Scheme":`, string(l.Scheme)}, {`,"Role":`, string(l.Role)},
		{`,"PayeeID":`, l.PayeeID}, {`,"ListID":`, l.ListID}} {
		b = appendString(append(b, f.key...), f.s)
	}
	b = strconv.AppendInt(append(b, `,"Count":`...), int64(l.Count), 10)
	b = appendDecimals(b, []string{`,"Members":`, `,"AnnualAmount":`, `,"SharePercent":`},
		[]*decimal.Decimal{&l.Members, &l.AnnualAmount, &l.SharePercent})
	for _, f := range [...]struct {
		key string
		n   int
	}{{`,"ActiveDays":`, l.ActiveDays}, {`,"PaidDays":`, l.PaidDays}, {`,"UnpaidDays":`, l.UnpaidDays}, {`,"VikarDays":`, l.VikarDays}} {
		b = strconv.AppendInt(append(b, f.key...), int64(f.n), 10)
	}
	b = appendDecimals(b, []string{`,"Base":`, `,"AbsenceDeduction":`, `,"VikarAmount":`, `,"Entitlement":`,
		`,"Withheld":`, `,"Released":`, `,"Adjustments":`, `,"CarriedIn":`, `,"Net":`, `,"CarriedOut":`, `,"Claimed":`},
		[]*decimal.Decimal{&l.Base, &l.AbsenceDeduction, &l.VikarAmount, &l.Entitlement, &l.Withheld, &l.Released,
			&l.Adjustments, &l.CarriedIn, &l.Net, &l.CarriedOut, &l.Claimed})
	b = append(b, `,"Rules":`...)
	if l.Rules == nil {
		b = append(b, "null"...)
	} else {
		b = append(b, '[')
		for i, r := range l.Rules {
			if i > 0 {
				b = append(b, ',')
			}
			b = appendString(b, r)
		}
		b = append(b, ']')
	}
	return append(b, '}')
}

// appendDecimals writes each decimal after its key as its MarshalJSON
// does: its String (appendDecimal), in quotes.
func appendDecimals(b []byte, keys []string, ds []*decimal.Decimal) []byte {
	for i, d := range ds {
		b = append(appendDecimal(append(append(b, keys[i]...), '"'), *d), '"')
	}
	return b
}

// appendDecimal writes d.String(): by payout.AppendFixed where the
// coefficient fits 18 digits and the exponent is −18 to 0 (every amount
// and count of a run), sparing a big.Int's String and the texts made
// around it, 16 times a line; anything else, or decimal's switches set
// otherwise, by d.String() itself.
func appendDecimal(b []byte, d decimal.Decimal) []byte {
	e := int(d.Exponent())
	if !decimal.TrimTrailingZeros || e > 0 || e < -18 || d.NumDigits() > 18 {
		return append(b, d.String()...)
	}
	return payout.AppendFixed(b, d.CoefficientInt64(), -e)
}

// appendString writes s as encoding/json does: as it is when it is plain
// printable ASCII that encoding/json escapes nothing of (not " \ < > &),
// else by encoding/json itself.
func appendString(b []byte, s string) []byte {
	for i := 0; i < len(s); i++ {
		if c := s[i]; c < 0x20 || c > 0x7e || c == '"' || c == '\\' || c == '<' || c == '>' || c == '&' {
			q, _ := json.Marshal(s) // a string always marshals
			return append(b, q...)
		}
	}
	return append(append(append(b, '"'), s...), '"')
}

// cutMember returns the JSON object blob without its top-level member key
// (its name, its value and the comma after it; a fresh slice), and whether
// it could: false when blob is not an object, when key is not one of its
// members or is its last one. It follows only strings and nesting, to
// find where each member ends; the decoder reads and checks what is kept.
// Reading what a stored run paid without its lines (Store.Paid), this
// spares encoding/json two scans of 5 MB, once to check them and once to
// skip them.
func cutMember(blob []byte, key string) ([]byte, bool) {
	i := skipSpace(blob, 0)
	if i >= len(blob) || blob[i] != '{' {
		return nil, false
	}
	for i++; ; i++ {
		i = skipSpace(blob, i)
		if i >= len(blob) || blob[i] != '"' {
			return nil, false
		}
		start := i
		end, ok := skipString(blob, i)
		if !ok {
			return nil, false
		}
		named := end-start == len(key)+2 && string(blob[start+1:end-1]) == key
		if i = skipSpace(blob, end); i >= len(blob) || blob[i] != ':' {
			return nil, false
		}
		if i, ok = skipValue(blob, skipSpace(blob, i+1)); !ok {
			return nil, false
		}
		if i = skipSpace(blob, i); i >= len(blob) || blob[i] != ',' {
			return nil, false // the last member, or not an object
		}
		if named {
			rest := blob[skipSpace(blob, i+1):]
			return append(append(make([]byte, 0, start+len(rest)), blob[:start]...), rest...), true
		}
	}
}

// skipValue returns the index after the JSON value at blob[i].
func skipValue(blob []byte, i int) (int, bool) {
	if i >= len(blob) {
		return i, false
	}
	switch blob[i] {
	case '"':
		return skipString(blob, i)
	case '{', '[':
		depth := 0
		for ; i < len(blob); i++ {
			switch blob[i] {
			case '"':
				end, ok := skipString(blob, i)
				if !ok {
					return i, false
				}
				i = end - 1
			case '{', '[':
				depth++
			case '}', ']':
				if depth--; depth == 0 {
					return i + 1, true
				}
			}
		}
		return i, false
	}
	for ; i < len(blob); i++ { // a number, true, false or null
		switch blob[i] {
		case ',', '}', ']', ' ', '\t', '\n', '\r':
			return i, true
		}
	}
	return i, true
}

// skipString returns the index after the JSON string that starts at
// blob[i] (a quote).
func skipString(blob []byte, i int) (int, bool) {
	for i++; i < len(blob); i++ {
		switch blob[i] {
		case '\\':
			i++
		case '"':
			return i + 1, true
		}
	}
	return i, false
}

func skipSpace(blob []byte, i int) int {
	for i < len(blob) && (blob[i] == ' ' || blob[i] == '\t' || blob[i] == '\n' || blob[i] == '\r') {
		i++
	}
	return i
}
