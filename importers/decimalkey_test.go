package importers

import "testing"

// TestDecimalKeyDistinct: texts a file shares decimals by must have keys of
// their own (a shared key would give one cell another's value), and only
// texts of 1 to 7 bytes have one.
func TestDecimalKeyDistinct(t *testing.T) {
	texts := []string{"1", "10", "100", "1.0", "1.00", "01", "0", "00", "870.38", "870.83", "87038", "1234.56",
		"1234,56", "0.3", "0.30", "\x00", "\x00\x00", "a", "9999999"}
	seen := map[uint64]string{}
	for _, s := range texts {
		k, short := decimalKey(s)
		if !short {
			t.Fatalf("%q: no key", s)
		}
		if prev, ok := seen[k]; ok {
			t.Fatalf("%q and %q have one key %x", prev, s, k)
		}
		seen[k] = s
	}
	for _, s := range []string{"", "12345678", "1234567.89"} {
		if _, short := decimalKey(s); short {
			t.Errorf("%q: a key, but only texts of 1 to 7 bytes have one", s)
		}
	}
}
