package statement

// fpdf's document buffer from a pool.
//
// Why: fpdf v0.9.0 writes the document as it closes it (Output → enddoc)
// into its own bytes.Buffer (Fpdf.buffer, unexported), which starts empty
// for every document and doubles eight or nine times on the way to a
// statement's 6–7 KB: allocated, zeroed and copied each time. In the Oslo
// month that growing, with the zeroing, was an eighth of the statements'
// time (BenchmarkOsloMonth). So a document is given a buffer that has held
// an earlier one, as fpdf would have grown it (same bytes: a buffer's
// capacity is not its content), and the buffer is taken back once Output
// has copied the document out.
//
// Tied to fpdf v0.9.0 like fonts.go: the field's name and type are checked
// once (fmtBuffer, a struct of one embedded bytes.Buffer); anything else
// turns this off and fpdf grows its own buffer as before.

import (
	"bytes"
	"reflect"
	"sync"
	"unsafe"

	"github.com/go-pdf/fpdf"
)

// docBufferOffset is where Fpdf.buffer's bytes.Buffer is in an Fpdf; ok
// false when it is not as in v0.9.0.
var docBufferOffset = sync.OnceValues(func() (uintptr, bool) {
	sf, ok := reflect.TypeFor[fpdf.Fpdf]().FieldByName("buffer")
	if !ok || len(sf.Index) != 1 {
		return 0, false
	}
	t := sf.Type
	if t.Kind() != reflect.Struct || t.Name() != "fmtBuffer" || t.PkgPath() != "github.com/go-pdf/fpdf" || t.NumField() != 1 {
		return 0, false
	}
	inner := t.Field(0)
	if !inner.Anonymous || inner.Type != reflect.TypeFor[bytes.Buffer]() {
		return 0, false
	}
	return sf.Offset + inner.Offset, true
})

// docBuffers are documents' buffers, reused.
var docBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 16<<10); return &b }}

// pooledOutput is fpdf's Output of f into a new slice of its length, the
// document written into a pooled buffer; f is not used after it.
func pooledOutput(f *fpdf.Fpdf) ([]byte, error) {
	off, ok := docBufferOffset()
	var doc *bytes.Buffer
	if ok {
		doc = (*bytes.Buffer)(unsafe.Add(unsafe.Pointer(f), off))
	}
	if doc == nil || doc.Len() != 0 { // not v0.9.0's field, or already written to: fpdf's own way
		var buf bytes.Buffer
		err := f.Output(&buf)
		return buf.Bytes(), err
	}
	pooled := docBuffers.Get().(*[]byte)
	*doc = *bytes.NewBuffer((*pooled)[:0])
	var out writeOnce
	err := f.Output(&out)
	// What the buffer holds now (grown, when it grew) goes back.
	*pooled = doc.Bytes()[:0]
	*doc = bytes.Buffer{}
	docBuffers.Put(pooled)
	return out.b, err
}

// writeOnce keeps a copy of what is written to it, made to size on the
// first write (Output writes the document in one).
type writeOnce struct{ b []byte }

func (w *writeOnce) Write(p []byte) (int, error) {
	if w.b == nil {
		w.b = make([]byte, 0, len(p))
	}
	w.b = append(w.b, p...)
	return len(p), nil
}
