package payout

import (
	"reflect"
	"testing"

	"github.com/shopspring/decimal"
)

var (
	decimalType = reflect.TypeOf(decimal.Decimal{})
	sourceType  = reflect.TypeOf(Source{}) // a value whose fields are its own
)

// fill sets every field of v (recursively) to a value that is not zero;
// decimals are parsed anew each time, so two filled records hold equal
// decimals behind different pointers, as two files read apart do.
func fill(v reflect.Value) {
	switch {
	case v.Type() == decimalType:
		v.Set(reflect.ValueOf(decimal.RequireFromString("12.50")))
	case v.Type() == sourceType:
		v.Set(reflect.ValueOf(NewSource("x", "x", 9000)))
	case v.Kind() == reflect.Struct:
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() { // unexported: the engine's own
				fill(v.Field(i))
			}
		}
	case v.Kind() == reflect.String:
		v.SetString("x")
	case v.CanInt():
		v.SetInt(9000)
	case v.CanUint(): // an enum: a value of its own
		v.SetUint(2)
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
	case v.Type() == sourceType:
		v.Set(reflect.ValueOf(NewSource("y", "x", 9000)))
	case v.Kind() == reflect.String:
		v.SetString("y")
	case v.CanInt():
		v.SetInt(9001)
	case v.CanUint():
		v.SetUint(3)
	case v.Kind() == reflect.Bool:
		v.SetBool(false)
	}
}

// leaves lists the paths (field indexes) of v's fields that hold values.
func leaves(t reflect.Type, prefix []int, name string, out *[]leaf) {
	for i := range t.NumField() {
		f := t.Field(i)
		if !f.IsExported() {
			continue
		}
		path := append(append([]int{}, prefix...), i)
		if f.Type.Kind() == reflect.Struct && f.Type != decimalType && f.Type != sourceType {
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

// TestRecordKindsSame: for every kind and every field, two records with
// equal values (decimals behind other pointers, as two files read apart
// give) are the same, whatever their Src; a record that differs in any
// other field is not. A field added to a record type is covered without
// touching this test; a decimal field left out of its kind's list fails.
func TestRecordKindsSame(t *testing.T) {
	inputs := reflect.TypeOf(Inputs{})
	n := 0
	for i := range inputs.NumField() {
		f := inputs.Field(i)
		if f.Type.Kind() != reflect.Slice || f.Name == "Files" {
			continue
		}
		k := RecordKinds[n]
		n++
		t.Run(f.Name, func(t *testing.T) {
			pair := func(edit func(b reflect.Value)) (*Inputs, *Inputs) {
				a, b := &Inputs{}, &Inputs{}
				for _, in := range []*Inputs{a, b} {
					rec := reflect.New(f.Type.Elem()).Elem()
					fill(rec)
					if in == b && edit != nil {
						edit(rec)
					}
					s := reflect.ValueOf(in).Elem().Field(i)
					s.Set(reflect.Append(s, rec))
				}
				return a, b
			}
			if a, b := pair(nil); !k.Same(a, 0, b, 0) {
				t.Errorf("%s: equal records differ", k.Name)
			}
			var ls []leaf
			leaves(f.Type.Elem(), nil, "", &ls)
			for _, l := range ls {
				a, b := pair(func(b reflect.Value) { change(b.FieldByIndex(l.path)) })
				// Where a version was read and the import that brought it are
				// not its values.
				want := l.name == "Version.Src" || l.name == "Version.Import"
				if k.Same(a, 0, b, 0) != want {
					t.Errorf("%s: %s changed: Same = %v", k.Name, l.name, !want)
				}
			}
			a, _ := pair(nil)
			k.AppendAll(a, a)
			k.AppendAll(a, a)
			for j := range k.Len(a) {
				k.Version(a, j).Src = NewSource("x", "", j)
			}
			k.Retain(a, func(j int) bool { return j%2 == 1 })
			if k.Len(a) != 2 || k.Version(a, 0).Src.Line() != 1 || k.Version(a, 1).Src.Line() != 3 {
				t.Errorf("%s: Retain kept %d records", k.Name, k.Len(a))
			}
		})
	}
}
