package excel_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/payout/bank/fixture"
)

// The Bankavstemming sheet as a CSV dump; two renders are byte-identical.
func TestBankGolden(t *testing.T) {
	r := fixture.Ledger().Reconcile(fixture.Period)
	data, err := excel.Bank(r)
	require.NoError(t, err)
	again, err := excel.Bank(r)
	require.NoError(t, err)
	assert.Equal(t, data, again)
	dumps, err := excel.Dump(data)
	require.NoError(t, err)
	require.Len(t, dumps, 1)
	assert.Equal(t, excel.SheetBank, dumps[0].Name)
	path := filepath.Join("testdata", "bank", excel.SheetBank+".csv")
	if *update {
		require.NoError(t, os.MkdirAll(filepath.Dir(path), 0o755))
		require.NoError(t, os.WriteFile(path, dumps[0].CSV, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(dumps[0].CSV))
}
