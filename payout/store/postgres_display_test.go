package store

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

// A --db value is shown without its secret: the password of a URL's user
// part or query is dropped, a file stays as it is.
func TestDisplayDB(t *testing.T) {
	assert.Equal(t, "postgres://kari@db.oslo.kommune.no/payout", DisplayDB("postgres://kari:hemmelig@db.oslo.kommune.no/payout"))
	assert.Equal(t, "postgresql://db/payout?sslmode=require", DisplayDB("postgresql://db/payout?password=hemmelig&sslmode=require"))
	assert.Equal(t, "/srv/payout/store.db", DisplayDB("/srv/payout/store.db"))
	assert.NotContains(t, DisplayDB("postgres://kari:p%40ss@h/x"), "p%40ss")
}
