package statement

// Sharing the parsed core fonts between documents.
//
// Why: fpdf v0.9.0 loads a core font the first time a document selects it
// (SetFont → AddFontFromReader → loadfont): it json.Unmarshals the embedded
// font JSON (a width table of 256 ints), then json.Marshals the result and
// takes its SHA-1 for the font's resource name (generateFontID). It does so
// for every document and style, and a statement is a small document: in the
// Oslo month's 669 statements (up to three styles each) this was 31 % of the
// whole run's CPU (`BenchmarkCommand`, 20 runs, 0.46 s CPU per run) and half
// of the statements' (0.27 s per run; 0.12 s with the fonts shared; the rest
// is fpdf laying out and writing). fpdf has no exported way to hand a parsed font to a new
// document, so this file puts the definition a prototype document loaded
// through fpdf's own SetFont into each new document's font table
// (Fpdf.fonts, map[string]fontDefType, unexported) through reflect and
// unsafe, just before the document's first SetFont of that style. SetFont
// then finds the font loaded and selects it as it selects one loaded
// before, so the document is what it would have been: for a core font,
// AddFontFromReader does nothing but put the definition in that table (no
// encoding difference, no font file), which prototype() checks.
//
// Tied to fpdf v0.9.0's internals: the field's name and type and the
// definition's fields are checked once against what v0.9.0 has; anything
// else (another fpdf version) turns the sharing off, and documents load
// their fonts through fpdf as before, never a panic. TestFontsShared fails
// when that happens, so a go.mod upgrade of fpdf cannot lose this silently;
// TestSharedFontsSameBytes and TestSharedFontsSameStatements render
// documents in every style and the Oslo month's and yearly statements both
// ways and compare the bytes.
//
// The shared parts: the map entry is a struct value, so each document gets
// its own copy (putfonts writes the object number N into the document's
// copy); the slices and strings in it (Cw, the width table, and the names)
// are read only: fpdf v0.9.0 writes a core font's Cw nowhere, and usedRunes
// and utf8File (written for UTF-8 fonts only) are nil for a core font. The
// prototype is made once (sync.Once) and only read afterwards, so documents
// rendered in parallel share it safely.

import (
	"reflect"
	"sync"
	"unsafe"

	"github.com/go-pdf/fpdf"
)

// fontTable is the prototype's definitions, ready to be put in a document.
type fontTable struct {
	offset uintptr      // of Fpdf.fonts in the struct
	typ    reflect.Type // map[string]fontDefType
	keys   [len(styleKeys)]reflect.Value
	defs   [len(styleKeys)]reflect.Value // nil Value: not shared
	// What page (page.go) writes and measures with, of each shared style:
	// the resource name SetFont writes (fontDefType.i) and the widths.
	ids    [len(styleKeys)]string
	names  [len(styleKeys)]string // the fonts' names (fontDefType.Name): Helvetica-Bold
	widths [len(styleKeys)][256]int
}

// styleKeys are the styles a prototype loads, those the statements use and
// bold italic (a style not among them is loaded by fpdf), and index
// fontTable; styleIndex maps a style to its index.
var styleKeys = [...]string{"", "B", "I", "BI"}

func styleIndex(style string) int {
	for i, s := range styleKeys {
		if s == style {
			return i
		}
	}
	return -1
}

var (
	fontsOnce  sync.Once
	fontsProto *fontTable // nil: not shared (fpdf is not v0.9.0 as expected)
)

// sharedFonts is the prototype's font table, made on first use; nil when
// fpdf's internals are not those of v0.9.0.
func sharedFonts() *fontTable {
	fontsOnce.Do(func() { fontsProto = prototype() })
	return fontsProto
}

// fontDefFields are fpdf v0.9.0's fontDefType fields and their types.
var fontDefFields = []struct{ name, typ string }{
	{"Tp", "string"}, {"Name", "string"}, {"Desc", "fpdf.FontDescType"}, {"Up", "int"}, {"Ut", "int"},
	{"Cw", "[]int"}, {"Enc", "string"}, {"Diff", "string"}, {"File", "string"}, {"Size1", "int"},
	{"Size2", "int"}, {"OriginalSize", "int"}, {"N", "int"}, {"DiffN", "int"}, {"i", "string"},
	{"utf8File", "*fpdf.utf8FontFile"}, {"usedRunes", "map[int]int"},
}

// fontsField is Fpdf.fonts when it is v0.9.0's map[string]fontDefType.
func fontsField() (reflect.StructField, bool) {
	sf, ok := reflect.TypeFor[fpdf.Fpdf]().FieldByName("fonts")
	if !ok || len(sf.Index) != 1 {
		return sf, false
	}
	t := sf.Type
	if t.Kind() != reflect.Map || t.Key().Kind() != reflect.String {
		return sf, false
	}
	e := t.Elem()
	if e.Kind() != reflect.Struct || e.Name() != "fontDefType" || e.PkgPath() != "github.com/go-pdf/fpdf" ||
		e.NumField() != len(fontDefFields) {
		return sf, false
	}
	for i, want := range fontDefFields {
		if f := e.Field(i); f.Name != want.name || f.Type.String() != want.typ {
			return sf, false
		}
	}
	return sf, true
}

// prototype loads each shared style into a document through fpdf's own
// SetFont and keeps the definitions; nil when anything is not as expected.
func prototype() *fontTable {
	sf, ok := fontsField()
	if !ok {
		return nil
	}
	t := &fontTable{offset: sf.Offset, typ: sf.Type}
	f := fpdf.New("P", "mm", "A4", "")
	for _, style := range styleKeys {
		f.SetFont(font, style, 0)
	}
	if f.Err() {
		return nil
	}
	table := t.table(f)
	for i, style := range styleKeys {
		key := reflect.ValueOf(fontKey(style))
		def := table.MapIndex(key)
		if !def.IsValid() || !plainCore(def) {
			continue
		}
		t.keys[i], t.defs[i] = key, def
		t.ids[i], t.names[i] = def.FieldByName("i").String(), def.FieldByName("Name").String()
		cw := def.FieldByName("Cw")
		for c := range t.widths[i] {
			t.widths[i][c] = int(cw.Index(c).Int())
		}
	}
	return t
}

// fontKey is fpdf's key of the statements' font in a style ("helveticaB").
func fontKey(style string) string { return "helvetica" + style }

// plainCore: a core font whose loading did nothing but add it to the font
// table (no encoding differences, no font file, no UTF-8 data).
func plainCore(def reflect.Value) bool {
	return def.FieldByName("Tp").String() == "Core" && def.FieldByName("Diff").String() == "" &&
		def.FieldByName("File").String() == "" && def.FieldByName("Cw").Len() == 256 &&
		def.FieldByName("utf8File").IsNil() && def.FieldByName("usedRunes").IsNil()
}

// table is f's font map, settable.
func (t *fontTable) table(f *fpdf.Fpdf) reflect.Value {
	return reflect.NewAt(t.typ, unsafe.Add(unsafe.Pointer(f), t.offset)).Elem()
}

// preload puts the shared definition of the style into f's font table
// unless f has that font already; false when the style is not shared (fpdf
// then loads it itself).
func (t *fontTable) preload(f *fpdf.Fpdf, style string) bool {
	i := styleIndex(style)
	if t == nil || i < 0 || !t.defs[i].IsValid() {
		return false
	}
	table := t.table(f)
	if table.IsNil() {
		return false
	}
	if !table.MapIndex(t.keys[i]).IsValid() {
		table.SetMapIndex(t.keys[i], t.defs[i])
	}
	return true
}
