package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestDefaultDebtorIsValid(t *testing.T) {
	p := DefaultPolicy()
	require.True(t, ValidAccount(p.Debtor.Account), p.Debtor.Account)
	require.True(t, ValidOrgNr(p.Debtor.OrgNr), p.Debtor.OrgNr)
}
