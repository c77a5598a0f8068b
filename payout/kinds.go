package payout

import "slices"

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
	Name string // the file's name without extension, e.g. "list_counts"
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
	// Presize gives in room for n records of the kind.
	Presize func(in *Inputs, n int)
}

// RecordKindNamed returns the kind of a file name without extension.
func RecordKindNamed(name string) (RecordKind, bool) {
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
var RecordKinds = []RecordKind{
	recordKind("rates", func(in *Inputs) *[]Rate { return &in.Rates },
		func(r *Rate) RecordKey { return RecordKey{string(r.Scheme), r.ValidFrom, r.TierFrom} },
		func(r *Rate) (Date, bool) { return r.ValidFrom, true }),
	recordKind("payees", func(in *Inputs) *[]Payee { return &in.Payees },
		func(r *Payee) RecordKey { return RecordKey{ID: r.ID} },
		nil), // an account change does not change an amount
	recordKind("agreements", func(in *Inputs) *[]Agreement { return &in.Agreements },
		func(r *Agreement) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Agreement) (Date, bool) { return r.ValidFrom, true }),
	recordKind("list_counts", func(in *Inputs) *[]ListCount { return &in.ListCounts },
		func(r *ListCount) RecordKey { return RecordKey{ID: r.ListID, Date: r.AsOf} },
		func(r *ListCount) (Date, bool) { return r.AsOf, true }),
	recordKind("absences", func(in *Inputs) *[]Absence { return &in.Absences },
		func(r *Absence) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Absence) (Date, bool) { return r.From, true }),
	recordKind("caregivers", func(in *Inputs) *[]Caregiver { return &in.Caregivers },
		func(r *Caregiver) RecordKey { return RecordKey{ID: r.AgreementID, N: r.Year} },
		func(r *Caregiver) (Date, bool) { return NewDate(r.Year, 1, 1), true }),
	recordKind("breaches", func(in *Inputs) *[]Breach { return &in.Breaches },
		func(r *Breach) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Breach) (Date, bool) { return r.WithholdFrom.First(), true }),
	recordKind("takeovers", func(in *Inputs) *[]Takeover { return &in.Takeovers },
		func(r *Takeover) RecordKey { return RecordKey{ID: r.ID} },
		func(r *Takeover) (Date, bool) { return r.From, true }),
}

// recordKind builds a RecordKind from the kind's slice in Inputs, its key
// and the day it concerns (nil: none).
func recordKind[T any, P interface {
	*T
	versioned
}](name string, slice func(*Inputs) *[]T, key func(*T) RecordKey, concerns func(*T) (Date, bool)) RecordKind {
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
		Presize: func(in *Inputs, n int) { *slice(in) = make([]T, 0, n) },
	}
	if concerns != nil {
		k.Concerns = func(in *Inputs, i int) (Date, bool) { return concerns(&(*slice(in))[i]) }
	}
	return k
}
