package importers

import (
	"bytes"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// TestTemplates: each template is deterministic, reads back as an empty
// file of its kind, explains every column and validates the enumerations.
func TestTemplates(t *testing.T) {
	for _, kind := range Kinds() {
		t.Run(kind, func(t *testing.T) {
			data, err := Template(kind)
			require.NoError(t, err)
			again, err := Template(kind)
			require.NoError(t, err)
			assert.True(t, bytes.Equal(data, again), "template bytes must not change between runs")

			in, err := ReadFile(TemplateName(kind), data)
			require.NoError(t, err, "an empty template is a valid, empty file")
			assert.Equal(t, 0, in.Files[0].Rows)

			f, err := excelize.OpenReader(bytes.NewReader(data))
			require.NoError(t, err)
			defer f.Close()
			s := specFor(kind)
			assert.Equal(t, []string{s.sheet, explainSheet}, f.GetSheetList())
			explained, err := f.GetRows(explainSheet)
			require.NoError(t, err)
			assert.Len(t, explained, 4+len(s.templateCols()))
			for i, c := range s.templateCols() {
				assert.Equal(t, c.name, explained[4+i][0])
				assert.NotEmpty(t, explained[4+i][3], c.name)
			}
			dvs, err := f.GetDataValidations(s.sheet)
			require.NoError(t, err)
			want := 0
			for _, c := range s.templateCols() {
				if c.typ == tEnum || c.typ == tBool || c.typ == tDate || c.typ == tInt {
					want++
				}
			}
			assert.Len(t, dvs, want)
			props, err := f.GetDocProps()
			require.NoError(t, err)
			assert.Equal(t, templateStamp, props.Created)
		})
	}
	_, err := Template("nope")
	assert.EqualError(t, err, `unknown file kind "nope"`)
}

func TestTemplateDropLists(t *testing.T) {
	data, err := Template("absences")
	require.NoError(t, err)
	f, err := excelize.OpenReader(bytes.NewReader(data))
	require.NoError(t, err)
	defer f.Close()
	dvs, err := f.GetDataValidations("Fravær")
	require.NoError(t, err)
	lists := map[string]string{}
	for _, dv := range dvs {
		if dv.Type == "list" {
			lists[dv.Sqref] = dv.Formula1
		}
	}
	assert.Equal(t, `"sickness,child_sickness,parental,education,union_public,military_service"`, lists["C2:C1048576"])
	assert.Equal(t, `"none,colleagues,own_vikar,municipal_vikar"`, lists["F2:F1048576"])
}
