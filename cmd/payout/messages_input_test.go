package main

import (
	"bytes"
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// problemFuncs make an input problem (or a part of one) from a format: the
// index of the format among their arguments.
var problemFuncs = map[string]int{"failf": 2, "errAtf": 4, "fileErrf": 2, "tooLargef": 2, "Problemf": 1, "Textf": 0, "SourceErrorf": 3}

// Every input problem the importers and the engine make has a catalogue
// row (see formatSites).
func TestInputProblemsInCatalogue(t *testing.T) {
	n := formatSites(t, problemFuncs, "messages_input.go", "../../importers", "../../payout")
	assert.Greater(t, n, 80, "the input problems were not found")
}

// formatSites checks every call of funcs (name → index of the format) in
// the packages of dirs: its format is a literal or a package constant and
// a key of the catalogue (a row in file). A format passed on from a
// parameter (a constructor's own, named format or msg) is not a site. It
// returns how many sites it found.
func formatSites(t *testing.T, funcs map[string]int, file string, dirs ...string) int {
	keys := map[string]bool{}
	for _, r := range catRows {
		keys[r.en] = true
	}
	found := 0
	for _, dir := range dirs {
		fset := token.NewFileSet()
		pkgs, err := parser.ParseDir(fset, dir, func(fi fs.FileInfo) bool { return !strings.HasSuffix(fi.Name(), "_test.go") }, 0)
		require.NoError(t, err)
		for _, pkg := range pkgs {
			consts := packageStrings(pkg)
			for _, f := range pkg.Files {
				ast.Inspect(f, func(n ast.Node) bool {
					call, ok := n.(*ast.CallExpr)
					if !ok {
						return true
					}
					i, ok := funcs[callName(call)]
					if !ok || len(call.Args) <= i {
						return true
					}
					pos := fset.Position(call.Pos())
					format, ok := stringLit(call.Args[i])
					if id, isIdent := call.Args[i].(*ast.Ident); isIdent {
						format, ok = consts[id.Name]
						if !ok && (id.Name == "format" || id.Name == "msg") {
							return true
						}
					}
					switch {
					case !ok:
						t.Errorf("%s: %s's format is not a literal or constant, so the catalogue cannot hold it", pos, callName(call))
					case !keys[format]:
						t.Errorf("%s: %q has no row in %s", pos, format, file)
					default:
						found++
					}
					return true
				})
			}
		}
	}
	return found
}

// packageStrings are a package's string constants by name.
func packageStrings(pkg *ast.Package) map[string]string {
	out := map[string]string{}
	for _, f := range pkg.Files {
		for _, d := range f.Decls {
			gd, ok := d.(*ast.GenDecl)
			if !ok || gd.Tok != token.CONST {
				continue
			}
			for _, spec := range gd.Specs {
				vs := spec.(*ast.ValueSpec)
				for i, name := range vs.Names {
					if i < len(vs.Values) {
						if s, ok := stringLit(vs.Values[i]); ok {
							out[name.Name] = s
						}
					}
				}
			}
		}
	}
	return out
}

// A broken input file read with a Norwegian locale: every problem in
// bokmål, with the place (file, line, column) and the quoted values as
// they are, and the cap line on a systematic mistake translated too.
func TestInputProblemsInBokmal(t *testing.T) {
	dir := copyInputs(t, "../../fixtures/oslo", func(name string, data []byte) []byte {
		if name != "list_counts.csv" {
			return data
		}
		lines := strings.Split(string(data), "\n")
		for i := 1; i < len(lines) && i <= 30; i++ {
			if lines[i] != "" {
				cells := strings.Split(lines[i], ",")
				cells[1] = "01.13.2022" // no 13th month, in every row
				lines[i] = strings.Join(cells, ",")
			}
		}
		return []byte(strings.Join(lines, "\n"))
	})
	var out, errb bytes.Buffer
	env := testEnv(&out, &errb)
	env.Lang = bokmal
	code := Main(context.Background(), env, []string{"check", "--fixtures", dir})
	assert.Equal(t, 1, code)
	assert.Contains(t, errb.String(), `list_counts.csv:2 (as_of): "2022-13-01" er ikke en dato (forventet ÅÅÅÅ-MM-DD)`)
	assert.Contains(t, errb.String(), "… og 10 feil til av samme slag (ikke en dato), ikke vist; rett dem over og kontroller på nytt")
	assert.NotContains(t, errb.String(), "is not a date")

	var en bytes.Buffer
	env = testEnv(&out, &en)
	require.Equal(t, 1, Main(context.Background(), env, []string{"check", "--fixtures", dir}))
	assert.Contains(t, en.String(), `list_counts.csv:2 (as_of): "2022-13-01" is not a date (expected YYYY-MM-DD)`)
}
