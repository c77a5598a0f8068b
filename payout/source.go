package payout

import (
	"math"
	"sync"
	"sync/atomic"
)

// Source locates a record in its input file, so that errors found by the
// engine (overlapping absences, a municipal vikar too early …) can name the
// file and line like importer errors do. Line is 1-based; for XLSX the Sheet
// is set and Line is the row. The zero Source names nothing.
//
// Every record version carries one, and a national data set has millions of
// versions read from a dozen files: a Source is therefore 8 bytes without a
// pointer (the file and sheet by a number, the line), not two strings and an
// int (40 bytes, two pointers for the collector to follow). Equal Sources are
// ==; the number never reaches an output (order Sources by File and Line).
type Source struct {
	origin uint32 // the file and sheet, numbered by origins; 0: none
	line   int32
}

// NewSource is the Source of a line (or row) of a file (and sheet). A line
// past 2³¹−1, in a file of over 2 GB of line ends, is named as 2³¹−1.
func NewSource(file, sheet string, line int) Source {
	return Source{origin: originOf(origin{file, sheet})}.At(line)
}

// At is the Source of another line of the same file and sheet: what a
// reader makes for each row, without looking up the file.
func (s Source) At(line int) Source {
	s.line = int32(min(max(line, math.MinInt32), math.MaxInt32))
	return s
}

// File is the file's name ("" for the zero Source).
func (s Source) File() string { return s.names().file }

// Sheet is the workbook sheet ("" for CSV).
func (s Source) Sheet() string { return s.names().sheet }

// Line is the 1-based line (CSV) or row (sheet).
func (s Source) Line() int { return int(s.line) }

// origin is a file and sheet that records are read from.
type origin struct{ file, sheet string }

// origins numbers the origins of the process, first come first numbered;
// there are as many as distinct file and sheet names read. Reading a name
// takes no lock: the list is replaced, never changed, when one is added.
var origins struct {
	mu   sync.Mutex
	ids  map[origin]uint32
	list atomic.Pointer[[]origin] // origin n at n-1
}

func originOf(o origin) uint32 {
	if o == (origin{}) {
		return 0
	}
	origins.mu.Lock()
	defer origins.mu.Unlock()
	if id, ok := origins.ids[o]; ok {
		return id
	}
	var list []origin
	if l := origins.list.Load(); l != nil {
		list = *l
	}
	list = append(list[:len(list):len(list)], o)
	if origins.ids == nil {
		origins.ids = map[origin]uint32{}
	}
	id := uint32(len(list))
	origins.ids[o] = id
	origins.list.Store(&list)
	return id
}

func (s Source) names() origin {
	if s.origin == 0 {
		return origin{}
	}
	return (*origins.list.Load())[s.origin-1]
}
