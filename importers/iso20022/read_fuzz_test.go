package iso20022

import (
	"errors"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout"
)

// FuzzRead: for any bytes, no panic; a report or a bounded list of problems
// naming the file, never both; the same answer twice. Seeded from the
// corpus; crashers are kept in testdata/fuzz/FuzzRead.
func FuzzRead(f *testing.F) {
	paths, _ := filepath.Glob("testdata/corpus/*.xml")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(status(`<OrgnlGrpInfAndSts><OrgnlMsgId>M</OrgnlMsgId><GrpSts>RJCT</GrpSts></OrgnlGrpInfAndSts>`)))
	f.Fuzz(func(t *testing.T, data []byte) {
		rep, err := Read("r.xml", data)
		if err == nil {
			require.NotNil(t, rep)
			require.Equal(t, "r.xml", rep.File)
			require.Len(t, rep.SHA256, 64)
			return
		}
		require.Nil(t, rep)
		var list payout.ErrorList
		require.True(t, errors.As(err, &list))
		require.NotEmpty(t, list)
		require.LessOrEqual(t, len(list), MaxProblems+1)
		for _, e := range list {
			require.Equal(t, "r.xml", e.File)
			require.NotEmpty(t, e.Message())
		}
		_, again := Read("r.xml", data)
		require.Equal(t, err.Error(), again.Error())
	})
}
