package payout

import (
	"reflect"
	"testing"
)

// TestRecordKindsCoverInputs: every record slice of Inputs has exactly one
// RecordKind, in field order, whose accessors reach that slice; a ninth
// kind added to Inputs without its entry fails here.
func TestRecordKindsCoverInputs(t *testing.T) {
	var in Inputs
	v := reflect.ValueOf(&in).Elem()
	var fields []int
	for i := range v.NumField() {
		if f := v.Field(i); f.Kind() == reflect.Slice && v.Type().Field(i).Name != "Files" {
			fields = append(fields, i)
		}
	}
	if len(fields) != len(RecordKinds) {
		t.Fatalf("Inputs has %d record slices, RecordKinds %d entries", len(fields), len(RecordKinds))
	}
	for n, i := range fields {
		k := RecordKinds[n]
		f := v.Field(i)
		// Three records of this kind only, each with its own line.
		f.Set(reflect.MakeSlice(f.Type(), 3, 3))
		for j := range 3 {
			f.Index(j).FieldByName("Version").FieldByName("Src").Set(reflect.ValueOf(NewSource("x.csv", "", j+2)))
		}
		if k.Len(&in) != 3 || RecordCount(&in) != 3 {
			t.Errorf("%s (field %s): Len %d, RecordCount %d, want 3", k.Name, v.Type().Field(i).Name, k.Len(&in), RecordCount(&in))
		}
		if got := k.Version(&in, 2).Src.Line(); got != 4 {
			t.Errorf("%s: Version(2) is line %d, want 4", k.Name, got)
		}
		var dst Inputs
		k.AppendOne(&dst, &in, 1)
		k.AppendAll(&dst, &in)
		if RecordCount(&dst) != 4 || k.Version(&dst, 0).Src.Line() != 3 {
			t.Errorf("%s: AppendOne/AppendAll gave %d records", k.Name, RecordCount(&dst))
		}
		var adopted Inputs
		k.Adopt(&adopted, &in)
		if k.Len(&adopted) != 3 || k.Len(&in) != 0 {
			t.Errorf("%s: Adopt left %d and %d", k.Name, k.Len(&adopted), k.Len(&in))
		}
		var shared Inputs
		k.Share(&shared, &adopted, 0, 2)
		if k.Len(&shared) != 2 || k.Version(&shared, 1) != k.Version(&adopted, 1) {
			t.Errorf("%s: Share gave %d records, not records 0 and 1 themselves", k.Name, k.Len(&shared))
		}
		k.AppendOne(&shared, &adopted, 0)
		if k.Version(&adopted, 2).Src.Line() != 4 {
			t.Errorf("%s: appending to a shared run changed the records after it", k.Name)
		}
		if byName, ok := RecordKindNamed(k.Name); !ok || byName.Name != k.Name {
			t.Errorf("RecordKindNamed(%q) not found", k.Name)
		}
		f.Set(reflect.Zero(f.Type()))
	}
}
