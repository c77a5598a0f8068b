package main

import (
	"bytes"
	"context"
	"flag"
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every catalogue row has both languages, once, with the same verbs.
func TestCatalogueRows(t *testing.T) {
	seen := map[string]bool{}
	for _, r := range catRows {
		assert.False(t, seen[r.en], "message registered twice: %q", r.en)
		seen[r.en] = true
		assert.NotEmpty(t, strings.TrimSpace(r.en), "empty English text")
		assert.NotEmpty(t, strings.TrimSpace(r.nb), "no bokmål for %q", r.en)
		assert.Equal(t, verbs(r.en), verbs(r.nb), "verbs differ between %q and %q", r.en, r.nb)
	}
}

var verbRE = regexp.MustCompile(`%(\[\d+\])?[-+# 0]*\d*(\.\d+)?[a-zA-Z%]`)

// verbs lists a format's verbs as argument index and verb, sorted, so an
// indexed translation (%[2]s … %[1]s) matches the plain English order.
func verbs(format string) []string {
	var out []string
	next := 1
	for _, v := range verbRE.FindAllStringSubmatch(format, -1) {
		if strings.HasSuffix(v[0], "%%") {
			continue
		}
		i := next
		if v[1] != "" {
			i, _ = strconv.Atoi(strings.Trim(v[1], "[]"))
		}
		next = i + 1
		verb := v[0][len(v[0])-1:]
		if verb == "w" {
			verb = "v"
		}
		out = append(out, strconv.Itoa(i)+verb)
	}
	sort.Strings(out)
	return out
}

// catalogueFuncs take a catalogue key as their first argument.
var catalogueFuncs = map[string]bool{"usagef": true, "errorf": true, "tr": true, "outf": true, "errf": true}

// fmtFuncs write or make text; a sentence given to them bypasses the catalogue.
var fmtFuncs = map[string]bool{
	"fmt.Print": true, "fmt.Printf": true, "fmt.Println": true, "fmt.Fprint": true, "fmt.Fprintf": true,
	"fmt.Fprintln": true, "fmt.Sprintf": true, "fmt.Sprint": true, "fmt.Sprintln": true, "fmt.Errorf": true,
	"errors.New": true,
}

var wordRE = regexp.MustCompile(`[A-Za-zæøåÆØÅ]{2,}`)

// notSentences are literals given to fmt that hold letters but are not
// sentences for a person (a terminal escape, the version line's form).
var notSentences = map[string]bool{
	"payout %s (engine %s)": true,
}

// Every sentence of the command line goes through the catalogue: each
// literal key the code gives a catalogue function has a row, and no fmt
// print or error of cmd/payout holds a literal sentence.
func TestCatalogueCoversTheCode(t *testing.T) {
	keys := map[string]bool{}
	for _, r := range catRows {
		keys[r.en] = true
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, ".", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok {
					return true
				}
				name := callName(call)
				pos := fset.Position(call.Pos())
				switch {
				case catalogueFuncs[name] && len(call.Args) > 0:
					if s, ok := stringLit(call.Args[0]); ok {
						if !keys[s] {
							t.Errorf("%s: %s(%q) has no catalogue row", pos, name, s)
						}
					}
				case fmtFuncs[name]:
					for _, a := range call.Args {
						if s, ok := stringLit(a); ok && wordRE.MatchString(s) && !notSentences[s] && !commandLine(s) {
							t.Errorf("%s: %s(%q) bypasses the catalogue (messages.go)", pos, name, s)
						}
					}
				}
				return true
			})
		}
	}
}

// commandLine is a literal that is a command line to type, not a sentence.
func commandLine(s string) bool {
	return strings.HasPrefix(s, "payout ") || strings.HasPrefix(s, "'payout ")
}

func callName(call *ast.CallExpr) string {
	switch fn := call.Fun.(type) {
	case *ast.Ident:
		return fn.Name
	case *ast.SelectorExpr:
		if pkg, ok := fn.X.(*ast.Ident); ok && (pkg.Name == "fmt" || pkg.Name == "errors") {
			return pkg.Name + "." + fn.Sel.Name
		}
		return fn.Sel.Name
	}
	return ""
}

func stringLit(e ast.Expr) (string, bool) {
	lit, ok := e.(*ast.BasicLit)
	if !ok || lit.Kind != token.STRING {
		return "", false
	}
	s, err := strconv.Unquote(lit.Value)
	return s, err == nil
}

// Each command's summary, flag usages and required line are catalogue
// messages, and its help has a synopsis with double-dash flags and an
// example.
func TestCommandHelpTexts(t *testing.T) {
	keys := map[string]bool{}
	for _, r := range catRows {
		keys[r.en] = true
	}
	for _, c := range commands {
		env := testEnv(&bytes.Buffer{}, &bytes.Buffer{})
		assert.True(t, keys[c.summary], "%s: summary %q has no catalogue row", c.name, c.summary)
		cmd := c.new(env)
		b := commandBase(cmd)
		require.NotNil(t, b, c.name)
		b.fs.VisitAll(func(f *flag.Flag) {
			assert.True(t, keys[f.Usage], "%s --%s: usage %q has no catalogue row", c.name, f.Name, f.Usage)
		})
		require.NotEmpty(t, b.help.synopsis, "%s: no synopsis", c.name)
		for _, s := range b.help.synopsis {
			assert.True(t, strings.HasPrefix(s, "payout "+c.name), "%s: synopsis %q", c.name, s)
			assert.NotRegexp(t, `(^|\s)\[?-[a-z]`, s, "%s: single-dash flag in %q", c.name, s)
		}
		assert.True(t, strings.HasPrefix(b.help.example, "payout "+c.name+" "), "%s: example %q", c.name, b.help.example)
		if b.help.required != "" {
			assert.True(t, keys[b.help.required], "%s: required %q has no catalogue row", c.name, b.help.required)
		}
	}
}

// commandBase is the base a command embeds.
func commandBase(c command) *base {
	if b, ok := c.(interface{ commandBase() *base }); ok {
		return b.commandBase()
	}
	return nil
}

func testEnv(out, errb *bytes.Buffer) *Env {
	return &Env{Stdout: out, Stderr: errb, Now: func() time.Time { return time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC) }}
}

// The locale decides the language: LC_ALL before LC_MESSAGES before LANG,
// nb, nn and no are bokmål, anything else English.
func TestLocaleLanguage(t *testing.T) {
	tests := []struct {
		name string
		env  map[string]string
		want string
	}{
		{"nothing set", nil, "en"},
		{"LANG nb", map[string]string{"LANG": "nb_NO.UTF-8"}, "nb"},
		{"LANG nn", map[string]string{"LANG": "nn_NO.UTF-8"}, "nb"},
		{"LANG no", map[string]string{"LANG": "no_NO@euro"}, "nb"},
		{"LANG C", map[string]string{"LANG": "C.UTF-8"}, "en"},
		{"LC_MESSAGES over LANG", map[string]string{"LANG": "nb_NO.UTF-8", "LC_MESSAGES": "en_GB.UTF-8"}, "en"},
		{"LC_ALL over both", map[string]string{"LANG": "en_US.UTF-8", "LC_MESSAGES": "en_US.UTF-8", "LC_ALL": "nb_NO.UTF-8"}, "nb"},
		{"empty LC_ALL is unset", map[string]string{"LC_ALL": "", "LANG": "nb_NO"}, "nb"},
		{"sv is not Norwegian", map[string]string{"LANG": "sv_SE.UTF-8"}, "en"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := localeLanguage(func(k string) string { return tt.env[k] })
			base, _ := got.Base()
			assert.Equal(t, tt.want, base.String())
		})
	}
}

// A usage error in bokmål: one line and the hint, both translated.
func TestUsageErrorInBokmal(t *testing.T) {
	var out, errb bytes.Buffer
	env := testEnv(&out, &errb)
	env.Lang = bokmal
	code := Main(context.Background(), env, []string{"run", "--no-such-flag"})
	assert.Equal(t, 2, code)
	assert.Equal(t, "payout run: ukjent flagg --no-such-flag\nPrøv: payout run -h\n", errb.String())
}

// Help in bokmål: labels, summary and flag texts translated, the command
// lines and flag names as they are typed.
func TestHelpInBokmal(t *testing.T) {
	var out, errb bytes.Buffer
	env := testEnv(&out, &errb)
	env.Lang = bokmal
	require.Equal(t, 0, Main(context.Background(), env, []string{"help", "run"}))
	help := out.String()
	assert.True(t, strings.HasPrefix(help, "Bruk: payout run --period P"), help)
	assert.Contains(t, help, "\nberegn en periode og skriv kontrollfilene")
	assert.Contains(t, help, "\nPåkrevd: --period, og --fixtures eller --db\n")
	assert.Contains(t, help, "  --fixtures DIR     fixturmappen det beregnes fra (uten --db)\n")
	assert.Contains(t, help, "\nEksempel:\n  payout run --period 2022-12 ")
}

// An error made through the catalogue is English in Error() and in the
// user's language where Main prints it, with a wrapped catalogue error
// translated too and errors.Is seeing through both.
func TestCatalogueErrors(t *testing.T) {
	inner := errorf("cannot write %s: %w", "x.xlsx", fs.ErrPermission)
	err := errorf("%s: %w", "out", inner)
	assert.Equal(t, "out: cannot write x.xlsx: permission denied", err.Error())
	assert.Equal(t, "out: kan ikke skrive x.xlsx: permission denied", localize(bokmal, err))
	assert.ErrorIs(t, err, fs.ErrPermission)
}
