package payout

import (
	"errors"
	"fmt"
	"sort"
	"strings"
)

// Sentinel errors, matched with errors.Is.
var (
	// ErrInvalidInput marks anything RULEBOOK.md or FORMATS.md calls invalid
	// input; every InputError wraps it.
	ErrInvalidInput = errors.New("invalid input")
	// ErrMissingListCount: an active fastlege agreement has no count for P.
	ErrMissingListCount = errors.New("missing list count")
	// ErrMissingRate: no rate table is in force for a scheme and period.
	ErrMissingRate = errors.New("missing rate")
	// ErrInvariant: a control of RULEBOOK §8 failed; no payment may be made.
	ErrInvariant = errors.New("invariant violated")
)

// The kinds of input problem: InputError.Err holds one of them (or another
// sentinel above), so that a caller or a test matches a problem with
// errors.Is, as encoding/csv's ParseError wraps csv.ErrFieldCount. Every
// InputError also matches ErrInvalidInput. Message is the sentence for people.
var (
	ErrMissingFile      = errors.New("missing file")         // a required file (or the folder) is absent
	ErrUnreadable       = errors.New("unreadable file")      // cannot be read, or is not a workbook
	ErrUnknownFile      = errors.New("unknown file")         // a file name no kind has, or a kind given twice
	ErrEmptyFile        = errors.New("empty file")           // no header line or row
	ErrEncoding         = errors.New("not UTF-8")            // text in another encoding
	ErrControlChar      = errors.New("control character")    // a tab, line break, NUL … in a cell (the bank file takes none)
	ErrQuote            = errors.New("misplaced quote")      // a bare or unclosed quote (csv.ErrBareQuote, csv.ErrQuote)
	ErrFieldCount       = errors.New("wrong field count")    // more or fewer values than the header's columns
	ErrHeader           = errors.New("bad header")           // an unknown, duplicated or missing column
	ErrRequired         = errors.New("required value")       // an empty cell that must be filled in
	ErrNotADate         = errors.New("not a date")           // not YYYY-MM-DD (or a workbook date)
	ErrNotAPeriod       = errors.New("not a month")          // not YYYY-MM
	ErrNotANumber       = errors.New("not a number")         // not a decimal, or not a whole number ≥ 0
	ErrNotABool         = errors.New("not yes or no")        // not ja/nei, true/false
	ErrNotAllowed       = errors.New("not an allowed value") // outside an enumeration (kind, cover, scheme, bydel)
	ErrFormat           = errors.New("wrong format")         // an identifier of the wrong form (HPR)
	ErrCheckDigit       = errors.New("wrong check digit")    // MOD11 of an account or organisation number
	ErrOutOfRange       = errors.New("out of range")         // a number outside its allowed range
	ErrInconsistent     = errors.New("inconsistent record")  // fields of a record that contradict each other or a rule
	ErrDuplicateVersion = errors.New("duplicate version")    // two versions of a record with the same key and recorded_on
	ErrUnknownRef       = errors.New("unknown reference")    // an ID no record of the referenced file has
	ErrPolicy           = errors.New("bad policy")           // policy.json cannot be read as the policy
	ErrTooLarge         = errors.New("too large")            // a cell, line, row or sheet past the importers' limits
)

// InputError is one problem with one input record: the file, the line (or
// sheet and cell) and the column, the value found and what was expected.
type InputError struct {
	File   string
	Sheet  string // XLSX only
	Line   int    // 1-based line, or XLSX row; 0 when the whole file
	Column string // column name as in the header, "" when the whole row
	Cell   string // XLSX cell reference such as "E14", "" for CSV
	Value  string
	Text   Text   // what is wrong and what was expected, as a catalogue message
	Msg    string // the same in plain English words, for a problem not made as a Text
	Err    error  // a sentinel, ErrInvalidInput when nil
}

// Text is a sentence for people kept as its English format and arguments,
// so that the command line can show it in the user's language: Format is the
// key of its row in the message catalogue. An argument may be a Text itself.
type Text struct {
	Format string
	Args   []any
}

// Textf is the Text of format and args, as fmt.Sprintf would write them.
func Textf(format string, args ...any) Text { return Text{format, args} }

// String is the English sentence.
func (t Text) String() string { return t.In(nil) }

// Translator writes a Text in some language; nil is English.
type Translator func(Text) string

// In writes t with tr (English when tr is nil).
func (t Text) In(tr Translator) string {
	if tr != nil {
		return tr(t)
	}
	args := make([]any, len(t.Args))
	for i, a := range t.Args {
		args[i] = a
		if inner, ok := a.(Text); ok {
			args[i] = inner.String()
		}
	}
	return fmt.Sprintf(t.Format, args...)
}

// Problemf is an InputError whose message is a catalogue Text; the caller
// sets where it is.
func Problemf(kind error, format string, args ...any) *InputError {
	return Problem(kind, Textf(format, args...))
}

// Problem is an InputError of kind whose message is t.
func Problem(kind error, t Text) *InputError { return &InputError{Text: t, Err: kind} }

// Message is what is wrong, in English: the Text, or Msg.
func (e *InputError) Message() string {
	if e.Text.Format != "" {
		return e.Text.String()
	}
	return e.Msg
}

// At places e where the problem is: the position fields of where (file,
// sheet, line, column, cell, value), keeping e's message and kind.
func (e *InputError) At(where InputError) *InputError {
	where.Msg, where.Text, where.Err = e.Msg, e.Text, e.Err
	*e = where
	return e
}

func (e *InputError) Error() string { return e.In(nil) }

// In is the problem written with tr: where it is and what is wrong. The
// message is Text in tr's language when it has one, else Msg.
func (e *InputError) In(tr Translator) string {
	var b strings.Builder
	b.WriteString(e.File)
	switch {
	case e.Sheet != "" && e.Cell != "":
		fmt.Fprintf(&b, ": %s!%s", e.Sheet, e.Cell)
	case e.Sheet != "" && e.Line > 0:
		b.WriteString(": " + Textf("%s!row %d", e.Sheet, e.Line).In(tr))
	case e.Line > 0:
		fmt.Fprintf(&b, ":%d", e.Line)
	}
	if e.Column != "" {
		fmt.Fprintf(&b, " (%s)", e.Column)
	}
	b.WriteString(": ")
	if e.Text.Format != "" {
		b.WriteString(e.Text.In(tr))
	} else {
		b.WriteString(e.Msg)
	}
	return b.String()
}

// Unwrap returns the sentinel (ErrInvalidInput unless another was set).
func (e *InputError) Unwrap() error {
	if e.Err != nil {
		return e.Err
	}
	return ErrInvalidInput
}

// Is lets errors.Is(err, ErrInvalidInput) hold for every InputError.
func (e *InputError) Is(target error) bool { return target == ErrInvalidInput }

// SourceError makes an InputError for a record found wrong by the engine.
func SourceError(src Source, column, value, msg string) *InputError {
	return &InputError{File: src.File(), Sheet: src.Sheet(), Line: src.Line(), Column: column, Value: value, Msg: msg}
}

// SourceErrorf is SourceError with the message's format (a catalogue key)
// and arguments.
func SourceErrorf(src Source, column, value, format string, args ...any) *InputError {
	e := SourceError(src, column, value, "")
	e.Text = Textf(format, args...)
	return e
}

// ErrorList collects every problem of an input set before refusing it.
type ErrorList []*InputError

// Add appends one problem.
func (l *ErrorList) Add(e *InputError) { *l = append(*l, e) }

// Sort orders the problems by file, sheet, line and column.
func (l ErrorList) Sort() {
	sort.SliceStable(l, func(i, j int) bool {
		a, b := l[i], l[j]
		if a.File != b.File {
			return a.File < b.File
		}
		if a.Sheet != b.Sheet {
			return a.Sheet < b.Sheet
		}
		if a.Line != b.Line {
			return a.Line < b.Line
		}
		return a.Column < b.Column
	})
}

// Err returns nil for an empty list, else the list itself as an error.
func (l ErrorList) Err() error {
	if len(l) == 0 {
		return nil
	}
	return l
}

// ProblemsPerKind is how many problems of one kind in one file and column
// the text of an ErrorList shows; the rest are counted in one line. A
// systematic mistake (a wrong date format in every row) then reads as a
// screenful, not as twelve thousand lines. The list itself keeps them all.
const ProblemsPerKind = 20

// Error is one line per problem, in the list's order, with at most
// ProblemsPerKind of one kind (sentinel) in one file, sheet and column:
// where the next one would be, one line says how many more there are.
func (l ErrorList) Error() string { return l.In(nil) }

// In is the list's text written with tr (English when nil).
func (l ErrorList) In(tr Translator) string {
	type group struct {
		file, sheet, column string
		kind                error
	}
	keyOf := func(e *InputError) group { return group{e.File, e.Sheet, e.Column, errors.Unwrap(e)} }
	total := map[group]int{}
	for _, e := range l {
		total[keyOf(e)]++
	}
	shown := map[group]int{}
	lines := make([]string, 0, min(len(l), 64))
	for _, e := range l {
		k := keyOf(e)
		shown[k]++
		switch n := shown[k]; {
		case n <= ProblemsPerKind:
			lines = append(lines, e.In(tr))
		case n == ProblemsPerKind+1:
			lines = append(lines, moreLine(e, total[k]-ProblemsPerKind).In(tr))
		}
	}
	return strings.Join(lines, "\n")
}

// moreLine says how many more problems like e there are.
func moreLine(e *InputError, more int) Text {
	where := e.File
	if e.Sheet != "" {
		where += ": " + e.Sheet
	}
	if e.Column != "" {
		where += " (" + e.Column + ")"
	}
	if e.Err != nil {
		return Textf("%s: … and %d more problems of this kind (%v), not shown; fix the ones above and check again", where, more, e.Err)
	}
	return Textf("%s: … and %d more problems, not shown; fix the ones above and check again", where, more)
}

// Unwrap exposes each problem to errors.Is and errors.As.
func (l ErrorList) Unwrap() []error {
	errs := make([]error, len(l))
	for i, e := range l {
		errs[i] = e
	}
	return errs
}

// Is makes errors.Is(list, ErrInvalidInput) hold.
func (l ErrorList) Is(target error) bool { return target == ErrInvalidInput && len(l) > 0 }

// wrap sets the sentinel an InputError unwraps to.
func (e *InputError) wrap(sentinel error) *InputError {
	e.Err = sentinel
	return e
}
