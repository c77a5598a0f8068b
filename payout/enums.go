package payout

import (
	"fmt"
	"slices"
)

// The names of the absence kinds and covers, by value (types.go): the
// codes of FORMATS.md, in the order of the values.
var (
	absenceKindNames = []string{"", "child_sickness", "education", "military_service", "parental", "sickness", "union_public"}
	coverNames       = []string{"", "colleagues", "municipal_vikar", "none", "own_vikar"}
)

// ParseAbsenceKind is the kind of a code ("" is the zero kind).
func ParseAbsenceKind(code string) (AbsenceKind, bool) {
	i := slices.Index(absenceKindNames, code)
	return AbsenceKind(max(i, 0)), i >= 0
}

// ParseCover is the cover of a code ("" is the zero cover).
func ParseCover(code string) (Cover, bool) {
	i := slices.Index(coverNames, code)
	return Cover(max(i, 0)), i >= 0
}

// String is the kind's code, as FORMATS.md writes it.
func (k AbsenceKind) String() string { return enumName(absenceKindNames, int(k), "AbsenceKind") }

// String is the cover's code, as FORMATS.md writes it.
func (c Cover) String() string { return enumName(coverNames, int(c), "Cover") }

func enumName(names []string, i int, typ string) string {
	if i < len(names) {
		return names[i]
	}
	return fmt.Sprintf("%s(%d)", typ, i)
}

// MarshalText writes the code, so a Result reads in JSON as it always has.
func (k AbsenceKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// MarshalText writes the code.
func (c Cover) MarshalText() ([]byte, error) { return []byte(c.String()), nil }

// UnmarshalText reads a code.
func (k *AbsenceKind) UnmarshalText(b []byte) error {
	v, ok := ParseAbsenceKind(string(b))
	if !ok {
		return fmt.Errorf("unknown absence kind %q", b)
	}
	*k = v
	return nil
}

// UnmarshalText reads a code.
func (c *Cover) UnmarshalText(b []byte) error {
	v, ok := ParseCover(string(b))
	if !ok {
		return fmt.Errorf("unknown cover %q", b)
	}
	*c = v
	return nil
}
