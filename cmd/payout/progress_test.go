package main

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

func TestProgressOnlyOnATerminalAfterTwoSeconds(t *testing.T) {
	var buf bytes.Buffer
	p := &progress{env: &Env{}, w: &buf, on: false, start: time.Now().Add(-time.Minute)}
	p.Stage("computing")
	p.Count(1, 2)
	p.Done()
	require.Empty(t, buf.String(), "nothing when stderr is not a terminal")

	p = &progress{env: &Env{}, w: &buf, on: true, start: time.Now()}
	p.Stage("computing")
	require.Empty(t, buf.String(), "nothing in the first two seconds")

	p = &progress{env: &Env{}, w: &buf, on: true, start: time.Now().Add(-3 * time.Second)}
	p.Stage("computing")
	p.Count(2, 2)
	require.Contains(t, buf.String(), "computing: 2 of 2")
	p.Done()
	require.Contains(t, buf.String(), "\r\033[K")
}
