// Package banktext fits free text — payee names, remittance text, towns — to
// the character set Norwegian banks take in a payment file.
//
// The contract:
//   - The set is the printable repertoire of ISO-8859-15 (Latin-9), written
//     as UTF-8: the files Nordea, DNB and the other Norwegian banks take "in
//     UTF-8 format, using only the characters included in ISO-8859-15". The
//     no-break space and the soft hyphen are in Latin-9 but are left out:
//     they look like something else on a bank statement. ß, «», Š and Ž are
//     in the set and kept.
//   - Control characters (C0, DEL, C1, NUL) are never fitted: they are bad
//     input, and the importers refuse them (IsControl, FirstControl).
//   - Every other character outside the set is transliterated: a fixed
//     table first (Sámi Đ Ŋ Ŧ Ʒ Ǥ, typographic dashes, quotes, spaces and
//     ellipsis), then canonical decomposition without its accents (Č → C,
//     Ǩ → K, ő → o), and "?" when nothing is left. Invisible format
//     characters (zero-width space, BOM, soft hyphen) are removed.
//   - Canonically equivalent spellings (A followed by a combining ring) are
//     composed first (NFC) and are not a change.
//   - Fit reports every change, so the caller can list it as a warning; a
//     text longer than the field is cut on a character boundary, and that
//     too is reported, never silent.
//
// The package is pure and has no state; the same text always gives the same
// answer.
package banktext

import (
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// IsControl reports whether r is a control character: C0 (including NUL
// and tab), DEL or C1.
func IsControl(r rune) bool { return r < 0x20 || r == 0x7f || r >= 0x80 && r <= 0x9f }

// FirstControl returns the byte offset of the first control character of
// s, or -1.
func FirstControl(s string) int {
	for i, r := range s {
		if IsControl(r) {
			return i
		}
	}
	return -1
}

// latin9Only are the eight characters ISO-8859-15 has where Latin-1 has
// ¤ ¦ ¨ ´ ¸ ¼ ½ ¾.
const latin9Only = "€ŠšŽžŒœŸ"

// Allowed reports whether r is in the banks' set: printable ISO-8859-15
// except the no-break space and the soft hyphen.
func Allowed(r rune) bool {
	switch {
	case r >= 0x20 && r <= 0x7e:
		return true
	case r >= 0xa1 && r <= 0xff:
		return !strings.ContainsRune("\u00a4\u00a6\u00a8\u00b4\u00b8\u00bc\u00bd\u00be\u00ad", r)
	}
	return strings.ContainsRune(latin9Only, r)
}

// table holds the transliterations decomposition does not give.
var table = map[rune]string{
	// Sámi letters without a decomposition (Norwegian Sámi orthographies).
	'Đ': "D", 'đ': "d", 'Ŋ': "N", 'ŋ': "n", 'Ŧ': "T", 'ŧ': "t",
	'Ʒ': "Z", 'ʒ': "z", 'Ǥ': "G", 'ǥ': "g",
	// Other Latin letters without a decomposition.
	'Ł': "L", 'ł': "l", 'Ħ': "H", 'ħ': "h", 'ı': "i", 'ſ': "s", 'Ð': "D",
	// Latin-1 characters that Latin-9 replaced.
	'¼': "1/4", '½': "1/2", '¾': "3/4", '´': "'", '¦': "|", '¤': "", '¨': "", '¸': "",
	// Typographic dashes and minus.
	'\u2010': "-", '\u2011': "-", '\u2012': "-", '\u2013': "-", '\u2014': "-", '\u2015': "-", '\u2212': "-",
	// Typographic quotes and primes.
	'\u2018': "'", '\u2019': "'", '\u201a': "'", '\u201b': "'", '\u2032': "'", '\u2039': "'", '\u203a': "'",
	'\u201c': `"`, '\u201d': `"`, '\u201e': `"`, '\u201f': `"`, '\u2033': `"`,
	'\u2026': "...", '\u2022': "-", '\u00a0': " ", '\u2028': " ", '\u2029': " ",
}

// Change is one character that is not in the set, and what it became.
type Change struct {
	From rune
	To   string // "" when removed
}

// Fitted is the outcome of Fit.
type Fitted struct {
	Text    string
	Changes []Change // each distinct character once, in order of appearance
	Cut     bool     // the text was longer than the field
	Runes   int      // length of the text before the cut, in characters
}

// Changed reports whether Fit changed anything a reader would see.
func (f Fitted) Changed() bool { return len(f.Changes) > 0 || f.Cut }

// Fit returns s in the banks' set, trimmed, and cut to at most max
// characters (no cut when max ≤ 0). s must hold no control character.
func Fit(s string, max int) Fitted {
	var out strings.Builder
	var f Fitted
	seen := map[rune]bool{}
	for _, r := range norm.NFC.String(s) {
		if Allowed(r) {
			out.WriteRune(r)
			continue
		}
		to := transliterate(r)
		out.WriteString(to)
		if !seen[r] {
			seen[r] = true
			f.Changes = append(f.Changes, Change{From: r, To: to})
		}
	}
	f.Text = strings.TrimSpace(out.String())
	f.Runes = utf8.RuneCountInString(f.Text)
	if max > 0 && f.Runes > max {
		f.Text = strings.TrimSpace(string([]rune(f.Text)[:max]))
		f.Cut = true
	}
	return f
}

// transliterate gives the replacement of one character outside the set.
func transliterate(r rune) string {
	if to, ok := table[r]; ok {
		return to
	}
	if unicode.IsSpace(r) || unicode.Is(unicode.Zs, r) {
		return " "
	}
	if unicode.Is(unicode.Cf, r) || unicode.Is(unicode.Mn, r) {
		return "" // zero-width and format characters, stray accents
	}
	var b strings.Builder
	for _, d := range norm.NFD.String(string(r)) {
		switch {
		case Allowed(d):
			b.WriteRune(d)
		case unicode.Is(unicode.Mn, d):
		default:
			if to, ok := table[d]; ok {
				b.WriteString(to)
			}
		}
	}
	if b.Len() == 0 {
		return "?"
	}
	return b.String()
}

// Describe lists the changes for a warning, in Norwegian: «Č»→«C»,
// U+200B→(fjernet). Invisible characters are named by their code point.
func Describe(cs []Change) string {
	parts := make([]string, len(cs))
	for i, c := range cs {
		from := "«" + string(c.From) + "»"
		if !unicode.IsGraphic(c.From) || unicode.IsSpace(c.From) || unicode.Is(unicode.Mn, c.From) {
			from = fmt.Sprintf("U+%04X", c.From)
		}
		to := "«" + c.To + "»"
		if c.To == "" {
			to = "(fjernet)"
		}
		parts[i] = from + "→" + to
	}
	return strings.Join(parts, ", ")
}
