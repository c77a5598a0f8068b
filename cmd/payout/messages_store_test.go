package main

import (
	"go/ast"
	"go/parser"
	"go/token"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// Every refusal of payout/store has a catalogue row: the format given to
// refusef is a literal (so it can be found) and is a key here.
func TestStoreRefusalsInCatalogue(t *testing.T) {
	keys := map[string]bool{}
	for _, r := range catRows {
		keys[r.en] = true
	}
	fset := token.NewFileSet()
	pkgs, err := parser.ParseDir(fset, "../../payout/store", func(fi fs.FileInfo) bool {
		return !strings.HasSuffix(fi.Name(), "_test.go")
	}, 0)
	require.NoError(t, err)
	found := 0
	for _, pkg := range pkgs {
		for _, f := range pkg.Files {
			ast.Inspect(f, func(n ast.Node) bool {
				call, ok := n.(*ast.CallExpr)
				if !ok || callName(call) != "refusef" || len(call.Args) < 2 {
					return true
				}
				pos := fset.Position(call.Pos())
				s, ok := stringLit(call.Args[1])
				switch {
				case !ok:
					t.Errorf("%s: refusef's format is not a literal, so the catalogue cannot hold it", pos)
				case !keys[s]:
					t.Errorf("%s: refusal %q has no row in messages_store.go", pos, s)
				default:
					found++
				}
				return true
			})
		}
	}
	assert.Greater(t, found, 20, "the store's refusals were not found")
}

// A store refusal reads in bokmål where Main prints it, its times in Oslo's
// time, and stays English (UTC stamps) in Error() and matchable by errors.Is.
func TestStoreRefusalInBokmal(t *testing.T) {
	at := time.Date(2022, 11, 3, 9, 30, 0, 0, time.UTC)
	err := store.AlreadyReleased(&store.Run{Period: payout.MustPeriod("2022-11"), Release: &store.Release{
		ReleasedAt: at, ReleasedBy: store.Actor{UID: 1001, Name: "per"}, ManifestSHA256: strings.Repeat("ab", 32)}})
	assert.ErrorIs(t, err, store.ErrAlreadyReleased)
	assert.Contains(t, err.Error(), "released at 2022-11-03T09:30:00Z by per")
	assert.Contains(t, localize(bokmal, err), "2022-11 ble frigitt 2022-11-03 10:30 CET av per")
}
