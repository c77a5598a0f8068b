package store

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"strings"

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
	// where the version is: its batch, its kind's place in RecordKinds and
	// its index, so conflicts are reported in the order of the files.
	batch, kindNo, idx int
}

func (c conflict) error() *payout.InputError {
	return &payout.InputError{
		File: c.src.File(), Sheet: c.src.Sheet(), Line: c.src.Line(),
		Msg: fmt.Sprintf("%s %s: this version (same key and recorded_on) is already stored from %s with other values; records are append-only — give the correction a later recorded_on",
			c.kind, c.key, srcString(c.prev)),
		Err: ErrConflictingInput,
	}
}

func srcString(s payout.Source) string {
	if s.Sheet() != "" {
		return fmt.Sprintf("%s: %s!row %d", s.File(), s.Sheet(), s.Line())
	}
	return fmt.Sprintf("%s:%d", s.File(), s.Line())
}

// The store sees every stored version of every record on each run (a
// million at national scale), so a version's identity is a small struct
// compared field by field, the versions of a kind are put in order by one
// sort (near-linear on files in key order, as exports are), and values are
// compared (payout.RecordKind.Same) only between versions of the same
// identity. A key's text is made only for a message.

// versionKey is a version's identity within its kind: FORMATS.md's key and
// the recorded_on.
type versionKey struct {
	key      payout.RecordKey
	recorded payout.Date
}

func compareKeys(a, b versionKey) int {
	if c := strings.Compare(a.key.ID, b.key.ID); c != 0 {
		return c
	}
	return cmp.Or(cmp.Compare(a.key.Date, b.key.Date), cmp.Compare(a.key.N, b.key.N), cmp.Compare(a.recorded, b.recorded))
}

// keyText is a key as the messages name it: its parts joined by "/"
// ("fastlege/2022-07-01/1", "L1/2022-01-01", "FL1/2019", "AB1").
func keyText(kind string, k payout.RecordKey) string {
	switch kind {
	case "rates":
		return k.ID + "/" + k.Date.String() + "/" + strconv.Itoa(k.N)
	case "list_counts":
		return k.ID + "/" + k.Date.String()
	case "caregivers":
		return k.ID + "/" + strconv.Itoa(k.N)
	}
	return k.ID
}

// versionRef is one version of a kind in the sort: its key and where it is.
type versionRef struct {
	key        versionKey
	batch, idx int32
}

// dedupeKind drops, from the batches' records of kind k, every version
// whose identity an earlier one holds (an earlier batch, or earlier in its
// batch), keeping the order of the rest, and reports the dropped ones whose
// values differ from the first as conflicts. fresh[b] counts batch b's
// versions kept. Versions already in key order, batch after batch (a store
// of one import of files in key order, as the generator and exports write
// them), have a key's versions side by side and need no sort.
func dedupeKind(k payout.RecordKind, kindNo int, batches []*payout.Inputs, conflicts *[]conflict, fresh []int) {
	n := 0
	for _, in := range batches {
		n += k.Len(in)
	}
	if n == 0 {
		return
	}
	d := deduper{k: k, kindNo: kindNo, batches: batches, conflicts: conflicts, drop: make([][]bool, len(batches))}
	if !inOrderPass || !d.adjacent() {
		d.sorted(n)
	}
	for b, in := range batches {
		if drop := d.drop[b]; drop != nil {
			k.Retain(in, func(i int) bool { return !drop[i] })
		}
		fresh[b] += k.Len(in)
	}
}

// inOrderPass lets versions in key order be checked without a sort; the
// test that the two ways agree turns it off.
var inOrderPass = true

// deduper is the duplicate check of one kind.
type deduper struct {
	k         payout.RecordKind
	kindNo    int
	batches   []*payout.Inputs
	conflicts *[]conflict
	drop      [][]bool // per batch, made when one of its versions is dropped
}

func (d *deduper) ref(b, i int) versionRef {
	in := d.batches[b]
	return versionRef{versionKey{d.k.Key(in, i), d.k.Version(in, i).RecordedOn}, int32(b), int32(i)}
}

// adjacent checks versions in key order in one pass; false, with nothing
// done, when they are not in order.
func (d *deduper) adjacent() bool {
	var first, prev versionRef
	var repeats [][2]versionRef // (first, repeat): none until the order is known
	started := false
	for b, in := range d.batches {
		for i := range d.k.Len(in) {
			r := d.ref(b, i)
			switch {
			case !started:
			case compareKeys(prev.key, r.key) > 0:
				return false
			case r.key == first.key:
				repeats = append(repeats, [2]versionRef{first, r})
				prev = r
				continue
			}
			first, prev, started = r, r, true
		}
	}
	for _, x := range repeats {
		d.repeat(x[0], x[1])
	}
	return true
}

// sorted sorts the n versions by key, and a key's versions in the order of
// batch, then place: the first is kept.
func (d *deduper) sorted(n int) {
	refs := make([]versionRef, 0, n)
	for b, in := range d.batches {
		for i := range d.k.Len(in) {
			refs = append(refs, d.ref(b, i))
		}
	}
	slices.SortFunc(refs, func(a, b versionRef) int {
		return cmp.Or(compareKeys(a.key, b.key), cmp.Compare(a.batch, b.batch), cmp.Compare(a.idx, b.idx))
	})
	for i := 0; i < len(refs); {
		j := i + 1
		for ; j < len(refs) && refs[j].key == refs[i].key; j++ {
			d.repeat(refs[i], refs[j])
		}
		i = j
	}
}

// repeat drops r, a version whose identity first holds, and reports it
// when its values differ.
func (d *deduper) repeat(first, r versionRef) {
	if d.drop[r.batch] == nil {
		d.drop[r.batch] = make([]bool, d.k.Len(d.batches[r.batch]))
	}
	d.drop[r.batch][r.idx] = true
	x, f := d.batches[r.batch], d.batches[first.batch]
	if !d.k.Same(x, int(r.idx), f, int(first.idx)) {
		*d.conflicts = append(*d.conflicts, conflict{kind: string(d.k.Name), key: keyText(string(d.k.Name), r.key.key),
			src: d.k.Version(x, int(r.idx)).Src, prev: d.k.Version(f, int(first.idx)).Src,
			batch: int(r.batch), kindNo: d.kindNo, idx: int(r.idx)})
	}
}

// dedupeBatches applies the duplicate check to every kind of record of the
// batches, in place, as if they were read one after the other: it returns
// the conflicts in the order of the batches and their records, and per
// batch the number of versions no earlier one holds.
func dedupeBatches(batches []*payout.Inputs) ([]conflict, []int) {
	return dedupeBatchesOf(batches, nil)
}

// dedupeBatchesOf is dedupeBatches of the kinds in only (by their place in
// payout.RecordKinds; nil: every kind). fresh counts the versions of the
// other kinds as they are.
func dedupeBatchesOf(batches []*payout.Inputs, only []bool) ([]conflict, []int) {
	var conflicts []conflict
	fresh := make([]int, len(batches))
	for no, k := range payout.RecordKinds {
		if only != nil && !only[no] {
			for b, in := range batches {
				fresh[b] += k.Len(in)
			}
			continue
		}
		dedupeKind(k, no, batches, &conflicts, fresh)
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
