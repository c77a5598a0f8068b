package store

import (
	"fmt"
	"io"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// piecesText is a list_counts file of many 16-byte pieces.
func piecesText() string {
	var b strings.Builder
	for i := range 12 {
		fmt.Fprintf(&b, "L%d,2022-01-01,%d\n", i+1, 2000+i)
	}
	return b.String()
}

// fakeStream is a StreamFunc over fakeParse: it reads the file through the
// reader in small reads, and leaves the digest to the store.
func fakeStream(name string, size int64, lines int, open func() io.Reader) (*payout.Inputs, error) {
	var data []byte
	r, buf := open(), make([]byte, 5)
	for {
		n, err := r.Read(buf)
		data = append(data, buf[:n]...)
		if err == io.EOF {
			break
		}
		if err != nil {
			return nil, err
		}
	}
	if int64(len(data)) != size || lines < 1 || lines > len(data)/2+1 {
		return nil, fmt.Errorf("read %d bytes of %d, %d lines", len(data), size, lines)
	}
	return fakeParse(name, data)
}

// openInPieces is openTest with a store that keeps files in pieces of 16
// bytes, read by stream (nil: read whole and parsed by fakeParse).
func openInPieces(t *testing.T, stream StreamFunc) *Store {
	s, _ := openTest(t)
	s.piece, s.stream = 16, stream
	importText(t, s, "list_counts.csv", piecesText())
	return s
}

// A file larger than a piece is stored in pieces (files.data the first)
// and read back, whole or streamed, as the file imported; status --check
// reads it too.
func TestFilesStoredInPieces(t *testing.T) {
	text := piecesText()
	whole, _ := openTest(t)
	importText(t, whole, "list_counts.csv", text)
	want, _, err := whole.Inputs()
	require.NoError(t, err)
	for _, stream := range []StreamFunc{nil, fakeStream} {
		s := openInPieces(t, stream)
		var head, pieces int
		require.NoError(t, s.db.Get(&head, `SELECT length(data) FROM files`))
		require.NoError(t, s.db.Get(&pieces, `SELECT count(*) FROM file_pieces`))
		assert.Equal(t, 16, head)
		assert.Equal(t, (len(text)-1)/16, pieces)
		in, _, err := s.Inputs()
		require.NoError(t, err)
		assert.Equal(t, want.ListCounts, in.ListCounts)
		rep, err := s.Check(nil)
		require.NoError(t, err)
		assert.Empty(t, rep.Problems)
		assert.Equal(t, 1, rep.Files)
	}
}

// Pieces are append-only, and a piece changed, removed, or added where
// one is missing is refused when the file is read, as a changed file is.
func TestPiecesRefuseChanges(t *testing.T) {
	s := openInPieces(t, fakeStream)
	for _, stmt := range []string{`UPDATE file_pieces SET data = data WHERE n = 1`, `DELETE FROM file_pieces WHERE n = 1`} {
		_, err := s.db.Exec(stmt)
		require.ErrorContains(t, err, "imported files are append-only", stmt)
	}
	piece := func(s *Store, n int) []byte {
		var data []byte
		require.NoError(t, s.db.Get(&data, `SELECT data FROM file_pieces WHERE n = ?`, n))
		return data
	}
	attacks := map[string]struct {
		change func(s *Store)
		says   string
	}{
		"piece changed": {func(s *Store) {
			changed := piece(s, 2)
			changed[0] ^= 1 // another character, the same length
			mustExec(t, s, `UPDATE file_pieces SET data = ? WHERE n = 2`, changed)
		}, "its content has SHA-256"},
		"piece removed": {func(s *Store) { mustExec(t, s, `DELETE FROM file_pieces WHERE n = 3`) }, "bytes, the import recorded"},
		"piece added": {func(s *Store) {
			mustExec(t, s, `INSERT INTO file_pieces (file_id, n, data) VALUES (1, 99, ?)`, []byte("L9,2022-01-01,9\n"))
		}, "bytes, the import recorded"},
		"piece renumbered": {func(s *Store) {
			data := piece(s, 2)
			mustExec(t, s, `DELETE FROM file_pieces WHERE n = 2`)
			mustExec(t, s, `INSERT INTO file_pieces (file_id, n, data) VALUES (1, 99, ?)`, data)
		}, "its piece 2 is missing"},
		"piece emptied": {func(s *Store) {
			data := piece(s, 2)
			mustExec(t, s, `UPDATE file_pieces SET data = ? WHERE n = 2`, []byte{})
			mustExec(t, s, `INSERT INTO file_pieces (file_id, n, data) VALUES (1, 99, ?)`, data)
		}, "its piece 2 is empty"},
	}
	for name, a := range attacks {
		for _, stream := range []StreamFunc{nil, fakeStream} {
			t.Run(fmt.Sprintf("%s/stream=%t", name, stream != nil), func(t *testing.T) {
				s := openInPieces(t, stream)
				dropTriggers(t, s)
				a.change(s)
				_, _, err := s.Inputs()
				require.ErrorIs(t, err, ErrInconsistent)
				assert.ErrorContains(t, err, "stored file list_counts.csv (id 1) is not the file imported")
				assert.ErrorContains(t, err, a.says)
				rep, err := s.Check(nil)
				require.NoError(t, err)
				assert.NotEmpty(t, rep.Problems)
				assert.Contains(t, strings.Join(rep.Problems, "\n"), a.says)
			})
		}
	}
}
