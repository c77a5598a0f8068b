package store

import (
	"fmt"
	"strings"

	"github.com/oslokommune/payout/payout"
)

// A record version is identified by its kind, its key (FORMATS.md) and its
// recorded_on. Two files may hold the same version (a file re-delivered with
// rows appended, or a folder imported again with one file changed): it is
// read once. The same identity with other values would let two files
// disagree about what was known when, so it is refused.

// seenVersion is the first occurrence of one version identity.
type seenVersion struct {
	content string
	src     payout.Source
}

// conflict is a version whose identity an earlier file holds with other
// values.
type conflict struct {
	kind, key string
	src, prev payout.Source
}

func (c conflict) error() *payout.InputError {
	return &payout.InputError{
		File: c.src.File, Sheet: c.src.Sheet, Line: c.src.Line,
		Msg: fmt.Sprintf("%s %s: this version (same key and recorded_on) is already stored from %s with other values; records are append-only — give the correction a later recorded_on",
			c.kind, c.key, srcString(c.prev)),
		Err: ErrConflictingInput,
	}
}

func srcString(s payout.Source) string {
	if s.Sheet != "" {
		return fmt.Sprintf("%s: %s!row %d", s.File, s.Sheet, s.Line)
	}
	return fmt.Sprintf("%s:%d", s.File, s.Line)
}

// dedupe drops the versions of xs already in seen (adding the others) and
// reports conflicts. id gives a record's key and a pointer to its Version
// inside the copy it is given, so the content can be taken without Src.
func dedupe[T any](kind string, xs []T, seen map[string]seenVersion, id func(*T) (string, *payout.Version)) ([]T, []conflict, int) {
	kept := xs[:0]
	var conflicts []conflict
	fresh := 0
	for _, x := range xs {
		c := x
		key, v := id(&c)
		src := v.Src
		v.Src = payout.Source{}
		ident := kind + "\x00" + key + "\x00" + v.RecordedOn.String()
		content := fmt.Sprintf("%+v", c)
		if prev, ok := seen[ident]; ok {
			if prev.content != content {
				conflicts = append(conflicts, conflict{kind: kind, key: key, src: src, prev: prev.src})
			}
			continue
		}
		seen[ident] = seenVersion{content: content, src: src}
		kept = append(kept, x)
		fresh++
	}
	return kept, conflicts, fresh
}

func key(parts ...any) string {
	s := make([]string, len(parts))
	for i, p := range parts {
		s[i] = fmt.Sprint(p)
	}
	return strings.Join(s, "/")
}

// dedupeInputs applies dedupe to every kind of record of in, in place, and
// returns the conflicts and the number of versions not seen before.
func dedupeInputs(in *payout.Inputs, seen map[string]seenVersion) ([]conflict, int) {
	var all []conflict
	total := 0
	add := func(c []conflict, n int) { all = append(all, c...); total += n }
	var c []conflict
	var n int
	in.Rates, c, n = dedupe("rates", in.Rates, seen, func(r *payout.Rate) (string, *payout.Version) {
		return key(r.Scheme, r.ValidFrom, r.TierFrom), &r.Version
	})
	add(c, n)
	in.Payees, c, n = dedupe("payees", in.Payees, seen, func(r *payout.Payee) (string, *payout.Version) { return r.ID, &r.Version })
	add(c, n)
	in.Agreements, c, n = dedupe("agreements", in.Agreements, seen, func(r *payout.Agreement) (string, *payout.Version) { return r.ID, &r.Version })
	add(c, n)
	in.ListCounts, c, n = dedupe("list_counts", in.ListCounts, seen, func(r *payout.ListCount) (string, *payout.Version) {
		return key(r.ListID, r.AsOf), &r.Version
	})
	add(c, n)
	in.Absences, c, n = dedupe("absences", in.Absences, seen, func(r *payout.Absence) (string, *payout.Version) { return r.ID, &r.Version })
	add(c, n)
	in.Caregivers, c, n = dedupe("caregivers", in.Caregivers, seen, func(r *payout.Caregiver) (string, *payout.Version) {
		return key(r.AgreementID, r.Year), &r.Version
	})
	add(c, n)
	in.Breaches, c, n = dedupe("breaches", in.Breaches, seen, func(r *payout.Breach) (string, *payout.Version) { return r.ID, &r.Version })
	add(c, n)
	in.Takeovers, c, n = dedupe("takeovers", in.Takeovers, seen, func(r *payout.Takeover) (string, *payout.Version) { return r.ID, &r.Version })
	add(c, n)
	return all, total
}

// dated is one version with the first day it can change a payout.
type dated struct {
	v        payout.Version
	concerns payout.Date
}

// datedVersions lists the versions of in with the first day each concerns
// (a count's as_of, a rate's valid_from, an absence's from …). Payees are
// left out: an account change does not change an amount.
func datedVersions(in *payout.Inputs) []dated {
	var vs []dated
	for _, k := range payout.RecordKinds {
		for i := range k.Len(in) {
			if d, ok := k.Concerns(in, i); ok {
				vs = append(vs, dated{*k.Version(in, i), d})
			}
		}
	}
	return vs
}
