package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV turns CSV bytes into a table, or reports why it cannot.
func readCSV(file string, data []byte, errs *payout.ErrorList) *table {
	if !checkUTF8(file, data, errs) {
		return nil
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	comma := detectDelimiter(data)
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = false
	t := &table{file: file, decimalComma: comma == ';'}
	for {
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				errs.Add(fileErr(file, "cannot read the file: "+err.Error()))
				break
			}
			line, msg := csvProblem(pe)
			errs.Add(&payout.InputError{File: file, Line: line, Msg: msg})
			t.lost++
			continue
		}
		line, _ := r.FieldPos(0)
		cells := make([]cell, len(rec))
		for i, f := range rec {
			cells[i] = cell{text: trimCell(f)}
		}
		if t.header == nil {
			t.header, t.headerLine = cells, line
			continue
		}
		if blank(cells) {
			continue
		}
		t.rows = append(t.rows, tableRow{line: line, cells: cells})
	}
	if t.header == nil {
		errs.Add(fileErr(file, "the file is empty; the first line must be the header with the column names"))
		return nil
	}
	return t
}

// checkUTF8 refuses text that is not UTF-8 (a CSV saved as "CSV (semikolon-
// delt)" by older Excel is Windows-1252), naming every bad line.
func checkUTF8(file string, data []byte, errs *payout.ErrorList) bool {
	ok := true
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if !utf8.Valid(line) {
			errs.Add(&payout.InputError{File: file, Line: i + 1,
				Msg: `not valid UTF-8 text (perhaps Windows-1252 or Latin-1); save the file as "CSV UTF-8" in Excel and try again`})
			ok = false
		}
	}
	return ok
}

// detectDelimiter picks ';' when the header line (outside quotes) holds more
// semicolons than commas, as Norwegian Excel writes it; else ','.
func detectDelimiter(data []byte) rune {
	semi, comma, quoted := 0, 0, false
	for _, b := range data {
		switch {
		case b == '"':
			quoted = !quoted
		case quoted:
		case b == '\n':
			return pick(semi, comma)
		case b == ';':
			semi++
		case b == ',':
			comma++
		}
	}
	return pick(semi, comma)
}

func pick(semi, comma int) rune {
	if semi > comma {
		return ';'
	}
	return ','
}

// csvProblem explains a CSV syntax error in plain words, at the line where
// the fix belongs.
func csvProblem(pe *csv.ParseError) (int, string) {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return pe.Line, `a quote (") inside a value that does not start with a quote; put the whole value in quotes and double the inner quote ("")`
	case errors.Is(pe.Err, csv.ErrQuote):
		return pe.StartLine, `a quoted value starts here but its closing quote (") is missing; add it`
	}
	return pe.Line, fmt.Sprintf("cannot read the line: %v", pe.Err)
}
