package iso20022

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/bank"
)

// Limits of one file.
const (
	MaxSize     = 32 << 20 // bytes: a national month's pain.002 is a few MB
	MaxProblems = 50
)

// The namespaces read, and their kind.
var namespaces = map[string]bank.Kind{
	"urn:iso:std:iso:20022:tech:xsd:pain.002.001.03": bank.StatusReport,
	"urn:iso:std:iso:20022:tech:xsd:pain.002.001.10": bank.StatusReport,
	"urn:iso:std:iso:20022:tech:xsd:camt.054.001.02": bank.Notification,
	"urn:iso:std:iso:20022:tech:xsd:camt.054.001.08": bank.Notification,
}

const nsPrefix = "urn:iso:std:iso:20022:tech:xsd:"

// Read reads one bank message. name is the file's path as given; errors
// name its base name.
func Read(name string, data []byte) (*bank.Report, error) {
	file := filepath.Base(name)
	if len(data) > MaxSize {
		return nil, fail(file, 0, "", fmt.Sprintf("is %d bytes; a bank report of payout's files is at most %d MB: is this the right file?", len(data), MaxSize>>20))
	}
	dec := xml.NewDecoder(bytes.NewReader(data))
	dec.Strict = true
	start, at, err := root(dec)
	if err != nil {
		return nil, fail(file, at, "", err.Error())
	}
	kind, ok := namespaces[start.Name.Space]
	if start.Name.Local != "Document" || !ok {
		return nil, fail(file, line(dec), start.Name.Local, fmt.Sprintf(
			"the root element is %s in namespace %q: payout reads pain.002.001.03/.001.10 and camt.054.001.02/.001.08 (Document in their ISO 20022 namespace)",
			start.Name.Local, start.Name.Space))
	}
	once := onceStatus
	if kind == bank.Notification {
		once = onceNotification
	}
	if at, elem, msg := onceProblem(data, once); at > 0 {
		return nil, fail(file, at, elem, msg)
	}
	r := &reader{file: file, rep: &bank.Report{File: file, Kind: kind, Version: strings.TrimPrefix(start.Name.Space, nsPrefix)}}
	if kind == bank.StatusReport {
		var doc statusDoc
		if err := decode(dec, &doc, &start); err != nil {
			return nil, fail(file, line(dec), "", err.Error())
		}
		r.statusReport(&doc)
	} else {
		var doc notificationDoc
		if err := decode(dec, &doc, &start); err != nil {
			return nil, fail(file, line(dec), "", err.Error())
		}
		r.notification(&doc)
	}
	if err := r.errs.Err(); err != nil {
		return nil, r.bounded()
	}
	sum := sha256.Sum256(data)
	r.rep.SHA256 = hex.EncodeToString(sum[:])
	return r.rep, nil
}

// root reads up to the first element, refusing a DOCTYPE; on error it
// gives the line where the offending token starts.
func root(dec *xml.Decoder) (xml.StartElement, int, error) {
	for {
		before := line(dec)
		tok, err := dec.Token()
		if err == io.EOF {
			return xml.StartElement{}, 0, errors.New("holds no XML element: is it empty?")
		}
		if err != nil {
			return xml.StartElement{}, line(dec), xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return t, 0, nil
		case xml.Directive:
			return xml.StartElement{}, before, errors.New("holds a DOCTYPE or other declaration, which a bank report never has; it is refused (it could declare entities)")
		case xml.CharData:
			if text := bytes.TrimLeft(t, " \t\r\n"); len(text) > 0 {
				leading := t[:len(t)-len(text)]
				return xml.StartElement{}, before + bytes.Count(leading, []byte("\n")), errors.New("holds text before the first element: not an XML document")
			}
		}
	}
}

// decode reads the document and makes sure nothing follows it.
func decode(dec *xml.Decoder, v any, start *xml.StartElement) error {
	if err := dec.DecodeElement(v, start); err != nil {
		return xmlError(err)
	}
	for {
		tok, err := dec.Token()
		if err == io.EOF {
			return nil
		}
		if err != nil {
			return xmlError(err)
		}
		switch t := tok.(type) {
		case xml.StartElement:
			return fmt.Errorf("a second element %s after the Document: one message per file", t.Name.Local)
		case xml.CharData:
			if len(bytes.TrimSpace(t)) > 0 {
				return errors.New("text after the Document element")
			}
		case xml.Directive:
			return errors.New("a declaration after the Document element")
		}
	}
}

// xmlError words the decoder's error without its line (the caller names it).
func xmlError(err error) error {
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return fmt.Errorf("not well-formed XML: %s", se.Msg)
	}
	return fmt.Errorf("not readable as XML: %v", strings.TrimPrefix(err.Error(), "xml: "))
}

func line(dec *xml.Decoder) int {
	l, _ := dec.InputPos()
	return l
}

func fail(file string, line int, element, msg string) error {
	return payout.ErrorList{&payout.InputError{File: file, Line: line, Column: element, Msg: msg, Err: payout.ErrInvalidInput}}
}
