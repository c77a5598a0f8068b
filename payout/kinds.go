package payout

import (
	"slices"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout/internal/prefault"
)

// The eight kinds of input record, walked in one place: splitting merged
// records by file, the importers' duplicate-version check, the store's
// "which periods does this import touch", and Inputs.Append all range over
// RecordKinds. A ninth kind (bank reports, ledger configuration) is one
// entry here, besides its type and its file spec.

// RecordKey is a record's identity within its kind, without recorded_on:
// an ID, and for some kinds a date and a number (a rate's valid_from and
// tier_from, a list count's as_of, a caregiver row's year).
type RecordKey struct {
	ID   string
	Date Date
	N    int
}

// RecordKind is one kind of input record: its file name and accessors to
// its records in an Inputs.
type RecordKind struct {
	Name FileKind // the file's name without extension, e.g. "list_counts"
	// Len is the number of records of the kind in in.
	Len func(in *Inputs) int
	// Version is record i's version (a pointer into in).
	Version func(in *Inputs, i int) *Version
	// Key is record i's identity.
	Key func(in *Inputs, i int) RecordKey
	// Concerns is the first day record i can change a payout; false for
	// kinds that change no amount (a payee's account).
	Concerns func(in *Inputs, i int) (Date, bool)
	// AppendOne appends record i of src to dst; AppendAll all of them.
	AppendOne func(dst, src *Inputs, i int)
	AppendAll func(dst, src *Inputs)
	// Adopt moves src's records to dst when dst has none (no copy of a
	// million list counts); the capacity is clipped, so that a caller
	// appending gets a new array, as with a copy.
	Adopt func(dst, src *Inputs)
	// Presize gives in room for n records of the kind, its pages given by
	// the kernel at once (prefault: no collection reads them first).
	Presize func(in *Inputs, n int)
	// Share makes dst's records of the kind src's records i to j, the
	// same array (capacity clipped: appending to dst copies), where a
	// copy of a million records would serve the same reader.
	Share func(dst, src *Inputs, i, j int)
	// Same reports whether record i of a and record j of b hold the same
	// values, where they were read from (Src) aside: decimals by value,
	// every other field with ==.
	Same func(a *Inputs, i int, b *Inputs, j int) bool
	// Retain keeps, in place and in order, the records i with keep(i).
	Retain func(in *Inputs, keep func(i int) bool)
}

// RecordKindNamed returns the kind of a file name without extension.
func RecordKindNamed(name FileKind) (RecordKind, bool) {
	for _, k := range RecordKinds {
		if k.Name == name {
			return k, true
		}
	}
	return RecordKind{}, false
}

// RecordCount is the number of records of all kinds of in.
func RecordCount(in *Inputs) int {
	n := 0
	for _, k := range RecordKinds {
		n += k.Len(in)
	}
	return n
}

// RecordKinds lists the kinds in the order of the fields of Inputs.
// Each entry names its record's decimal fields, which Same compares by
// value (TestRecordKindsSame fails for one left out).
var RecordKinds = []RecordKind{
	recordKind(FileRates, func(in *Inputs) *[]Rate { return &in.Rates },
		func(r *Rate) RecordKey { return RecordKey{string(r.Scheme), r.ValidFrom, r.TierFrom} },
		func(r *Rate) (Date, bool) { return r.ValidFrom, true },
		func(r *Rate) []*decimal.Decimal { return []*decimal.Decimal{&r.AnnualNOK} }),
	recordKind(FilePayees, func(in *Inputs) *[]Payee { return &in.Payees },
		func(r *Payee) RecordKey { return RecordKey{ID: r.ID} },
		nil, // an account change does not change an amount
		nil),
	recordKind(FileAgreements, func(in *Inputs) *[]Agreement { return &in.Agreements },
		func(r *Agreement) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Agreement) (Date, bool) { return r.ValidFrom, true },
		func(r *Agreement) []*decimal.Decimal { return []*decimal.Decimal{&r.SharePercent, &r.HjemmelPercent} }),
	recordKind(FileListCounts, func(in *Inputs) *[]ListCount { return &in.ListCounts },
		func(r *ListCount) RecordKey { return RecordKey{ID: r.ListID, Date: r.AsOf} },
		func(r *ListCount) (Date, bool) { return r.AsOf, true },
		func(r *ListCount) []*decimal.Decimal { return []*decimal.Decimal{&r.Weighted} }),
	recordKind(FileAbsences, func(in *Inputs) *[]Absence { return &in.Absences },
		func(r *Absence) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Absence) (Date, bool) { return r.From, true },
		nil),
	recordKind(FileCaregivers, func(in *Inputs) *[]Caregiver { return &in.Caregivers },
		func(r *Caregiver) RecordKey { return RecordKey{ID: r.AgreementID, N: r.Year} },
		func(r *Caregiver) (Date, bool) { return NewDate(r.Year, 1, 1), true },
		nil),
	recordKind(FileBreaches, func(in *Inputs) *[]Breach { return &in.Breaches },
		func(r *Breach) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Breach) (Date, bool) { return r.WithholdFrom.First(), true },
		func(r *Breach) []*decimal.Decimal { return []*decimal.Decimal{&r.Percent} }),
	recordKind(FileTakeovers, func(in *Inputs) *[]Takeover { return &in.Takeovers },
		func(r *Takeover) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Takeover) (Date, bool) { return r.From, true },
		func(r *Takeover) []*decimal.Decimal { return []*decimal.Decimal{&r.SharePercent} }),
}

// recordKind builds a RecordKind from the kind's slice in Inputs, its key,
// the day it concerns (nil: none) and its decimal fields (nil: none).
func recordKind[T comparable, P interface {
	*T
	versioned
}](name FileKind, slice func(*Inputs) *[]T, key func(*T) RecordKey, concerns func(*T) (Date, bool), decimals func(*T) []*decimal.Decimal) RecordKind {
	k := RecordKind{
		Name:      name,
		Len:       func(in *Inputs) int { return len(*slice(in)) },
		Version:   func(in *Inputs, i int) *Version { return P(&(*slice(in))[i]).version() },
		Key:       func(in *Inputs, i int) RecordKey { return key(&(*slice(in))[i]) },
		Concerns:  func(*Inputs, int) (Date, bool) { return 0, false },
		AppendOne: func(dst, src *Inputs, i int) { d := slice(dst); *d = append(*d, (*slice(src))[i]) },
		AppendAll: func(dst, src *Inputs) { d := slice(dst); *d = append(*d, *slice(src)...) },
		Adopt: func(dst, src *Inputs) {
			if d, s := slice(dst), slice(src); len(*d) == 0 && len(*s) > 0 {
				*d, *s = slices.Clip(*s), nil
			}
		},
		Presize: func(in *Inputs, n int) {
			*slice(in) = make([]T, 0, n)
			_ = prefault.Slice(*slice(in)) // before a collection reads it (issue 16)
		},
		Share: func(dst, src *Inputs, i, j int) { *slice(dst) = (*slice(src))[i:j:j] },
		Same: func(a *Inputs, i int, b *Inputs, j int) bool {
			return sameValues[T, P]((*slice(a))[i], (*slice(b))[j], decimals)
		},
		Retain: func(in *Inputs, keep func(i int) bool) {
			xs := slice(in)
			kept := (*xs)[:0]
			for i, x := range *xs {
				if keep(i) {
					kept = append(kept, x)
				}
			}
			clear((*xs)[len(kept):]) // let the dropped records' strings go
			*xs = kept
		},
	}
	if concerns != nil {
		k.Concerns = func(in *Inputs, i int) (Date, bool) { return concerns(&(*slice(in))[i]) }
	}
	return k
}

// sameValues compares two records (copies) by value, their Src aside: the
// decimal fields by value, then everything else with ==. A decimal field
// missing from decimals would compare by pointer and make equal records
// differ: refusing an import rather than accepting a conflict.
func sameValues[T comparable, P interface {
	*T
	versioned
}](a, b T, decimals func(*T) []*decimal.Decimal) bool {
	// Where a version was read, and which import brought it (its knowledge
	// time), are not its values: the same version imported again is the
	// same knowledge; nor is when a run sees it (set inside Compute only).
	P(&a).version().Src, P(&b).version().Src = Source{}, Source{}
	P(&a).version().Import, P(&b).version().Import = 0, 0
	P(&a).version().seenOn, P(&b).version().seenOn = NoDate, NoDate
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
