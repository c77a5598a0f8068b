package iso20022

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"reflect"
	"strconv"
	"strings"
)

// An element payout reads as one value (a status, an amount, a reference)
// is one element in the schema (maxOccurs 1). encoding/xml keeps the last
// of two such elements, so <TxSts>RJCT</TxSts><TxSts>ACSC</TxSts> would be
// read as accepted, and the rejection never seen: twice is refused here,
// before the document is decoded, with the line of the second. Elements
// payout does not read, and those it reads as lists, may repeat.

// onceSet is, by the path of an element from the Document down
// ("CstmrPmtStsRpt/OrgnlGrpInfAndSts"), the children payout reads: true
// for one read as one value, false for one read as a list.
type onceSet map[string]map[string]bool

// The sets of the two documents, made from their types: a field added to
// a type is covered without a list to keep.
var (
	onceStatus       = onceOf(reflect.TypeFor[statusDoc]())
	onceNotification = onceOf(reflect.TypeFor[notificationDoc]())
)

func onceOf(t reflect.Type) onceSet {
	s := onceSet{}
	s.add("", t)
	return s
}

// add notes the element fields of struct type t, the content of the
// element at path.
func (s onceSet) add(path string, t reflect.Type) {
	t = content(t)
	if t.Kind() != reflect.Struct {
		return
	}
	for i := range t.NumField() {
		f := t.Field(i)
		name, flags, _ := strings.Cut(f.Tag.Get("xml"), ",")
		if name == "" || name == "-" || flags != "" {
			continue // the character data, an attribute, or not read
		}
		steps := strings.Split(name, ">")
		at := path
		for j, step := range steps {
			if s[at] == nil {
				s[at] = map[string]bool{}
			}
			s[at][step] = j < len(steps)-1 || f.Type.Kind() != reflect.Slice
			at = joinElem(at, step)
		}
		ft := f.Type
		if ft.Kind() == reflect.Slice {
			ft = ft.Elem()
		}
		s.add(at, ft)
	}
}

// content is the type an element's content is decoded into: through a
// pointer, and through at[T], which keeps the line beside it.
func content(t reflect.Type) reflect.Type {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.PkgPath() == atType.PkgPath() && strings.HasPrefix(t.Name(), "at[") {
		v, _ := t.FieldByName("V")
		return content(v.Type)
	}
	return t
}

// atType is one instance of at, for the package and name every other has.
var atType = reflect.TypeFor[at[string]]()

func joinElem(path, name string) string {
	if path == "" {
		return name
	}
	return path + "/" + name
}

// maxOnceDepth bounds the walk: deeper than any bank message, and
// deeper than the decoder reads (it refuses the file, in its words).
const maxOnceDepth = 10000

// onceProblem walks the document below its root and returns the first
// element of once's that stands twice in its parent: its line, its path
// as the reader names places (a list's element with its number) and a
// sentence; line 0 when there is none. A document that is not well-formed
// is left to the decoder, which words it.
func onceProblem(data []byte, once onceSet) (line int, where, msg string) {
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	type open struct {
		path, shown string         // the path, and the path with list numbers
		seen        map[string]int // children read, by name: made at the first
	}
	var stack []open
	for {
		tok, err := dec.Token()
		if err != nil || len(stack) > maxOnceDepth {
			return 0, "", ""
		}
		switch t := tok.(type) {
		case xml.StartElement:
			if len(stack) == 0 { // the Document
				stack = append(stack, open{})
				continue
			}
			parent := &stack[len(stack)-1]
			name := t.Name.Local
			one, read := once[parent.path][name]
			shown := joinElem(parent.shown, name)
			if read {
				if parent.seen == nil {
					parent.seen = map[string]int{}
				}
				parent.seen[name]++
				if !one {
					shown += "[" + strconv.Itoa(parent.seen[name]) + "]"
				} else if parent.seen[name] == 2 {
					line, _ := dec.InputPos()
					return line, shown, fmt.Sprintf("%s is given twice in %s; the message allows one, and payout would not know which the bank meant", name, elemName(parent.path))
				}
			}
			stack = append(stack, open{path: joinElem(parent.path, name), shown: shown})
		case xml.EndElement:
			stack = stack[:len(stack)-1]
		}
	}
}

// elemName is the last name of a path; the Document for the root.
func elemName(path string) string {
	if path == "" {
		return "Document"
	}
	return path[strings.LastIndexByte(path, '/')+1:]
}
