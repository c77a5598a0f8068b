package store

import (
	"reflect"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

var decimalType = reflect.TypeOf(decimal.Decimal{})

// fill sets every field of v (recursively) to a value that is not zero;
// decimals are parsed anew each time, so two filled records hold equal
// decimals behind different pointers, as two files read apart do.
func fill(v reflect.Value) {
	switch {
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.RequireFromString("12.50")))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			fill(v.Field(i))
		}
	case v.Kind() == reflect.String:
		v.SetString("x")
	case v.CanInt():
		v.SetInt(9000)
	case v.Kind() == reflect.Bool:
		v.SetBool(true)
	default:
		panic("fill: field of kind " + v.Kind().String())
	}
}

// change gives a filled leaf another value.
func change(v reflect.Value) {
	switch {
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.RequireFromString("12.51")))
	case v.Kind() == reflect.String:
		v.SetString("y")
	case v.CanInt():
		v.SetInt(9001)
	case v.Kind() == reflect.Bool:
		v.SetBool(false)
	}
}

// leaves lists the paths (field indexes) of v's fields that hold values.
func leaves(t reflect.Type, prefix []int, name string, out *[]leaf) {
	for i := range t.NumField() {
		f := t.Field(i)
		path := append(append([]int{}, prefix...), i)
		if f.Type.Kind() == reflect.Struct && f.Type != decimalType {
			leaves(f.Type, path, name+f.Name+".", out)
			continue
		}
		*out = append(*out, leaf{path, name + f.Name})
	}
}

type leaf struct {
	path []int
	name string
}

// Every kind of record of payout.Inputs is checked, and for each every
// field: two versions with equal values (decimals behind other pointers)
// are one version read once; a version that differs in any field but its
// source line is either another version (a key field or recorded_on) or a
// conflict, never silently taken for the first. A field added to a record
// type is covered without touching this test.
func TestSameComparesValues(t *testing.T) {
	inputs := reflect.TypeOf(payout.Inputs{})
	for i := range inputs.NumField() {
		f := inputs.Field(i)
		if f.Type.Kind() != reflect.Slice || f.Name == "Files" {
			continue
		}
		t.Run(f.Name, func(t *testing.T) {
			pair := func(edit func(b reflect.Value)) ([]conflict, []int) {
				a, b := &payout.Inputs{}, &payout.Inputs{}
				for _, in := range []*payout.Inputs{a, b} {
					rec := reflect.New(f.Type.Elem()).Elem()
					fill(rec)
					if in == b && edit != nil {
						edit(rec)
					}
					s := reflect.ValueOf(in).Elem().Field(i)
					s.Set(reflect.Append(s, rec))
				}
				return dedupeBatches([]*payout.Inputs{a, b})
			}
			conflicts, fresh := pair(nil)
			require.Equal(t, []int{1, 0}, fresh, "the same version in two files is read once")
			assert.Empty(t, conflicts)
			var ls []leaf
			leaves(f.Type.Elem(), nil, "", &ls)
			for _, l := range ls {
				conflicts, fresh := pair(func(b reflect.Value) { change(b.FieldByIndex(l.path)) })
				switch {
				case strings.HasPrefix(l.name, "Version.Src."):
					assert.Equal(t, []int{1, 0}, fresh, "%s: another line of the same version", l.name)
					assert.Empty(t, conflicts, l.name)
				case len(conflicts) == 1:
					assert.Equal(t, []int{1, 0}, fresh, l.name)
					assert.Equal(t, 1, conflicts[0].batch, l.name)
				default:
					assert.Equal(t, []int{1, 1}, fresh, "%s changed: a conflict or another version", l.name)
					assert.Empty(t, conflicts, l.name)
				}
			}
		})
	}
}

// Conflicts are reported in the order of the files and their records, the
// first version of an identity is kept, and the others keep their order.
func TestDedupeBatchesOrder(t *testing.T) {
	lc := func(list string, count, line int) payout.ListCount {
		return payout.ListCount{ListID: list, AsOf: payout.NewDate(2022, 1, 1), Count: count,
			Version: payout.Version{Src: payout.Source{File: "list_counts.csv", Line: line}}}
	}
	stored := &payout.Inputs{ListCounts: []payout.ListCount{lc("L2", 5, 1), lc("L1", 5, 2)}}
	fresh := &payout.Inputs{ListCounts: []payout.ListCount{lc("L3", 1, 1), lc("L2", 6, 2), lc("L1", 7, 3), lc("L1", 5, 4), lc("L0", 1, 5)},
		Payees: []payout.Payee{{ID: "P1", Version: payout.Version{Src: payout.Source{File: "payees.csv", Line: 2}}},
			{ID: "P1", Name: "other", Version: payout.Version{Src: payout.Source{File: "payees.csv", Line: 3}}}}}
	conflicts, n := dedupeBatches([]*payout.Inputs{stored, fresh})
	assert.Equal(t, []int{2, 3}, n)
	var got []string
	for _, c := range conflicts {
		got = append(got, c.error().Error())
	}
	assert.Equal(t, []string{
		"payees.csv:3: payees P1: this version (same key and recorded_on) is already stored from payees.csv:2 with other values; records are append-only — give the correction a later recorded_on",
		"list_counts.csv:2: list_counts L2/2022-01-01: this version (same key and recorded_on) is already stored from list_counts.csv:1 with other values; records are append-only — give the correction a later recorded_on",
		"list_counts.csv:3: list_counts L1/2022-01-01: this version (same key and recorded_on) is already stored from list_counts.csv:2 with other values; records are append-only — give the correction a later recorded_on",
	}, got)
	var lists []string
	for _, r := range fresh.ListCounts {
		lists = append(lists, r.ListID)
	}
	assert.Equal(t, []string{"L3", "L0"}, lists)
	assert.Len(t, fresh.Payees, 1)
}
