package manifest

import (
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDigest(t *testing.T) {
	for _, tc := range []struct {
		name, data, sha string
	}{
		{"empty.csv", "", "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"},
		{"abc.csv", "abc", "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"},
	} {
		f := Digest(tc.name, []byte(tc.data))
		assert.Equal(t, File{Name: tc.name, SHA256: tc.sha, Bytes: int64(len(tc.data))}, f)
	}
}

func TestMarshalRoundTripAndStableBytes(t *testing.T) {
	m := &Manifest{Period: "2015-04", AsOf: "2015-04-28", PaymentDate: "2015-04-28", EngineVersion: payout.EngineVersion,
		Policy: payout.DefaultPolicy(), Outputs: []File{{Name: "lines.csv", SHA256: "ab", Bytes: 2, Rows: 1}},
		Release: &Release{ReleasedAt: "2015-04-21T08:15:00Z", MsgID: "PAYOUT-OSLO-2015-04"}}
	a, err := m.Marshal()
	require.NoError(t, err)
	back, err := Unmarshal(a)
	require.NoError(t, err)
	b, err := back.Marshal()
	require.NoError(t, err)
	assert.Equal(t, string(a), string(b))
	assert.Equal(t, byte('\n'), a[len(a)-1])
	assert.Equal(t, "ab", back.Output("lines.csv").SHA256)
	assert.Nil(t, back.Output("report.xlsx"))
}
