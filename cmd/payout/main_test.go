package main

import (
	"bytes"
	"context"
	"sort"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The command table: `payout help` lists it in order, so it stays sorted,
// each name once, and each command's flag set carries its table name (the
// name -h and the "Try:" hint print).
func TestCommandTable(t *testing.T) {
	var names []string
	seen := map[string]bool{}
	for _, c := range commands {
		assert.False(t, seen[c.name], "%s twice", c.name)
		seen[c.name] = true
		names = append(names, c.name)
		var errb bytes.Buffer
		env := &Env{Stdout: &bytes.Buffer{}, Stderr: &errb, Now: func() time.Time { return time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC) }}
		code := Main(context.Background(), env, []string{c.name, "-h"})
		assert.Equal(t, 0, code, c.name)
		require.NotEmpty(t, errb.String(), c.name)
		if c.name != "check" {
			assert.Contains(t, errb.String(), "Usage of "+c.name+":\n", c.name)
		}
	}
	assert.True(t, sort.StringsAreSorted(names), "table order %v", names)
}

// Usage errors exit 2 with one "Try:" line naming the command.
func TestUsageErrorHint(t *testing.T) {
	for _, c := range commands {
		var errb bytes.Buffer
		env := &Env{Stdout: &bytes.Buffer{}, Stderr: &errb, Now: func() time.Time { return time.Date(2022, 7, 20, 9, 0, 0, 0, time.UTC) }}
		code := Main(context.Background(), env, []string{c.name, "--no-such-flag"})
		assert.Equal(t, 2, code, c.name)
		assert.Contains(t, errb.String(), "\nTry: payout "+c.name+" -h\n", c.name)
	}
}
