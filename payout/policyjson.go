package payout

import (
	"bytes"
	"cmp"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"
)

// policy.json is read by encoding/json, which on its own would accept a
// file a careful reader must not: it keeps the last of two values given for
// one name ({"bank_booking_days": 5, "bank_booking_days": 9} is 9), and a
// Decoder stops after the first JSON value, so a stray brace or a second
// object after it ({…}} or {…}{…}) is never read. Both leave the policy in
// force other than its author may think it is: the legal readings of the
// run hang on it. So the text is walked once before it is decoded
// (scanPolicy), and a problem is named by line and column, as every other
// input's is, with the parameter it concerns.

// PolicyError is a policy.json that cannot be read as the policy: where
// (1-based line and column, in characters; 0 when the problem is not at
// one place), the parameter it concerns ("fysio.cap_13_4_days"; "" when
// none) and what is wrong.
type PolicyError struct {
	Line, Column int
	Param        string
	Text         Text
	What         string // "policy" for policy.json's; "" for CheckJSONObject's
}

// Error is the problem in English, placed: "policy: line 2, column 3:
// bank_booking_days: expected a whole number, not a text".
func (e *PolicyError) Error() string {
	var b strings.Builder
	if e.What != "" {
		b.WriteString(e.What + ": ")
	}
	if e.Line > 0 {
		b.WriteString("line " + strconv.Itoa(e.Line) + ", column " + strconv.Itoa(e.Column) + ": ")
	}
	if e.Param != "" {
		b.WriteString(e.Param + ": ")
	}
	b.WriteString(e.Text.String())
	return b.String()
}

// CheckJSONObject holds another JSON input a person may edit (an audit
// folder's knowledge.json) to policy.json's rules of text: one object,
// each name in an object once, nothing after it, within the same bounds.
// The error is a *PolicyError placed in the text.
func CheckJSONObject(data []byte) error {
	_, err := scanPolicy(data)
	return err
}

// policyKeys are where each parameter's name first stands in the text, by
// its path ("debtor.name").
type policyKeys map[string]int64

// Bounds on the text: far above any real policy (a few KiB, three levels
// of objects), low enough that no file makes the reading costly.
const (
	maxPolicyBytes = 1 << 20
	maxPolicyDepth = 16
)

// scanPolicy walks the text of policy.json once: it must be one JSON
// object, nothing but white space after it, with no name twice in one
// object. It returns where each name stands, for the decoder's errors.
func scanPolicy(data []byte) (policyKeys, error) {
	if len(data) > maxPolicyBytes {
		return nil, &PolicyError{Text: Textf("the file is %d bytes, more than the %d KiB it may have; is this the right file?", len(data), maxPolicyBytes>>10)}
	}
	s := &policyScan{data: data, keys: policyKeys{}}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	for {
		at := tokenStart(data, dec.InputOffset())
		tok, err := dec.Token()
		switch {
		case errors.Is(err, io.EOF) && s.done:
			return s.keys, nil
		case errors.Is(err, io.EOF):
			return nil, policyAt(data, int64(len(data)), "", Textf("the file ends before its JSON value does"))
		case s.done:
			return nil, policyAt(data, at, "", Textf("more text after the end of the JSON object; the file is one object"))
		case err != nil:
			return nil, syntaxProblem(data, err, at)
		}
		if err := s.token(tok, at); err != nil {
			return nil, err
		}
	}
}

// policyScan is scanPolicy's state: the objects and lists it is inside.
type policyScan struct {
	data  []byte
	keys  policyKeys
	stack []*jsonFrame
	done  bool // the top-level value is complete
}

// jsonFrame is an object or list scanPolicy is inside.
type jsonFrame struct {
	obj     bool
	path    string // the names leading to it, "fysio"
	key     string // the last name read in an object
	wantKey bool   // an object's next token is a name (or its end)
	seen    map[string]bool
}

// token takes the next token, which starts at byte at.
func (s *policyScan) token(tok json.Token, at int64) error {
	var top *jsonFrame
	if len(s.stack) > 0 {
		top = s.stack[len(s.stack)-1]
	} else if tok != json.Delim('{') {
		return policyAt(s.data, at, "", Textf("the file is one JSON object, {…}"))
	}
	if top != nil && top.obj && top.wantKey && tok != json.Delim('}') {
		name, ok := tok.(string) // the Decoder gives only names here
		if !ok {
			return policyAt(s.data, at, "", Textf("not JSON: %s", "a name expected"))
		}
		return s.name(top, name, at)
	}
	switch tok {
	case json.Delim('{'), json.Delim('['):
		if len(s.stack) == maxPolicyDepth {
			return policyAt(s.data, at, "", Textf("objects and lists nested more than %d deep", maxPolicyDepth))
		}
		f := &jsonFrame{obj: tok == json.Delim('{'), wantKey: true, seen: map[string]bool{}}
		if top != nil {
			f.path = top.path
			if top.obj {
				f.path = joinPath(top.path, top.key)
			}
		}
		s.stack = append(s.stack, f)
	case json.Delim('}'), json.Delim(']'):
		s.stack = s.stack[:len(s.stack)-1]
		s.valueDone()
	default:
		s.valueDone()
	}
	return nil
}

// name takes an object's next name (a Decoder gives only strings there).
func (s *policyScan) name(top *jsonFrame, name string, at int64) error {
	path := joinPath(top.path, name)
	if top.seen[name] {
		return policyAt(s.data, at, path, Textf("the name is given twice; give each parameter once"))
	}
	top.seen[name], top.key, top.wantKey = true, name, false
	if _, ok := s.keys[path]; !ok {
		s.keys[path] = at
	}
	return nil
}

// valueDone notes that a value just ended: the enclosing object wants its
// next name, or the policy's object is complete.
func (s *policyScan) valueDone() {
	if len(s.stack) == 0 {
		s.done = true
	} else if top := s.stack[len(s.stack)-1]; top.obj {
		top.wantKey = true
	}
}

func joinPath(parent, name string) string {
	if parent == "" {
		return name
	}
	return parent + "." + name
}

// tokenStart is the offset of the next token from off: past white space
// and the separators a Decoder's offset stops before.
func tokenStart(data []byte, off int64) int64 {
	for off < int64(len(data)) {
		switch data[off] {
		case ' ', '\t', '\r', '\n', ',', ':':
			off++
		default:
			return off
		}
	}
	return off
}

// syntaxProblem is the PolicyError of a syntax error, at the byte the
// error names (at, the token's start, when it names none). A Decoder's
// Token counts its offsets from where its scan started, so the place is
// taken from Unmarshal's error for the same text, counted from its start.
func syntaxProblem(data []byte, err error, at int64) error {
	var v any
	var se *json.SyntaxError
	if errors.As(json.Unmarshal(data, &v), &se) {
		return policyAt(data, max(se.Offset-1, 0), "", Textf("not JSON: %s", strings.TrimPrefix(se.Error(), "json: ")))
	}
	return policyAt(data, at, "", Textf("not JSON: %s", strings.TrimPrefix(err.Error(), "json: ")))
}

// decodeProblem is the PolicyError of the decoder's error: a value of the
// wrong type, or an unknown name, placed where the text has it.
func decodeProblem(data []byte, keys policyKeys, err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) {
		// The decoder's offset stands after the value; the name it was
		// given for is where a reader looks.
		if at, ok := keys[te.Field]; ok {
			return policyAt(data, at, te.Field, Textf("expected %v, not %v", kindName(te.Type), jsonKindName(te.Value)))
		}
	}
	raw := strings.TrimPrefix(err.Error(), "json: ")
	// `unknown field "rent"`, from the decoder or, after a path, from a
	// block's own (the ledger's columns)
	if _, rest, ok := strings.Cut(raw, `unknown field "`); ok {
		name, _, _ := strings.Cut(rest, `"`)
		if path, ok := firstKey(keys, name); ok {
			return policyAt(data, keys[path], path, Textf("unknown parameter %q", name))
		}
	}
	msg := Textf("%s", raw)
	if strings.Contains(raw, "to decimal") {
		msg = Textf("expected a number such as 20 or 12.5")
	}
	// A value's own decoder (a decimal's) names no field: the first
	// parameter that fails alone is the one.
	if name, ok := failingParam(data, keys); ok {
		return policyAt(data, keys[name], name, msg)
	}
	return &PolicyError{Text: msg}
}

// failingParam is the first top-level parameter, in the text's order,
// that the decoder refuses on its own.
func failingParam(data []byte, keys policyKeys) (string, bool) {
	var top map[string]json.RawMessage
	if json.Unmarshal(data, &top) != nil {
		return "", false
	}
	names := make([]string, 0, len(top))
	for name := range top {
		if _, ok := keys[name]; ok {
			names = append(names, name)
		}
	}
	slices.SortFunc(names, func(a, b string) int { return cmp.Compare(keys[a], keys[b]) })
	for _, name := range names {
		one, err := json.Marshal(map[string]json.RawMessage{name: top[name]})
		if err != nil {
			continue
		}
		p := DefaultPolicy()
		dec := json.NewDecoder(bytes.NewReader(one))
		dec.DisallowUnknownFields()
		if dec.Decode(&p) != nil {
			return name, true
		}
	}
	return "", false
}

// firstKey is the path of the first name in the text that is name, at any
// depth (the decoder does not say which object it was in).
func firstKey(keys policyKeys, name string) (string, bool) {
	best, found := "", false
	for path, at := range keys {
		if (path == name || strings.HasSuffix(path, "."+name)) && (!found || at < keys[best]) {
			best, found = path, true
		}
	}
	return best, found
}

// kindName names what a parameter of type t is written as.
func kindName(t reflect.Type) Text {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	switch t.Kind() {
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return Textf("a whole number")
	case reflect.Bool:
		return Textf("true or false")
	case reflect.String:
		return Textf("a text in quotes")
	case reflect.Struct:
		return Textf("an object {…}")
	case reflect.Slice, reflect.Array:
		return Textf("a list […]")
	}
	return Textf("another kind of value")
}

// jsonKindName names the kind of JSON value the decoder met ("string",
// "number 2.5").
func jsonKindName(v string) Text {
	switch {
	case v == "string":
		return Textf("a text")
	case v == "bool":
		return Textf("true or false")
	case v == "object":
		return Textf("an object")
	case v == "array":
		return Textf("a list")
	case strings.HasPrefix(v, "number"):
		if n := strings.TrimSpace(strings.TrimPrefix(v, "number")); n != "" {
			return Textf("the number %s", n)
		}
		return Textf("a number")
	}
	return Textf("%s", v)
}

// policyAt is a PolicyError at byte offset off of data.
func policyAt(data []byte, off int64, param string, msg Text) *PolicyError {
	line, col := lineColumn(data, off)
	return &PolicyError{Line: line, Column: col, Param: param, Text: msg}
}

// ofPolicy names a PolicyError as policy.json's; other errors pass.
func ofPolicy(err error) error {
	var pe *PolicyError
	if errors.As(err, &pe) {
		pe.What = "policy"
	}
	return err
}

// lineColumn are the 1-based line and column (in characters) of byte off.
func lineColumn(data []byte, off int64) (line, col int) {
	off = min(max(off, 0), int64(len(data)))
	before := data[:off]
	start := bytes.LastIndexByte(before, '\n') + 1
	return bytes.Count(before, []byte{'\n'}) + 1, utf8.RuneCount(before[start:]) + 1
}
