package payout

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A physiotherapist's rules cite the driftsavtale regulations; a GP's their
// own clause; a joined list gives its distinct clauses.
func TestClauseFor(t *testing.T) {
	assert.Equal(t, "Rammeavtalen §8.4", ClauseFor(RBase, SchemeFastlege))
	assert.Equal(t, FysioRegulations, ClauseFor(RBase, SchemeFysio))
	assert.Equal(t, FysioRegulations, ClauseFor(RSick, SchemeFysio))
	assert.Equal(t, FysioRegulations, ClauseFor(RFysio, SchemeFysio))
	assert.Equal(t, "Rammeavtalen §13.4", ClauseFor(RSick+";"+RCap, SchemeFastlege))
	assert.Equal(t, "Rammeavtalen §13.4; Rammeavtalen §14", ClauseFor(RSick+";"+RVikar, SchemeFastlege))
	assert.Equal(t, "Rulebook §6", ClauseFor(RCarry, SchemeFysio))
	assert.Equal(t, "", ClauseFor("", SchemeFysio))
}
