// Command checkrender checks how workbooks print (make check-render,
// issue 15). Given the workbooks and a folder with the PDFs LibreOffice
// made of them (same base names), it reads each PDF's pages with
// pdftotext, assigns each page to its sheet by the footer the workbook
// sets (period, sheet name, "Side n av m"), prints the pages per sheet,
// and fails when
//   - a page of a sheet lacks the first or the last header of its row 1
//     (the sheet is more than one page wide: the header row repeats on
//     every page, so a page of the right-hand columns lacks the first);
//   - a Sum row is on a page without the last data row of its table;
//   - a district workbook of at most 70 lines takes more than 12 pages.
//
// Usage: checkrender --pdf DIR FILE.xlsx...
package main

import (
	"flag"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/xuri/excelize/v2"
)

func main() {
	pdfDir := flag.String("pdf", "", "folder of the PDFs")
	flag.Parse()
	failed := false
	for _, path := range flag.Args() {
		problems, err := check(path, filepath.Join(*pdfDir, strings.TrimSuffix(filepath.Base(path), ".xlsx")+".pdf"))
		if err != nil {
			fmt.Fprintf(os.Stderr, "%s: %v\n", path, err)
			os.Exit(2)
		}
		for _, p := range problems {
			fmt.Printf("  FAIL %s\n", p)
			failed = true
		}
	}
	if failed {
		os.Exit(1)
	}
	fmt.Println("check-render: every sheet one page wide, every Sum row with its table, district workbooks within 12 pages")
}

// sheet is what the check needs of one sheet: its row 1's first and last
// header, and per totals row the first cells of the data row above it.
type sheet struct {
	name        string
	first, last string
	sums        []string
}

func check(xlsx, pdf string) ([]string, error) {
	sheets, lines, err := readWorkbook(xlsx)
	if err != nil {
		return nil, err
	}
	pages, err := pdfPages(pdf)
	if err != nil {
		return nil, err
	}
	bySheet := map[string][]string{}
	var problems []string
	for i, p := range pages {
		name := footerSheet(p, sheets)
		if name == "" {
			problems = append(problems, fmt.Sprintf("%s: page %d has no footer naming its sheet", filepath.Base(xlsx), i+1))
			continue
		}
		bySheet[name] = append(bySheet[name], p)
	}
	var counts []string
	for _, s := range sheets {
		counts = append(counts, fmt.Sprintf("%s %d", s.name, len(bySheet[s.name])))
		problems = append(problems, checkSheet(filepath.Base(xlsx), s, bySheet[s.name])...)
	}
	fmt.Printf("%s: %d pages, %d lines (%s)\n", filepath.Base(xlsx), len(pages), lines, strings.Join(counts, ", "))
	if strings.HasPrefix(filepath.Base(xlsx), "bydel-") && lines <= 70 && len(pages) > 12 {
		problems = append(problems, fmt.Sprintf("%s: %d lines on %d pages (at most 12)", filepath.Base(xlsx), lines, len(pages)))
	}
	return problems, nil
}

// checkSheet: every page holds the header row whole, and the k-th Sum
// line of the sheet's pages shares its page with the row above it.
func checkSheet(wb string, s sheet, pages []string) []string {
	var problems []string
	for i, p := range pages {
		flat := squash(p)
		if !strings.Contains(flat, squash(s.first)) || !strings.Contains(flat, squash(s.last)) {
			problems = append(problems, fmt.Sprintf("%s %s: page %d of the sheet lacks header %q or %q: more than one page wide", wb, s.name, i+1, s.first, s.last))
		}
	}
	k := 0
	for i, p := range pages {
		for _, line := range strings.Split(p, "\n") {
			if k >= len(s.sums) || firstField(line) != "Sum" {
				continue
			}
			if !strings.Contains(squash(p), squash(s.sums[k])) {
				problems = append(problems, fmt.Sprintf("%s %s: Sum row %d is on page %d of the sheet, without its table's last row (%s)", wb, s.name, k+1, i+1, s.sums[k]))
			}
			k++
		}
	}
	if k < len(s.sums) {
		problems = append(problems, fmt.Sprintf("%s %s: %d of %d Sum rows found in the PDF", wb, s.name, k, len(s.sums)))
	}
	return problems
}

func readWorkbook(path string) ([]sheet, int, error) {
	f, err := excelize.OpenFile(path)
	if err != nil {
		return nil, 0, err
	}
	defer f.Close()
	var out []sheet
	lines := 0
	for _, name := range f.GetSheetList() {
		rows, err := f.GetRows(name)
		if err != nil {
			return nil, 0, err
		}
		s := sheet{name: name}
		if len(rows) > 0 && len(rows[0]) > 0 {
			s.first, s.last = rows[0][0], rows[0][len(rows[0])-1]
		}
		for r := 1; r < len(rows); r++ {
			if len(rows[r]) > 0 && rows[r][0] == "Sum" {
				s.sums = append(s.sums, key(rows[r-1]))
			}
		}
		if name == "Linjer" {
			lines = len(rows) - 2 // the header and the Sum row
		}
		out = append(out, s)
	}
	return out, lines, nil
}

// key is the first two non-empty cells of a row, as they print side by
// side.
func key(row []string) string {
	var cells []string
	for _, c := range row {
		if c != "" {
			cells = append(cells, c)
		}
		if len(cells) == 2 {
			break
		}
	}
	return strings.Join(cells, "")
}

// pdfPages is the text of each page (pdftotext separates pages by \f).
func pdfPages(pdf string) ([]string, error) {
	out, err := exec.Command("pdftotext", "-layout", pdf, "-").Output()
	if err != nil {
		return nil, fmt.Errorf("pdftotext %s: %w", pdf, err)
	}
	pages := strings.Split(string(out), "\f")
	if n := len(pages); n > 0 && strings.TrimSpace(pages[n-1]) == "" {
		pages = pages[:n-1]
	}
	return pages, nil
}

var fields = regexp.MustCompile(`\s{2,}`)

// footerSheet is the sheet named in the page's footer line (the last line
// with "Side n av m").
func footerSheet(page string, sheets []sheet) string {
	lines := strings.Split(page, "\n")
	for i := len(lines) - 1; i >= 0; i-- {
		if !strings.Contains(lines[i], "Side ") {
			continue
		}
		for _, f := range fields.Split(strings.TrimSpace(lines[i]), -1) {
			for _, s := range sheets {
				if f == s.name {
					return s.name
				}
			}
		}
	}
	return ""
}

func firstField(line string) string {
	return fields.Split(strings.TrimSpace(line), 2)[0]
}

func squash(s string) string { return strings.Join(strings.Fields(s), "") }
