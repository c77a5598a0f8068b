package importers

import (
	"errors"
	"io"
	"os"
	"path/filepath"
	"testing"
	"testing/iotest"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// piecesOf opens a reader of data that gives at most n bytes per read, as
// the store's reader of a file's pieces gives a piece at a time.
func piecesOf(data []byte, n int) func() io.Reader {
	return func() io.Reader {
		return iotest.HalfReader(&limitedReads{data: data, n: n})
	}
}

type limitedReads struct {
	data []byte
	n    int
}

func (r *limitedReads) Read(p []byte) (int, error) {
	if len(r.data) == 0 {
		return 0, io.EOF
	}
	k := copy(p[:min(len(p), r.n)], r.data)
	r.data = r.data[k:]
	return k, nil
}

// A file read from a reader (the store's, a piece at a time) gives exactly
// what ReadFile gives of its bytes, records or problems, whatever the hint
// of its lines: every valid, broken and XLSX test file and the Oslo data.
func TestReadStoredIsReadFile(t *testing.T) {
	var paths []string
	for _, glob := range []string{"../fixtures/oslo/*", "testdata/valid/*", "testdata/xlsx/*", "testdata/broken/*/*"} {
		found, err := filepath.Glob(glob)
		require.NoError(t, err)
		paths = append(paths, found...)
	}
	require.Greater(t, len(paths), 50)
	for _, path := range paths {
		data, err := os.ReadFile(path)
		require.NoError(t, err)
		want, wantErr := ReadFile(path, data)
		for _, lines := range []int{1, len(data)/2 + 1} {
			got, err := ReadStored(path, int64(len(data)), lines, piecesOf(data, 7))
			if wantErr != nil {
				require.Error(t, err, path)
				assert.Equal(t, wantErr.Error(), err.Error(), path)
				continue
			}
			require.NoError(t, err, path)
			assert.Equal(t, want, got, path)
		}
	}
}

// A reader that fails is the error ReadStored returns, not a problem of
// the file's.
func TestReadStoredReaderFails(t *testing.T) {
	data, err := os.ReadFile("../fixtures/oslo/list_counts.csv")
	require.NoError(t, err)
	broken := errors.New("the store is gone")
	for _, name := range []string{"list_counts.csv", "list_counts.xlsx"} {
		_, err = ReadStored(name, int64(len(data)), 100, func() io.Reader {
			return io.MultiReader(&limitedReads{data: data[:5000], n: 1000}, iotest.ErrReader(broken))
		})
		require.ErrorIs(t, err, broken, name)
	}
}
