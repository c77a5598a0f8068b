package importers

import (
	"bytes"
	"fmt"
	"strconv"
	"strings"
	"unicode/utf8"

	"github.com/oslokommune/payout/payout"
)

// Limits on one input file. No real input comes near them (the longest
// name or source text is a few hundred characters, the widest file has 18
// columns); a file past one is a wrong file or a broken export, refused
// with one line (payout.ErrTooLarge) instead of flooding the terminal or
// the memory. Together with payout.ProblemsPerKind they bound what a
// refusal prints.
const (
	// maxCellChars is the longest value a cell may hold, in characters.
	maxCellChars = 1000
	// maxLineBytes is the longest CSV line (record) in bytes: 64 KiB.
	maxLineBytes = 64 << 10
	// maxColumns is the most cells a header or a row may have.
	maxColumns = 200
	// maxSheetCells is the most cells a workbook's sheet may expand to
	// (rows × columns up to each row's last value, 125 000 rows of eight
	// columns): a small zip of sparse far-away cells cannot make millions
	// of empty ones. Workbooks are the bydel staff's files; the national
	// files are CSV.
	maxSheetCells = 1_000_000
	// maxQuoted is the most characters of a value a message quotes.
	maxQuoted = 100
)

// quote is strconv.Quote of at most maxQuoted characters of s, with "…"
// and the length when it is cut, for every value a message shows.
func quote(s string) string {
	if p := prefix(s, maxQuoted); len(p) < len(s) {
		return strconv.Quote(p) + fmt.Sprintf("… (%d characters)", utf8.RuneCountInString(s))
	}
	return strconv.Quote(s)
}

// prefix is the first n characters of s (all of s when shorter).
func prefix(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for i := range s {
		if n == 0 {
			return s[:i]
		}
		n--
	}
	return s
}

// tooLarge is the one problem of a line, row or file past a limit; Value
// is cut like a quoted value.
func (t *table) tooLargef(line int, ref, format string, a ...any) *payout.InputError {
	e := payout.Problemf(payout.ErrTooLarge, format, a...)
	e.File, e.Sheet, e.Line, e.Cell = t.file, t.sheet, line, ref
	return e
}

// recordFits checks a record's width and its cells' lengths. A header past
// a limit refuses the file (t.refused); a data row past one is refused
// alone and not read further, so none of its values reach a message.
func (t *table) recordFits(line int, cells []cell, errs *payout.ErrorList) bool {
	if len(cells) > maxColumns {
		what := payout.Textf("row")
		if t.header == nil {
			what, t.refused = payout.Textf("header"), true
		}
		errs.Add(t.tooLargef(line, "", "the %s has %d columns, more than the %d a file may have; is this the right file?", what, len(cells), maxColumns))
		return false
	}
	for i := range cells {
		c := &cells[i]
		if len(c.text) <= maxCellChars || utf8.RuneCountInString(c.text) <= maxCellChars {
			continue
		}
		column := ""
		if t.header != nil && i < len(t.header) {
			column = t.header[i].text
		} else {
			t.refused = true
		}
		e := t.tooLargef(line, c.ref, "a value of %d characters, more than the %d a cell may hold; shorten it",
			utf8.RuneCountInString(c.text), maxCellChars)
		e.Column, e.Value = column, strings.Clone(prefix(c.text, maxQuoted)) // not the stream's buffer
		errs.Add(e)
		return false
	}
	return true
}

// linesFit refuses a CSV file with a line longer than maxLineBytes, naming
// each such line, before the file is split or parsed: a 200 MB line costs
// one scan and is never copied, quoted or parsed.
func linesFit(file string, data []byte, errs *payout.ErrorList) bool {
	ok := true
	for line := 1; len(data) > 0; line++ {
		n := bytes.IndexByte(data, '\n')
		if n < 0 {
			n = len(data)
		}
		if size := len(bytes.TrimSuffix(data[:n], []byte{'\r'})); size > maxLineBytes {
			errs.Add(payout.Problemf(payout.ErrTooLarge, "the line is %d bytes long, more than the %d KiB a line may have; is this the right file?", size, maxLineBytes>>10).At(payout.InputError{File: file, Line: line}))
			ok = false
		}
		data = data[min(n+1, len(data)):]
	}
	return ok
}

// lineFits checks the length in bytes of a quoted CSV record, which may
// span lines (a header past it refuses the file).
func (t *table) lineFits(line, size int, errs *payout.ErrorList) bool {
	if size <= maxLineBytes {
		return true
	}
	if t.header == nil {
		t.refused = true
	}
	errs.Add(t.tooLargef(line, "", "the line is %d bytes long, more than the %d KiB a line may have; is this the right file?", size, maxLineBytes>>10))
	return false
}
