package main

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/store"
)

// Every refusal of payout/store has a catalogue row: the format given to
// refusef is a literal (so it can be found) and is a key here.
func TestStoreRefusalsInCatalogue(t *testing.T) {
	n := formatSites(t, map[string]int{"refusef": 1}, "messages_store.go", "../../payout/store")
	assert.Greater(t, n, 20, "the store's refusals were not found")
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
