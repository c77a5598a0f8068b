package payout

import "strings"

// Identifier checks for payees (RULEBOOK §8): Norwegian account numbers and
// organisation numbers both end in a MOD11 check digit.

// NormalizeAccount strips the spaces and dots staff write in account numbers
// ("1234.56.78903", "1234 56 78903").
func NormalizeAccount(s string) string {
	return accountSeparators.Replace(strings.TrimSpace(s))
}

var accountSeparators = strings.NewReplacer(" ", "", ".", "")

// ValidAccount reports whether s (normalised) is an 11-digit Norwegian
// account number with a valid MOD11 check digit (weights 5,4,3,2,7,6,5,4,3,2).
func ValidAccount(s string) bool {
	return len(s) == 11 && mod11(s, []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2})
}

// ValidOrgNr reports whether s is a 9-digit organisation number with a valid
// MOD11 check digit (weights 3,2,7,6,5,4,3,2).
func ValidOrgNr(s string) bool {
	return len(s) == 9 && mod11(s, []int{3, 2, 7, 6, 5, 4, 3, 2})
}

// mod11 checks the last digit of s against the weighted sum of the others.
// A remainder of 1 (check digit "10") makes the number invalid.
func mod11(s string, weights []int) bool {
	sum := 0
	for i, w := range weights {
		c := s[i]
		if c < '0' || c > '9' {
			return false
		}
		sum += int(c-'0') * w
	}
	last := s[len(weights)]
	if last < '0' || last > '9' {
		return false
	}
	check := (11 - sum%11) % 11
	return check != 10 && int(last-'0') == check
}

// Mod11CheckDigit returns the check digit for the given digits and weights
// style ("account" or "orgnr"), and false when no digit makes it valid. The
// fixture generator uses it to make synthetic but valid numbers.
func Mod11CheckDigit(digits string, account bool) (byte, bool) {
	weights := []int{3, 2, 7, 6, 5, 4, 3, 2}
	if account {
		weights = []int{5, 4, 3, 2, 7, 6, 5, 4, 3, 2}
	}
	if len(digits) != len(weights) {
		return 0, false
	}
	sum := 0
	for i, w := range weights {
		sum += int(digits[i]-'0') * w
	}
	check := (11 - sum%11) % 11
	if check == 10 {
		return 0, false
	}
	return byte('0' + check), true
}
