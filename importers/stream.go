package importers

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"os"
	"unicode/utf8"
	"unsafe"

	"github.com/oslokommune/payout/payout"
)

// A national list_counts.csv is 90 MB at four times Norway. Read whole, it
// was held twice (its bytes and the text its cells were cut from) beside
// the records it becomes, and that, not the records, set the peak of a
// check. So a plain CSV (no quote, valid UTF-8, every line within the
// limit: every file the generator and the national registers write) is
// parsed a piece at a time as it is read, and only the records stay. Every
// other file is read whole by the general path (scanCSV), which alone
// decides what is wrong with it: a piece that is not plain sends the file
// there from the start, so problems and messages are exactly the general
// path's, whichever reads the file.

// chunkSize is how much of a CSV file is read at a time. A piece always
// ends at a line end, so a line is never split; a line longer than the
// buffer grows it, up to the line limit.
var chunkSize = 1 << 20

// source is one input file: its bytes when they are held already (a file
// given to ReadFile), else its path, else a reader of it (a file stored in
// the store in pieces, ReadStored).
type source struct {
	path string
	data []byte
	held bool // data holds the whole file
	// reader opens a reader of the file from its start; size is its
	// length and lines a hint of its number of lines.
	reader func() io.Reader
	size   int64
	lines  int
}

func heldSource(data []byte) source { return source{data: data, held: true} }

// all returns the whole file.
func (s source) all() ([]byte, error) {
	switch {
	case s.held:
		return s.data, nil
	case s.reader != nil:
		buf := bytes.NewBuffer(make([]byte, 0, s.size))
		_, err := buf.ReadFrom(s.reader())
		return buf.Bytes(), err
	}
	return os.ReadFile(s.path)
}

// open returns a reader of the file from its start.
func (s source) open() (io.ReadCloser, error) {
	switch {
	case s.held:
		return io.NopCloser(bytes.NewReader(s.data)), nil
	case s.reader != nil:
		return io.NopCloser(s.reader()), nil
	}
	return os.Open(s.path)
}

// survey counts the file's line ends (records are at most one more, which
// sizes the record slice once) and says whether it holds a quote, which
// only the general path reads. A file is surveyed by reading it once more
// than it is parsed: cheaper than growing a slice of a million records.
// A file read from a reader is not read twice for it: its lines are the
// hint it came with, and a quote sends its stream to the general path
// as soon as it is met.
func (s source) survey() (size, newlines int, quoted bool, err error) {
	switch {
	case s.held:
		return len(s.data), bytes.Count(s.data, []byte{'\n'}), bytes.IndexByte(s.data, '"') >= 0, nil
	case s.reader != nil:
		return int(s.size), max(s.lines-1, 0), false, nil
	}
	f, err := os.Open(s.path)
	if err != nil {
		return 0, 0, false, err
	}
	defer f.Close()
	buf := make([]byte, 256<<10)
	for {
		n, err := f.Read(buf)
		size += n
		newlines += bytes.Count(buf[:n], []byte{'\n'})
		quoted = quoted || bytes.IndexByte(buf[:n], '"') >= 0
		switch {
		case errors.Is(err, io.EOF):
			return size, newlines, quoted, nil
		case err != nil:
			return 0, 0, false, err
		}
	}
}

// readCSVSource parses a CSV file into sink, streaming it when it is
// plain, and returns the table (nil when refused, with the problems in
// errs) and the file's SHA-256. sink makes a fresh parser that reports to
// errs: a stream that turns out not to be plain is dropped with what it
// parsed and the problems it found.
func readCSVSource(base string, src source, errs *payout.ErrorList, sink func(lines int, errs *payout.ErrorList) rowSink) (*table, string, error) {
	size, newlines, quoted, err := src.survey()
	if err != nil {
		return nil, "", err
	}
	if !quoted {
		var scratch payout.ErrorList
		s := sink(newlines+1, &scratch)
		// A small file needs no buffer of a whole piece (ReadFile is called
		// for every file of a store, and by the fuzzer).
		t, sum, plain, err := streamCSV(base, src, min(chunkSize, size+1), &scratch, s)
		if err != nil {
			return nil, "", err
		}
		if plain {
			*errs = append(*errs, scratch...)
			return t, sum, nil
		}
	}
	data, err := src.all()
	if err != nil {
		return nil, "", err
	}
	sum := sha256.Sum256(data)
	// The survey's count of line ends sizes the records (a hint: the file
	// is not counted a second time).
	return scanCSV(base, data, errs, sink(newlines+1, errs)), hex.EncodeToString(sum[:]), nil
}

// streamCSV reads a plain CSV a piece at a time (bufSize bytes at most,
// unless a line needs more), exactly as scanCSV reads it, and hashes it on
// the way. plain is false as soon as a piece is not
// plain (a quote, text that is not UTF-8, a line past the limit): the
// caller then reads the file whole, and drops errs and what sink built.
func streamCSV(file string, src source, bufSize int, errs *payout.ErrorList, sink rowSink) (t *table, sum string, plain bool, err error) {
	r, err := src.open()
	if err != nil {
		return nil, "", false, err
	}
	defer r.Close()
	h := sha256.New()
	t = &table{file: file}
	s := stream{t: t, errs: errs, sink: sink, line: 1, buf: make([]byte, bufSize)}
	if plain, err = s.run(io.TeeReader(r, h)); err != nil || !plain {
		return nil, "", plain, err
	}
	sum = hex.EncodeToString(h.Sum(nil))
	if t.refused {
		return nil, sum, true, nil
	}
	if t.header == nil {
		errs.Add(fileErrf(payout.ErrEmptyFile, file, "the file is empty; the first line must be the header with the column names"))
		return nil, sum, true, nil
	}
	return t, sum, true, nil
}

// stream is the state of streamCSV between pieces.
type stream struct {
	t     *table
	errs  *payout.ErrorList
	sink  rowSink
	buf   []byte
	line  int  // the line number of the next line
	comma byte // 0 until the header's line is read
}

// run reads r to its end, piece by piece, each up to the last line end in
// the buffer; the unfinished line moves to the buffer's start.
func (s *stream) run(r io.Reader) (plain bool, err error) {
	n := 0 // bytes of an unfinished line at the start of buf
	for {
		k, err := io.ReadFull(r, s.buf[n:])
		n += k
		eof := errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF)
		if err != nil && !eof {
			return false, err
		}
		data := s.buf[:n]
		end := n
		if !eof {
			end = bytes.LastIndexByte(data, '\n') + 1
		}
		if end == 0 && !eof {
			// No line ends in the buffer: a line longer than it. Past the
			// limit (with room for a BOM and a '\r') the general path
			// refuses the file; else the buffer grows to hold the line.
			if n > maxLineBytes+len(utf8BOM)+1 {
				return false, nil
			}
			s.buf = append(s.buf, make([]byte, len(s.buf))...)
			continue
		}
		if !s.piece(data[:end]) {
			return false, nil
		}
		n = copy(s.buf, data[end:])
		if eof {
			return true, nil
		}
	}
}

// piece parses whole lines (the last may lack its '\n' at the end of the
// file); false when they are not plain.
func (s *stream) piece(p []byte) bool {
	if !utf8.Valid(p) || bytes.IndexByte(p, '"') >= 0 {
		return false
	}
	if s.comma == 0 {
		p = bytes.TrimPrefix(p, utf8BOM)
		s.comma = byte(detectDelimiter(p))
		s.t.decimalComma = s.comma == ';'
	}
	// The cells are slices of the buffer itself, read as a string without
	// a copy: a piece is 1 MB, and copying each (as scanCSV's one string
	// per file) made 163 MB of garbage in the 4× Norway run's load alone
	// (issue 16). The buffer is overwritten by the next piece, so nothing
	// may keep a cell's text past this call, and nothing does: a record
	// keeps its own copies (table.own, table.intern), the header its own
	// (ownCells), a problem its value's (table.problemAt, limits.go), and
	// a message quotes a value (quote) into a new string.
	// TestStreamReadsAsWholeFile and TestStreamedFilesReadAsWhole read
	// every kind in pieces of a few bytes, so a text kept would show as
	// another piece's bytes.
	var fits bool
	s.line, fits = splitLines(s.t, unsafe.String(unsafe.SliceData(p), len(p)), s.line, s.comma, s.errs, s.sink)
	return fits
}
