package excel

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"errors"
	"fmt"
	"io"
	"path"
	"strings"
)

// errUnusual is a workbook scanNumbers leaves to excelize.
var errUnusual = errors.New("a workbook scanNumbers does not read")

// scanNumbers is Numbers by scanning each sheet's XML for its cells:
// excelize reads a whole sheet into structs to tell a cell's type, ten
// times the work, and verify of an older folder reads every workbook of
// the folder and of the re-run.
func scanNumbers(data []byte) (map[string]map[string]string, error) {
	zr, err := zip.NewReader(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return nil, err
	}
	files := map[string]*zip.File{}
	for _, f := range zr.File {
		files[f.Name] = f
	}
	sheets, err := workbookSheets(files)
	if err != nil {
		return nil, err
	}
	out := make(map[string]map[string]string, len(sheets))
	for _, s := range sheets {
		f := files[s.part]
		if f == nil {
			return nil, errUnusual
		}
		xml, err := readZipped(f)
		if err != nil {
			return nil, err
		}
		cells, err := sheetNumbers(xml)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", s.name, err)
		}
		out[s.name] = cells
	}
	return out, nil
}

type sheetRef struct{ name, part string }

// workbookSheets are the workbook's worksheets in order, with their
// parts, from xl/workbook.xml and its relationships.
func workbookSheets(files map[string]*zip.File) ([]sheetRef, error) {
	var wb struct {
		Sheets []struct {
			Name string `xml:"name,attr"`
			RID  string `xml:"http://schemas.openxmlformats.org/officeDocument/2006/relationships id,attr"`
		} `xml:"sheets>sheet"`
	}
	var rels struct {
		Rel []struct {
			ID     string `xml:"Id,attr"`
			Target string `xml:"Target,attr"`
		} `xml:"Relationship"`
	}
	// In a fixed order, so a workbook with both parts broken gets the
	// same error every time.
	for _, part := range []struct {
		name string
		v    any
	}{{"xl/workbook.xml", &wb}, {"xl/_rels/workbook.xml.rels", &rels}} {
		name, v := part.name, part.v
		f := files[name]
		if f == nil {
			return nil, errUnusual
		}
		raw, err := readZipped(f)
		if err != nil {
			return nil, err
		}
		if err := xml.Unmarshal(raw, v); err != nil {
			return nil, err
		}
	}
	targets := map[string]string{}
	for _, r := range rels.Rel {
		t := r.Target
		if strings.HasPrefix(t, "/") {
			t = strings.TrimPrefix(t, "/")
		} else {
			t = path.Join("xl", t)
		}
		targets[r.ID] = t
	}
	out := make([]sheetRef, 0, len(wb.Sheets))
	for _, s := range wb.Sheets {
		t, ok := targets[s.RID]
		if !ok || !strings.HasPrefix(t, "xl/worksheets/") {
			return nil, errUnusual // a chart sheet, or a part we cannot find
		}
		out = append(out, sheetRef{s.Name, t})
	}
	return out, nil
}

func readZipped(f *zip.File) ([]byte, error) {
	rc, err := f.Open()
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	return io.ReadAll(rc)
}

// sheetNumbers scans a worksheet's XML for its cells <c r="…" t="…"> and
// keeps the <v> of each whose type is a number's (none, n) or a date's
// (d), as excelize's RawCellValue reads it. In XML a < starts markup
// except in CDATA and comments, which it refuses, as every other shape it
// does not expect (errUnusual).
func sheetNumbers(x []byte) (map[string]string, error) {
	if bytes.Contains(x, []byte("<![CDATA[")) || bytes.Contains(x, []byte("<!--")) || !bytes.Contains(x, []byte("<worksheet")) {
		return nil, errUnusual
	}
	cells := map[string]string{}
	for {
		i := bytes.Index(x, []byte("<c"))
		if i < 0 {
			return cells, nil
		}
		x = x[i+2:]
		if len(x) == 0 {
			return nil, errUnusual
		}
		if b := x[0]; b != ' ' && b != '>' && b != '/' && b != '\t' && b != '\n' && b != '\r' {
			continue // <cols>, <col>, <colBreaks>, …
		}
		end := bytes.IndexByte(x, '>')
		if end < 0 {
			return nil, errUnusual
		}
		tag := x[:end]
		x = x[end+1:]
		ref, typ, ok := cellAttrs(tag)
		if !ok {
			return nil, errUnusual
		}
		if bytes.HasSuffix(tag, []byte("/")) {
			continue // an empty cell
		}
		close := bytes.Index(x, []byte("</c>"))
		if close < 0 {
			return nil, errUnusual
		}
		body := x[:close]
		x = x[close+4:]
		if bytes.Contains(body, []byte("<c")) {
			return nil, errUnusual // </c > or the like: not one cell's body
		}
		if typ != "" && typ != "n" && typ != "d" {
			continue
		}
		v, ok := cellValue(body)
		if !ok {
			return nil, errUnusual
		}
		if v != "" {
			cells[ref] = v
		}
	}
}

// cellAttrs reads a cell tag's r and t attributes.
func cellAttrs(tag []byte) (ref, typ string, ok bool) {
	s := string(bytes.TrimSuffix(tag, []byte("/")))
	for {
		s = strings.TrimLeft(s, " \t\r\n")
		if s == "" {
			return ref, typ, ref != ""
		}
		eq := strings.IndexByte(s, '=')
		if eq < 0 || eq+1 >= len(s) {
			return "", "", false
		}
		name := strings.TrimSpace(s[:eq])
		rest := strings.TrimLeft(s[eq+1:], " \t\r\n")
		if rest == "" || rest[0] != '"' && rest[0] != '\'' {
			return "", "", false
		}
		endq := strings.IndexByte(rest[1:], rest[0])
		if endq < 0 {
			return "", "", false
		}
		val := rest[1 : 1+endq]
		if strings.ContainsRune(val, '&') {
			return "", "", false
		}
		switch name {
		case "r":
			ref = val
		case "t":
			typ = val
		}
		s = rest[2+endq:]
	}
}

// cellValue is the text of a cell body's <v> element ("" when it has
// none).
func cellValue(body []byte) (string, bool) {
	i := bytes.Index(body, []byte("<v"))
	for i >= 0 && i+2 < len(body) && body[i+2] != '>' && body[i+2] != ' ' && body[i+2] != '/' {
		j := bytes.Index(body[i+2:], []byte("<v"))
		if j < 0 {
			i = -1
			break
		}
		i += 2 + j
	}
	if i < 0 {
		return "", true
	}
	body = body[i+2:]
	open := bytes.IndexByte(body, '>')
	if open < 0 {
		return "", false
	}
	if open > 0 && body[open-1] == '/' {
		return "", true // <v/>
	}
	body = body[open+1:]
	end := bytes.Index(body, []byte("</v>"))
	if end < 0 || bytes.IndexByte(body[:end], '&') >= 0 || bytes.IndexByte(body[:end], '<') >= 0 {
		return "", false
	}
	return string(body[:end]), true
}
