package store

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// A record version is identified by its kind, its key (FORMATS.md) and its
// recorded_on. Two files may hold the same version (a file re-delivered with
// rows appended, or a folder imported again with one file changed): it is
// read once. The same identity with other values would let two files
// disagree about what was known when, so it is refused.

// conflict is a version whose identity an earlier file holds with other
// values.
type conflict struct {
	kind, key string
	src, prev payout.Source
	// where the version is: its batch, its kind's place in recordKinds and
	// its index, so conflicts are reported in the order of the files.
	batch, kindNo, idx int
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

// The store sees every stored version of every record on each run (a
// million at national scale), so a version's identity is a small struct
// compared field by field, the versions of a kind are put in order by one
// sort (near-linear on files in key order, as exports are), and values are
// compared only between versions of the same identity. Key texts are made
// only for a message.

// versionKey is a version's identity within its kind: FORMATS.md's key and
// the recorded_on. Equal keys are exactly those whose texts (recordKind.text)
// are equal: the text parts are IDs or enumerations, the others dates and
// whole numbers, whose texts are unique.
type versionKey struct {
	id       string      // the ID; rates: scheme; list_counts: list_id; caregivers: agreement_id
	date     payout.Date // rates: valid_from; list_counts: as_of
	n        int         // rates: tier_from; caregivers: year
	recorded payout.Date
}

func compareKeys(a, b versionKey) int {
	if c := strings.Compare(a.id, b.id); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.date, b.date), cmp.Compare(a.n, b.n), cmp.Compare(a.recorded, b.recorded))
}

// recordKind is how the duplicate check handles one kind of record.
type recordKind[T any] struct {
	name    string
	records func(*payout.Inputs) *[]T
	key     func(*T) versionKey
	// text is the key as messages name it ("fastlege/2022-07-01/1").
	text func(versionKey) string
	// same reports equal values, the source line aside.
	same func(a, b *T) bool
}

// kindDedupe is a recordKind of any record type.
type kindDedupe interface {
	dedupe(batches []*payout.Inputs, kindNo int, conflicts *[]conflict, fresh []int)
}

// recordKinds lists the kinds in the order conflicts are reported within a
// file's records (the order of payout.Inputs).
var recordKinds = []kindDedupe{
	recordKind[payout.Rate]{"rates", func(in *payout.Inputs) *[]payout.Rate { return &in.Rates },
		func(r *payout.Rate) versionKey {
			return versionKey{id: string(r.Scheme), date: r.ValidFrom, n: r.TierFrom, recorded: r.RecordedOn}
		},
		func(k versionKey) string { return k.id + "/" + k.date.String() + "/" + strconv.Itoa(k.n) },
		func(a, b *payout.Rate) bool {
			return sameDecimals(*a, *b, func(r *payout.Rate) []*decimal.Decimal { return []*decimal.Decimal{&r.AnnualNOK} })
		}},
	recordKind[payout.Payee]{"payees", func(in *payout.Inputs) *[]payout.Payee { return &in.Payees },
		func(r *payout.Payee) versionKey { return versionKey{id: r.ID, recorded: r.RecordedOn} }, idText,
		func(a, b *payout.Payee) bool { return sameDecimals(*a, *b, nil) }},
	recordKind[payout.Agreement]{"agreements", func(in *payout.Inputs) *[]payout.Agreement { return &in.Agreements },
		func(r *payout.Agreement) versionKey { return versionKey{id: r.ID, recorded: r.RecordedOn} }, idText,
		func(a, b *payout.Agreement) bool {
			return sameDecimals(*a, *b, func(r *payout.Agreement) []*decimal.Decimal {
				return []*decimal.Decimal{&r.SharePercent, &r.HjemmelPercent}
			})
		}},
	recordKind[payout.ListCount]{"list_counts", func(in *payout.Inputs) *[]payout.ListCount { return &in.ListCounts },
		func(r *payout.ListCount) versionKey {
			return versionKey{id: r.ListID, date: r.AsOf, recorded: r.RecordedOn}
		},
		func(k versionKey) string { return k.id + "/" + k.date.String() },
		func(a, b *payout.ListCount) bool {
			return sameDecimals(*a, *b, func(r *payout.ListCount) []*decimal.Decimal { return []*decimal.Decimal{&r.Weighted} })
		}},
	recordKind[payout.Absence]{"absences", func(in *payout.Inputs) *[]payout.Absence { return &in.Absences },
		func(r *payout.Absence) versionKey { return versionKey{id: r.ID, recorded: r.RecordedOn} }, idText,
		func(a, b *payout.Absence) bool { return sameDecimals(*a, *b, nil) }},
	recordKind[payout.Caregiver]{"caregivers", func(in *payout.Inputs) *[]payout.Caregiver { return &in.Caregivers },
		func(r *payout.Caregiver) versionKey {
			return versionKey{id: r.AgreementID, n: r.Year, recorded: r.RecordedOn}
		},
		func(k versionKey) string { return k.id + "/" + strconv.Itoa(k.n) },
		func(a, b *payout.Caregiver) bool { return sameDecimals(*a, *b, nil) }},
	recordKind[payout.Breach]{"breaches", func(in *payout.Inputs) *[]payout.Breach { return &in.Breaches },
		func(r *payout.Breach) versionKey { return versionKey{id: r.ID, recorded: r.RecordedOn} }, idText,
		func(a, b *payout.Breach) bool {
			return sameDecimals(*a, *b, func(r *payout.Breach) []*decimal.Decimal { return []*decimal.Decimal{&r.Percent} })
		}},
	recordKind[payout.Takeover]{"takeovers", func(in *payout.Inputs) *[]payout.Takeover { return &in.Takeovers },
		func(r *payout.Takeover) versionKey { return versionKey{id: r.ID, recorded: r.RecordedOn} }, idText,
		func(a, b *payout.Takeover) bool {
			return sameDecimals(*a, *b, func(r *payout.Takeover) []*decimal.Decimal { return []*decimal.Decimal{&r.SharePercent} })
		}},
}

func idText(k versionKey) string { return k.id }

// sameDecimals compares two records of a comparable type by value, their
// Src aside: the decimal fields decimals names (pointers into the copies)
// by value, everything else with ==. A decimal field left out of decimals
// compares by pointer and makes equal records differ, which refuses an
// import rather than accepting a conflict (TestSameComparesValues catches
// it for every field).
func sameDecimals[T comparable](a, b T, decimals func(*T) []*decimal.Decimal) bool {
	va, vb := versionOf(&a), versionOf(&b)
	va.Src, vb.Src = payout.Source{}, payout.Source{}
	if decimals != nil {
		da, db := decimals(&a), decimals(&b)
		for i := range da {
			if !da[i].Equal(*db[i]) {
				return false
			}
			*da[i], *db[i] = decimal.Decimal{}, decimal.Decimal{}
		}
	}
	return a == b
}

// versionOf returns the Version embedded in a record.
func versionOf[T any](r *T) *payout.Version {
	switch x := any(r).(type) {
	case *payout.Rate:
		return &x.Version
	case *payout.Payee:
		return &x.Version
	case *payout.Agreement:
		return &x.Version
	case *payout.ListCount:
		return &x.Version
	case *payout.Absence:
		return &x.Version
	case *payout.Caregiver:
		return &x.Version
	case *payout.Breach:
		return &x.Version
	case *payout.Takeover:
		return &x.Version
	}
	panic(fmt.Sprintf("store: %T is not a record", r))
}

// versionRef is one version of a kind in the sort: its key and where it is.
type versionRef struct {
	key        versionKey
	batch, idx int32
}

// dedupe drops, from the batches' records of this kind, every version whose
// identity an earlier one holds (earlier batch, or earlier in its batch),
// keeping the order of the rest, and reports the dropped ones whose values
// differ from the first as conflicts. fresh[b] counts batch b's versions
// kept.
func (k recordKind[T]) dedupe(batches []*payout.Inputs, kindNo int, conflicts *[]conflict, fresh []int) {
	n := 0
	for _, in := range batches {
		n += len(*k.records(in))
	}
	if n == 0 {
		return
	}
	refs := make([]versionRef, 0, n)
	for b, in := range batches {
		xs := *k.records(in)
		for i := range xs {
			refs = append(refs, versionRef{k.key(&xs[i]), int32(b), int32(i)})
		}
	}
	// The order of a key's versions is batch, then place: the first is kept.
	slices.SortFunc(refs, func(a, b versionRef) int {
		return cmp.Or(compareKeys(a.key, b.key), cmp.Compare(a.batch, b.batch), cmp.Compare(a.idx, b.idx))
	})
	var drop [][]bool // per batch, made when a version of it is dropped
	for i := 0; i < len(refs); {
		first := refs[i]
		j := i + 1
		for ; j < len(refs) && refs[j].key == first.key; j++ {
			r := refs[j]
			if drop == nil {
				drop = make([][]bool, len(batches))
			}
			if drop[r.batch] == nil {
				drop[r.batch] = make([]bool, len(*k.records(batches[r.batch])))
			}
			drop[r.batch][r.idx] = true
			x, f := k.at(batches, r), k.at(batches, first)
			if !k.same(x, f) {
				*conflicts = append(*conflicts, conflict{kind: k.name, key: k.text(r.key),
					src: versionOf(x).Src, prev: versionOf(f).Src, batch: int(r.batch), kindNo: kindNo, idx: int(r.idx)})
			}
		}
		i = j
	}
	for b, in := range batches {
		xs := k.records(in)
		if drop != nil && drop[b] != nil {
			kept := (*xs)[:0]
			for i, x := range *xs {
				if !drop[b][i] {
					kept = append(kept, x)
				}
			}
			clear((*xs)[len(kept):]) // let dropped records' strings go
			*xs = kept
		}
		fresh[b] += len(*xs)
	}
}

func (k recordKind[T]) at(batches []*payout.Inputs, r versionRef) *T {
	return &(*k.records(batches[r.batch]))[r.idx]
}

// dedupeBatches applies the duplicate check to every kind of record of the
// batches, in place, as if they were read one after the other: it returns
// the conflicts in the order of the batches and their records, and per
// batch the number of versions no earlier one holds.
func dedupeBatches(batches []*payout.Inputs) ([]conflict, []int) {
	var conflicts []conflict
	fresh := make([]int, len(batches))
	for no, k := range recordKinds {
		k.dedupe(batches, no, &conflicts, fresh)
	}
	slices.SortFunc(conflicts, func(a, b conflict) int {
		return cmp.Or(cmp.Compare(a.batch, b.batch), cmp.Compare(a.kindNo, b.kindNo), cmp.Compare(a.idx, b.idx))
	})
	return conflicts, fresh
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
