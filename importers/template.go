package importers

import (
	"fmt"
	"strings"

	"github.com/xuri/excelize/v2"
)

// Template building: an empty workbook per input file for bydel staff. The
// first sheet holds the header and validates what can be typed (kinds,
// covers, schemes, bydel codes and yes/no from drop-down lists; dates as
// real dates; whole numbers); the second explains each column in Norwegian.
// The bytes are deterministic: fixed document properties, no clock.

const (
	templateRows  = 1048576 // validation reaches the last row Excel has
	explainSheet  = "Forklaring"
	templateStamp = "2015-01-01T00:00:00Z"
)

// TemplateName is the file name of a kind's template, e.g. "absences.xlsx".
func TemplateName(kind string) string { return kind + ".xlsx" }

// Template returns the empty .xlsx template of one file kind.
func Template(kind string) ([]byte, error) {
	s := specFor(kind)
	if s == nil {
		return nil, fmt.Errorf("unknown file kind %q", kind)
	}
	f := excelize.NewFile()
	defer f.Close()
	if err := buildTemplate(f, s); err != nil {
		return nil, fmt.Errorf("template %s: %w", kind, err)
	}
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, fmt.Errorf("template %s: %w", kind, err)
	}
	return buf.Bytes(), nil
}

func buildTemplate(f *excelize.File, s *kindSpec) error {
	steps := []func() error{
		func() error { return f.SetSheetName("Sheet1", s.sheet) },
		func() error { return dataSheet(f, s) },
		func() error { return explainSheetFor(f, s) },
		func() error {
			return f.SetDocProps(&excelize.DocProperties{
				Created: templateStamp, Modified: templateStamp, Creator: "Oslo kommune, payout",
				LastModifiedBy: "Oslo kommune, payout", Title: "Mal: " + TemplateName(s.name),
				Description: "Innlesingsmal for " + TemplateName(s.name) + ": " + s.what, Language: "nb-NO",
			})
		},
	}
	for _, step := range steps {
		if err := step(); err != nil {
			return err
		}
	}
	f.SetActiveSheet(0)
	return nil
}

// dataSheet writes the header, column formats and validations.
func dataSheet(f *excelize.File, s *kindSpec) error {
	bold, err := f.NewStyle(&excelize.Style{Font: &excelize.Font{Bold: true},
		Fill: excelize.Fill{Type: "pattern", Pattern: 1, Color: []string{"DDEBF7"}}})
	if err != nil {
		return err
	}
	dateFmt := "yyyy-mm-dd"
	dateStyle, err := f.NewStyle(&excelize.Style{CustomNumFmt: &dateFmt})
	if err != nil {
		return err
	}
	textStyle, err := f.NewStyle(&excelize.Style{NumFmt: 49}) // "@": keeps "01" and leading zeros
	if err != nil {
		return err
	}
	for i, c := range s.templateCols() {
		col, _ := excelize.ColumnNumberToName(i + 1)
		ref := col + "1"
		if err := f.SetCellStr(s.sheet, ref, c.name); err != nil {
			return err
		}
		if err := f.SetColWidth(s.sheet, col, col, 18); err != nil {
			return err
		}
		style := textStyle
		if c.typ == tDate {
			style = dateStyle
		}
		if c.typ != tDecimal && c.typ != tInt {
			if err := f.SetColStyle(s.sheet, col, style); err != nil {
				return err
			}
		}
		if err := f.SetCellStyle(s.sheet, ref, ref, bold); err != nil {
			return err
		}
		if err := validate(f, s.sheet, col, c); err != nil {
			return err
		}
	}
	return f.SetPanes(s.sheet, &excelize.Panes{Freeze: true, YSplit: 1, TopLeftCell: "A2", ActivePane: "bottomLeft"})
}

// validate adds the data validation of one column, if it has one.
func validate(f *excelize.File, sheet, col string, c column) error {
	dv := excelize.NewDataValidation(true)
	dv.SetSqref(fmt.Sprintf("%s2:%s%d", col, col, templateRows))
	var err error
	switch c.typ {
	case tEnum:
		err = dv.SetDropList(c.enum)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Ugyldig verdi", "Velg en verdi fra listen: "+strings.Join(c.enum, ", ")+".")
	case tBool:
		err = dv.SetDropList([]string{"ja", "nei"})
		dv.SetError(excelize.DataValidationErrorStyleStop, "Ugyldig verdi", "Skriv ja eller nei.")
	case tDate:
		err = dv.SetRange(1, 2958465, excelize.DataValidationTypeDate, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Ugyldig dato", "Skriv en dato som ÅÅÅÅ-MM-DD, f.eks. 2015-03-01.")
	case tInt:
		err = dv.SetRange(0, 1000000000, excelize.DataValidationTypeWhole, excelize.DataValidationOperatorBetween)
		dv.SetError(excelize.DataValidationErrorStyleStop, "Ugyldig tall", "Skriv et helt tall, 0 eller mer.")
	default:
		return nil
	}
	if err != nil {
		return err
	}
	dv.SetInput(c.name, shorten(c.help, 250))
	return f.AddDataValidation(sheet, dv)
}

// explainSheetFor writes the second sheet: one row per column in Norwegian.
func explainSheetFor(f *excelize.File, s *kindSpec) error {
	if _, err := f.NewSheet(explainSheet); err != nil {
		return err
	}
	rows := [][]any{
		{fmt.Sprintf("%s: %s. Første ark har én rad per post; første rad er kolonnenavnene og skal ikke endres.", TemplateName(s.name), s.what)},
		{"Rader med samme nøkkel (" + strings.Join(s.key, ", ") + ") er versjoner av samme post; den med senest recorded_on gjelder. Filen kan også lagres som CSV (UTF-8, komma eller semikolon)."},
		{},
		{"Kolonne", "Påkrevd", "Format", "Forklaring"},
	}
	for _, c := range s.templateCols() {
		req := "nei"
		if c.required {
			req = "ja"
		}
		rows = append(rows, []any{c.name, req, formatNo(c), c.help})
	}
	for i, r := range rows {
		ref, _ := excelize.CoordinatesToCellName(1, i+1)
		if err := f.SetSheetRow(explainSheet, ref, &r); err != nil {
			return err
		}
	}
	if err := f.SetColWidth(explainSheet, "A", "C", 20); err != nil {
		return err
	}
	return f.SetColWidth(explainSheet, "D", "D", 100)
}

// formatNo names a column's format in Norwegian.
func formatNo(c column) string {
	switch c.typ {
	case tDate:
		return "dato ÅÅÅÅ-MM-DD"
	case tPeriod:
		return "måned ÅÅÅÅ-MM"
	case tDecimal:
		return "desimaltall"
	case tInt:
		return "helt tall"
	case tBool:
		return "ja/nei"
	case tEnum:
		return "én av: " + strings.Join(c.enum, ", ")
	}
	return "tekst"
}

func shorten(s string, n int) string {
	r := []rune(s)
	if len(r) <= n {
		return s
	}
	return string(r[:n-1]) + "…"
}
