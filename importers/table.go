package importers

import (
	"strings"
	"unicode/utf8"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// cell is one value of a CSV field or a workbook cell, trimmed.
type cell struct {
	text string
	ref  string // workbook cell reference such as "E14"; "" for CSV
	num  bool   // a workbook number cell: text is Excel's stored number
	date bool   // a workbook ISO date cell (t="d"): text is ISO 8601
}

// tableRow is one data row: its 1-based line (CSV) or row (XLSX).
type tableRow struct {
	line  int
	cells []cell
}

// table is a file reduced to header and rows, whatever its format.
type table struct {
	file         string
	sheet        string // XLSX only
	decimalComma bool   // ';' CSV: "1234,50" is a decimal
	date1904     bool   // XLSX dates count from 1904
	headerLine   int
	header       []cell
	rows         []tableRow // kept only when read with collectRows
	nrows        int        // non-blank data rows, kept or not
	lost         int        // data rows that could not be read at all
	refused      bool       // the file is past a limit (limits.go): nothing more is read
	strs         map[string]string
	decs         map[uint64]decimal.Decimal // the decimals read, by their text (keepDecimal)
	keys         strings.Builder            // the texts of keys, side by side (own)
	origin       *payout.Source             // the file and sheet, once looked up (source)
}

// keyBlock is the size of the blocks own copies keys into.
const keyBlock = 64 << 10

// own returns s as a string of its own for a text that repeats only in its
// record's versions (a key: absence_id, payee_id …), so not worth a map
// entry (intern). Such texts are short and many (300 000 absence IDs in a
// national set): copied one by one, each would be an object of its own,
// rounded up to its size class (a 9-byte ID takes 16); here they lie side
// by side in blocks of keyBlock bytes. A block is only appended to (a
// strings.Builder never changes what String returned), and a new one is
// begun when the text does not fit in what is left, so no block is copied
// to grow; a longer text is copied on its own.
func (t *table) own(s string) string {
	switch {
	case s == "":
		return ""
	case len(s) > keyBlock/16:
		return strings.Clone(s)
	case t.keys.Cap()-t.keys.Len() < len(s):
		t.keys = strings.Builder{}
		t.keys.Grow(keyBlock)
	}
	start := t.keys.Len()
	t.keys.WriteString(s)
	return t.keys.String()[start:]
}

// source is where a line of the table is.
func (t *table) source(line int) payout.Source {
	if t.origin == nil {
		o := payout.NewSource(t.file, t.sheet, 0)
		t.origin = &o
	}
	return t.origin.At(line)
}

// intern returns s as a string of its own, one per distinct text in the
// file. A cell's text is a piece of the text of its file (or of the piece
// of it being read, stream.go), and a record that kept it would keep that
// alive for the run; copied once per distinct text, a list_id repeated
// over 120 months is also stored once.
func (t *table) intern(s string) string {
	if s == "" {
		return ""
	}
	if v, ok := t.strs[s]; ok {
		return v
	}
	if t.strs == nil {
		t.strs = map[string]string{}
	}
	v := strings.Clone(s)
	t.strs[v] = v
	return v
}

// keepDecimal remembers d as the value of the text whose decimalKey is k,
// so that the next cell of the file with that text shares it. A decimal is
// never changed in place, and each one read is an object of its own (a
// big.Int, 40 bytes): half of Norway's 216 000 weighted counts repeat one
// read before.
func (t *table) keepDecimal(k uint64, d decimal.Decimal) {
	if t.decs == nil {
		t.decs = map[uint64]decimal.Decimal{}
	}
	t.decs[k] = d
}

// decimalKey packs a text of 1 to 7 bytes ("870.38", "100") and its length
// into one number, distinct for distinct texts: the map of a file's
// decimals then holds no string (a key of 8 bytes, not a 16-byte header
// and a copy of the text). short is false for any other text, which is
// not shared.
func decimalKey(s string) (k uint64, short bool) {
	if len(s) == 0 || len(s) > 7 {
		return 0, false
	}
	k = uint64(len(s)) << 56
	for i := 0; i < len(s); i++ {
		k |= uint64(s[i]) << (8 * i)
	}
	return k, true
}

// rowSink takes a table's rows as a reader produces them. start is called
// once the header is known, before any row. A row's cells are only valid
// during the call: the CSV reader reuses them for the next row.
type rowSink interface {
	start(t *table)
	row(t *table, tr tableRow)
}

// collectRows is the sink that keeps every row in t.rows.
type collectRows struct{}

func (collectRows) start(*table) {}

func (collectRows) row(t *table, tr tableRow) {
	tr.cells = append([]cell(nil), tr.cells...)
	t.rows = append(t.rows, tr)
}

// problemAt makes an InputError of one kind (a payout.Err… sentinel) at one
// cell of the table; its message is a catalogue Text.
func (t *table) problemAt(kind error, line int, c cell, column string, msg payout.Text) *payout.InputError {
	return &payout.InputError{File: t.file, Sheet: t.sheet, Line: line, Column: column,
		Cell: c.ref, Value: strings.Clone(c.text), Text: msg, Err: kind} // c.text may be the stream's buffer
}

// errAtf is problemAt with the message's format and arguments.
func (t *table) errAtf(kind error, line int, c cell, column, format string, a ...any) *payout.InputError {
	return t.problemAt(kind, line, c, column, payout.Textf(format, a...))
}

// fileErrf is an InputError of one kind about the whole file.
func fileErrf(kind error, file, format string, a ...any) *payout.InputError {
	e := payout.Problemf(kind, format, a...)
	e.File = file
	return e
}

// headerIndex maps the header to the spec's columns: column name → index.
// Unknown, duplicated and missing required columns are reported.
func (t *table) headerIndex(s *kindSpec, errs *payout.ErrorList) map[string]int {
	idx := map[string]int{}
	for i, h := range t.header {
		name := strings.ToLower(h.text)
		switch {
		case name == "":
			continue // an unnamed column may only hold empty cells (see rowCells)
		case s.column(name) == nil:
			errs.Add(t.errAtf(payout.ErrHeader, t.headerLine, h, h.text, "unknown column %s in %s; the columns are %s (remove it or fix its name)",
				quote(h.text), s.name, columnList(s)))
		case hasKey(idx, name):
			errs.Add(t.errAtf(payout.ErrHeader, t.headerLine, h, h.text, "column %s appears twice in the header; keep one", name))
		default:
			idx[name] = i
		}
	}
	for _, c := range s.cols {
		if _, ok := idx[c.name]; !ok && c.required {
			errs.Add(payout.Problemf(payout.ErrHeader, "required column %s is missing from the header; add it", c.name).At(payout.InputError{File: t.file, Sheet: t.sheet, Line: t.headerLine, Column: c.name}))
		}
	}
	return idx
}

func hasKey(m map[string]int, k string) bool { _, ok := m[k]; return ok }

func columnList(s *kindSpec) string {
	names := make([]string, len(s.cols))
	for i, c := range s.cols {
		names[i] = c.name
	}
	return strings.Join(names, ", ")
}

func joinEnum(vals []string) string {
	switch len(vals) {
	case 0:
		return ""
	case 1:
		return vals[0]
	}
	return strings.Join(vals[:len(vals)-1], ", ") + " or " + vals[len(vals)-1]
}

// blank reports whether every cell of a row is empty (such rows are skipped:
// Excel leaves them behind after deleting content).
func blank(cells []cell) bool {
	for _, c := range cells {
		if c.text != "" {
			return false
		}
	}
	return true
}

// trimCell trims spaces, including the no-break spaces Excel copies.
func trimCell(s string) string {
	// Most cells start and end with a visible ASCII character, which is
	// neither a space nor part of a multi-byte no-break space: nothing to
	// trim, and no need to decode runes.
	if s == "" || (isPlainEnd(s[0]) && isPlainEnd(s[len(s)-1])) {
		return s
	}
	return strings.TrimFunc(s, isCellSpace)
}

// isPlainEnd: an ASCII byte that is not a space trimCell removes.
func isPlainEnd(b byte) bool {
	return b < utf8.RuneSelf && b != ' ' && b != '\t' && b != '\r' && b != '\n'
}

func isCellSpace(r rune) bool {
	return r == ' ' || r == '\t' || r == '\r' || r == '\n' || r == '\u00a0' || r == '\u202f' || r == '\ufeff'
}
