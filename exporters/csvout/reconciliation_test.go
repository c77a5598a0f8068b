package csvout_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/csvout"
	"github.com/oslokommune/payout/payout/bank/fixture"
)

func TestReconciliationGolden(t *testing.T) {
	r := fixture.Ledger().Reconcile(fixture.Period)
	got, err := csvout.Reconciliation(r)
	require.NoError(t, err)
	path := filepath.Join("testdata", csvout.ReconciliationName)
	if *update {
		require.NoError(t, os.WriteFile(path, got, 0o644))
	}
	want, err := os.ReadFile(path)
	require.NoError(t, err)
	assert.Equal(t, string(want), string(got))
	assert.Contains(t, string(got), "'=Ola Hansen", "text is neutralised")
}
