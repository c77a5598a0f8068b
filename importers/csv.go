package importers

import (
	"bytes"
	"encoding/csv"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout"
)

var utf8BOM = []byte{0xEF, 0xBB, 0xBF}

// readCSV turns CSV bytes into a table, or reports why it cannot.
func readCSV(file string, data []byte, errs *payout.ErrorList) *table {
	var rows collectRows
	return scanCSV(file, data, errs, &rows)
}

// scanCSV reads CSV bytes and hands the header and each non-blank data row
// to sink as soon as they are read, so that a national-scale file is never
// held as cells (its records are all that is kept). It returns the table
// (header and counts; rows only if sink keeps them), or nil when the file
// cannot be read at all.
func scanCSV(file string, data []byte, errs *payout.ErrorList, sink rowSink) *table {
	if !checkUTF8(file, data, errs) {
		return nil
	}
	data = bytes.TrimPrefix(data, utf8BOM)
	if !linesFit(file, data, errs) {
		return nil
	}
	comma := detectDelimiter(data)
	t := &table{file: file, decimalComma: comma == ';'}
	if bytes.IndexByte(data, '"') < 0 {
		splitPlainCSV(t, data, byte(comma), errs, sink)
	} else {
		readQuotedCSV(t, data, comma, errs, sink)
	}
	if t.refused {
		return nil
	}
	if t.header == nil {
		errs.Add(fileErrf(payout.ErrEmptyFile, file, "the file is empty; the first line must be the header with the column names"))
		return nil
	}
	return t
}

// record takes one CSV record: the first is the header, blank ones are
// skipped, the others go to the sink. The sink may not keep cells. A record
// past the limits is reported instead (limits.go).
func (t *table) record(line int, cells []cell, errs *payout.ErrorList, sink rowSink) {
	if !t.recordFits(line, cells, errs) {
		if t.header != nil {
			t.lost++
		}
		return
	}
	if t.header == nil {
		t.header, t.headerLine = ownCells(cells), line
		sink.start(t)
		return
	}
	if blank(cells) {
		return
	}
	t.nrows++
	sink.row(t, tableRow{line: line, cells: cells})
}

// ownCells copies cells with texts of their own: the header is kept while
// the file is read, and its cells are pieces of the text of the piece of
// the file that held it (stream.go), which they would keep alive, a MiB
// per file (a small file's whole text), through the load (issue 16).
func ownCells(cells []cell) []cell {
	out := make([]cell, len(cells))
	for i, c := range cells {
		c.text = strings.Clone(c.text)
		out[i] = c
	}
	return out
}

// readQuotedCSV reads with encoding/csv: quotes need its state machine and
// its errors, which csvProblem explains.
func readQuotedCSV(t *table, data []byte, comma rune, errs *payout.ErrorList, sink rowSink) {
	r := csv.NewReader(bytes.NewReader(data))
	r.Comma = comma
	r.FieldsPerRecord = -1
	r.ReuseRecord = true // the strings are new for each record; only the slice is reused
	var cells []cell
	for !t.refused {
		start := r.InputOffset()
		rec, err := r.Read()
		if err == io.EOF {
			break
		}
		if err != nil {
			var pe *csv.ParseError
			if !errors.As(err, &pe) {
				errs.Add(fileErrf(payout.ErrUnreadable, t.file, "cannot read the file: %v", err))
				break
			}
			line, kind, msg := csvProblem(pe)
			errs.Add(payout.Problem(kind, msg).At(payout.InputError{File: t.file, Line: line}))
			t.lost++
			continue
		}
		line, _ := r.FieldPos(0)
		if !t.lineFits(line, int(r.InputOffset()-start), errs) {
			t.lost++
			continue
		}
		cells = cells[:0]
		for _, f := range rec {
			cells = append(cells, cell{text: trimCell(f)})
		}
		t.record(line, cells, errs, sink)
	}
}

// splitPlainCSV reads a CSV that holds no quote character, which is every
// file the generator and most spreadsheets write. Without quotes a record
// is one line and a field runs to the next delimiter, so the lines can be
// split directly, exactly as encoding/csv would read them: "\r\n" counts as
// "\n", a "\r" ending the last line is dropped, empty lines are skipped
// (but counted), and no error is possible (TestPlainCSVAgrees). The data
// is copied into one string once and the cells are slices of it, which
// saves a string per record.
func splitPlainCSV(t *table, data []byte, comma byte, errs *payout.ErrorList, sink rowSink) {
	splitLines(t, string(data), 1, comma, errs, sink)
}

// splitLines is splitPlainCSV of text whose first line is number line; it
// returns the number of the line after text. Lines past the limit are
// refused by linesFit before a whole file is split; a stream (stream.go)
// splits unchecked pieces, so fits is false, and the rest of the piece
// not read, at a line past the limit. Once the table is refused, lines are
// still measured but no longer read.
func splitLines(t *table, text string, line int, comma byte, errs *payout.ErrorList, sink rowSink) (next int, fits bool) {
	var cells []cell
	for ; len(text) > 0; line++ {
		var rec string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			rec, text = text[:i], text[i+1:]
		} else {
			rec, text = text, ""
		}
		rec = strings.TrimSuffix(rec, "\r")
		if len(rec) > maxLineBytes {
			return line, false
		}
		if rec == "" || t.refused {
			continue
		}
		cells = cells[:0]
		for {
			i := strings.IndexByte(rec, comma)
			if i < 0 {
				cells = append(cells, cell{text: trimCell(rec)})
				break
			}
			cells = append(cells, cell{text: trimCell(rec[:i])})
			rec = rec[i+1:]
		}
		t.record(line, cells, errs, sink)
	}
	return line, true
}

// checkUTF8 refuses text that is not UTF-8 (a CSV saved as "CSV (semikolon-
// delt)" by older Excel is Windows-1252), naming every bad line.
func checkUTF8(file string, data []byte, errs *payout.ErrorList) bool {
	if utf8.Valid(data) {
		return true // the common case, checked without splitting into lines
	}
	ok := true
	for i, line := range bytes.Split(data, []byte{'\n'}) {
		if !utf8.Valid(line) {
			errs.Add(payout.Problemf(payout.ErrEncoding,
				`not valid UTF-8 text (perhaps Windows-1252 or Latin-1); save the file as "CSV UTF-8" in Excel and try again`).At(payout.InputError{File: file, Line: i + 1}))
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
func csvProblem(pe *csv.ParseError) (int, error, payout.Text) {
	switch {
	case errors.Is(pe.Err, csv.ErrBareQuote):
		return pe.Line, payout.ErrQuote, payout.Textf(`a quote (") inside a value that does not start with a quote; put the whole value in quotes and double the inner quote ("")`)
	case errors.Is(pe.Err, csv.ErrQuote):
		return pe.StartLine, payout.ErrQuote, payout.Textf(`a quoted value starts here but its closing quote (") is missing; add it`)
	}
	if errors.Is(pe.Err, csv.ErrFieldCount) {
		return pe.Line, payout.ErrFieldCount, payout.Textf("cannot read the line: %v", pe.Err)
	}
	return pe.Line, payout.ErrUnreadable, payout.Textf("cannot read the line: %v", pe.Err)
}
