package excel

import (
	"bytes"
	"fmt"
	"io"
	"reflect"
	"slices"
	"sort"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/xuri/excelize/v2"
)

// The skeleton is every part of a workbook that excelize makes (workbook.xml
// with its defined names, styles, theme, chart, drawing, document
// properties, content types, relationships): it depends only on what the
// workbook asks of excelize, which is recorded while its sheets are built
// (skeletonSpec) and handed to excelize only when the workbook is
// finished (buildSkeleton).
//
// The district workbooks of one run ask excelize for the same things but
// for their autofilters' ranges and their title (issue 16: the skeleton
// was most of a district workbook's CPU), so a Set keeps the first
// district's skeleton of each shape (skeletonCache) and the others reuse
// its parts as bytes: workbook.xml with their own ranges put in, and
// docProps/core.xml with their own title, both deflated like excelize's
// parts; every other part is the first one's, already deflated. The
// bytes are those excelize would have made, part for part and in the same
// order: a shape covers everything else asked of excelize, and an empty title
// or one that XML would escape, or a sheet filtered twice, is part of the shape
// (TestSkeletonReuseIsExcelizes compares every district both ways).

// skeletonSpec is what a workbook asks of excelize, in the order asked.
type skeletonSpec struct {
	sheets   []string                // the first renames the template's Sheet1
	activate bool                    // SetActiveSheet(0)
	props    *excelize.DocProperties // nil: none set
	ops      []skeletonOp
	titles   []string // the sheets with print titles (row 1), in order
}

// skeletonOp is one AutoFilter (ref set) or AddChart (chart set) call.
type skeletonOp struct {
	sheet string
	ref   string
	chart *chartAt
}

// chartAt is the amount-paid chart (paidChart) anchored at G<top>.
type chartAt struct {
	top int
	pl  placed
}

// shape is the spec's key in a skeletonCache: everything but the
// autofilters' ranges and a plain title, which reuse puts in.
func (s *skeletonSpec) shape() string {
	var b strings.Builder
	fmt.Fprintf(&b, "%q %t\n", s.sheets, s.activate)
	if s.props != nil {
		p := *s.props
		reused := reusableTitle(p.Title)
		if reused {
			p.Title = ""
		}
		fmt.Fprintf(&b, "%t %#v\n", reused, p)
	}
	seen := map[string]bool{}
	for _, op := range s.ops {
		switch {
		case op.chart != nil:
			fmt.Fprintf(&b, "chart %q %d %+v\n", op.sheet, op.chart.top, op.chart.pl)
		case seen[op.sheet]:
			// A second filter of one sheet replaces the first's range in
			// place: its ranges are the shape's.
			fmt.Fprintf(&b, "filter %q %q\n", op.sheet, op.ref)
		default:
			seen[op.sheet] = true
			fmt.Fprintf(&b, "filter %q\n", op.sheet)
		}
	}
	fmt.Fprintf(&b, "titles %q\n", s.titles)
	return b.String()
}

// reusableTitle: the title is put into another workbook's core.xml: it is
// there (excelize leaves out an empty one) as it is (encoding/xml escapes
// nothing of it).
func reusableTitle(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		switch {
		case r == utf8.RuneError, r < 0x20, r == '&', r == '<', r == '>', r == '"', r == '\'', !xmlChar(r):
			return false
		}
	}
	return true
}

// skeleton is a workbook's zip made by excelize, for reuse: its parts in
// the order excelize wrote them, a worksheet's place marked by a nil part,
// and workbook.xml and docProps/core.xml as text cut around what differs
// between workbooks of one shape.
type skeleton struct {
	entries  []skeletonEntry
	workbook []string // literal, range, literal, range, …, literal
	core     []string // literal, title, literal
	// size is what the file takes but for its worksheets: the first
	// workbook's skeleton parts, with room for a longer title and
	// ranges, and the end of the central directory.
	size int
}

type skeletonEntry struct {
	name string
	part *part
}

const (
	workbookPart = "xl/workbook.xml"
	corePart     = "docProps/core.xml"
)

// skeletonCache holds a Set's skeletons by shape; the first workbook of a
// shape makes it while the others of that shape wait.
type skeletonCache struct {
	mu sync.Mutex
	m  map[string]*cachedSkeleton
}

type cachedSkeleton struct {
	once sync.Once
	sk   *skeleton // nil: this shape's parts could not be cut; each workbook is made whole
}

func newSkeletonCache() *skeletonCache {
	return &skeletonCache{m: map[string]*cachedSkeleton{}}
}

// zip writes the workbook's file: from the shape's skeleton when there is
// one, else made whole by excelize (and kept for the shape).
func (c *skeletonCache) zip(w *workbook) ([]byte, error) {
	if c == nil {
		data, _, err := buildSkeleton(w, false)
		return data, err
	}
	key := w.spec.shape()
	c.mu.Lock()
	e := c.m[key]
	if e == nil {
		e = &cachedSkeleton{}
		c.m[key] = e
	}
	c.mu.Unlock()
	var data []byte
	var err error
	built := false
	e.once.Do(func() {
		built = true
		data, e.sk, err = buildSkeleton(w, true)
	})
	if built {
		return data, err
	}
	if e.sk == nil {
		data, _, err = buildSkeleton(w, false)
		return data, err
	}
	return e.sk.replay(w)
}

// defaultStyles are the IDs newStyles gives in a new file: excelize
// numbers a file's styles in the order they are made, and a workbook's
// cells are styled before excelize sees the workbook (buildSkeleton
// checks that its styles got the same IDs).
var defaultStyles = sync.OnceValues(func() (styles, error) {
	f := excelize.NewFile()
	defer f.Close()
	return newStyles(f)
})

// buildSkeleton makes the workbook's file with excelize, as it is asked in
// w.spec, its worksheets taken from w.parts; with keep it returns its
// skeleton too (nil when workbook.xml or core.xml cannot be cut).
func buildSkeleton(w *workbook, keep bool) ([]byte, *skeleton, error) {
	s := &w.spec
	f := excelize.NewFile()
	defer f.Close()
	if err := f.SetSheetName("Sheet1", s.sheets[0]); err != nil {
		return nil, nil, err
	}
	for _, name := range s.sheets[1:] {
		if _, err := f.NewSheet(name); err != nil {
			return nil, nil, err
		}
	}
	if s.activate {
		f.SetActiveSheet(0)
	}
	if err := checkLayout(f, w); err != nil {
		return nil, nil, err
	}
	st, err := newStyles(f)
	if err != nil {
		return nil, nil, err
	}
	if !reflect.DeepEqual(st, w.st) {
		return nil, nil, fmt.Errorf("excelize numbered the styles %+v, the cells have %+v", st, w.st)
	}
	if s.props != nil {
		if err := f.SetDocProps(s.props); err != nil {
			return nil, nil, err
		}
	}
	for _, op := range s.ops {
		if op.chart != nil {
			err = f.AddChart(op.sheet, fmt.Sprintf("G%d", op.chart.top), paidChart(op.chart.pl))
		} else {
			err = f.AutoFilter(op.sheet, op.ref, nil)
		}
		if err != nil {
			return nil, nil, err
		}
	}
	for _, sheet := range s.titles {
		if err := f.SetDefinedName(&excelize.DefinedName{
			Name: "_xlnm.Print_Titles", RefersTo: fmt.Sprintf("'%s'!$1:$1", sheet), Scope: sheet,
		}); err != nil {
			return nil, nil, err
		}
	}
	sortContentTypes(f)
	// excelize would marshal its (empty) copy of every worksheet only for
	// partZip to discard it: without them it names only the template's
	// first sheet, and partZip.Close writes the others.
	for i := range s.sheets {
		f.Sheet.Delete(sheetPart(i))
	}
	var rec *recording
	if keep {
		rec = &recording{}
	}
	// excelize's parts of these workbooks deflate to about 12 KB.
	f.SetZipWriter(func(out io.Writer) excelize.ZipWriter { return w.zipWriter(out, rec, 24<<10) })
	buf, err := f.WriteToBuffer()
	if err != nil {
		return nil, nil, err
	}
	if !keep {
		return buf.Bytes(), nil, nil
	}
	return buf.Bytes(), rec.skeleton(s), nil
}

// checkLayout: excelize names the sheets' parts as sheetPart does and the
// first sheet is the active one, as writeSheet took them to be.
func checkLayout(f *excelize.File, w *workbook) error {
	for id, name := range f.GetSheetMap() {
		if i := slices.Index(w.spec.sheets, name); i < 0 || sheetPart(i) != "xl/worksheets/sheet"+strconv.Itoa(id)+".xml" {
			return fmt.Errorf("excelize put sheet %q in part %d", name, id)
		}
	}
	if f.GetActiveSheetIndex() != 0 {
		return fmt.Errorf("excelize made sheet %d the active one", f.GetActiveSheetIndex())
	}
	return nil
}

// sheetPart is the worksheet part of the workbook's sheet i: excelize
// numbers the sheets from 1 in the order they are made.
func sheetPart(i int) string { return "xl/worksheets/sheet" + strconv.Itoa(i+1) + ".xml" }

// recording is what partZip wrote: each part's name in order, the parts
// excelize made (a worksheet's nil) and the text of workbook.xml and
// core.xml.
type recording struct {
	entries        []skeletonEntry
	workbook, core []byte
	invalid        bool // something was written that a replay cannot repeat
}

// skeleton cuts the recording for reuse, or returns nil.
func (r *recording) skeleton(s *skeletonSpec) *skeleton {
	if r.invalid || r.workbook == nil || r.core == nil || s.props == nil {
		return nil
	}
	sk := &skeleton{entries: r.entries, size: 22 + 1<<10}
	for _, e := range r.entries {
		if e.part != nil {
			sk.size += zipEntrySize(e.name, e.part)
		}
	}
	rest := string(r.workbook)
	seen := map[string]bool{}
	for _, op := range s.ops {
		if op.chart != nil || seen[op.sheet] {
			continue
		}
		seen[op.sheet] = true
		i := strings.Index(rest, "!"+absoluteRange(op.ref)+"</definedName>")
		if i < 0 {
			return nil
		}
		i++
		sk.workbook = append(sk.workbook, rest[:i], absoluteRange(op.ref))
		rest = rest[i+len(absoluteRange(op.ref)):]
	}
	sk.workbook = append(sk.workbook, rest)
	if !reusableTitle(s.props.Title) {
		sk.core = []string{string(r.core)}
		return sk
	}
	tag := "<dc:title>" + s.props.Title + "</dc:title>"
	i := strings.Index(string(r.core), tag)
	if i < 0 || strings.Count(string(r.core), tag) != 1 {
		return nil
	}
	i += len("<dc:title>")
	sk.core = []string{string(r.core[:i]), s.props.Title, string(r.core[i+len(s.props.Title):])}
	return sk
}

// absoluteRange is excelize's form of a range in a defined name:
// A1:AB50 as $A$1:$AB$50.
func absoluteRange(ref string) string {
	var b strings.Builder
	for i, c := range strings.Split(ref, ":") {
		if i > 0 {
			b.WriteByte(':')
		}
		j := strings.IndexAny(c, "0123456789")
		if j < 0 {
			return ""
		}
		b.WriteString("$" + c[:j] + "$" + c[j:])
	}
	return b.String()
}

// replay writes w's file from the skeleton of its shape: the parts in the
// skeleton's order, w's worksheets in their places, workbook.xml with w's
// ranges and core.xml with w's title.
func (sk *skeleton) replay(w *workbook) ([]byte, error) {
	var buf bytes.Buffer
	z := w.zipWriter(&buf, nil, sk.size).(*partZip)
	for _, e := range sk.entries {
		p := e.part
		switch {
		case p == nil:
			if p = z.parts[e.name]; p == nil {
				return nil, fmt.Errorf("%s: no such worksheet", e.name)
			}
			delete(z.parts, e.name)
		case e.name == workbookPart:
			var err error
			if p, err = deflatePart([]byte(sk.workbookText(&w.spec))); err != nil {
				return nil, err
			}
		case e.name == corePart:
			var err error
			if p, err = deflatePart([]byte(sk.coreText(w.spec.props.Title))); err != nil {
				return nil, err
			}
		}
		if err := z.write(e.name, p); err != nil {
			return nil, err
		}
	}
	if err := z.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (sk *skeleton) workbookText(s *skeletonSpec) string {
	var b strings.Builder
	b.WriteString(sk.workbook[0])
	i := 1
	seen := map[string]bool{}
	for _, op := range s.ops {
		if op.chart != nil || seen[op.sheet] {
			continue
		}
		seen[op.sheet] = true
		b.WriteString(absoluteRange(op.ref))
		b.WriteString(sk.workbook[i+1])
		i += 2
	}
	return b.String()
}

func (sk *skeleton) coreText(title string) string {
	if len(sk.core) == 1 {
		return sk.core[0]
	}
	return sk.core[0] + title + sk.core[2]
}

// sortContentTypes orders [Content_Types].xml's defaults: excelize adds
// the image extensions of a drawing (our chart) by ranging over a map, so
// without this two renders of the same workbook differ.
func sortContentTypes(f *excelize.File) {
	if ct := f.ContentTypes; ct != nil {
		sort.SliceStable(ct.Defaults, func(i, j int) bool { return ct.Defaults[i].Extension < ct.Defaults[j].Extension })
	}
}
