package store

import (
	"testing"
	"time"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
)

// The statements are signed: their bytes, field by field and in order, are
// the contract with every signature already made. These pin them.
func TestStatementFieldsInOrder(t *testing.T) {
	at := time.Date(2022, 12, 20, 9, 30, 0, 0, time.UTC)
	who := func(n string, uid int64) Actor { return Actor{Name: n, UID: uid} }
	r := &Release{Period: payout.MustPeriod("2022-12"), RunSHA256: "run", Total: "100.00", Payments: 2, MsgID: "M",
		ReleasedAt: at, ReleasedBy: who("c", 3), AttestedBy: who("a", 1), ApprovedBy: who("b", 2), OutDir: "/out",
		ManifestSHA256: "man", PreviousSHA256: "prevman", PreviousChain: "prevchain", EventsSHA256: "ev", KeyID: "k"}
	assert.Equal(t, `payout-release-statement/2
period "2022-12"
run_sha256 "run"
total "100.00"
payments "2"
msg_id "M"
released_at "`+stamp(at)+`"
pinned_at ""
released_by "c" "3"
attested_by "a" "1"
approved_by "b" "2"
out_dir "/out"
manifest_sha256 "man"
previous_manifest_sha256 "prevman"
previous_chain_sha256 "prevchain"
events_sha256 "ev"
key_id "k"
`, string(r.Statement()))
	s := &SupplementRelease{Period: r.Period, N: 1, Digest: "d", Total: "50.00", Payments: 1, MsgID: "M-S1",
		ReleasedAt: at, PinnedAt: at, ReleasedBy: who("c", 3), AttestedBy: who("a", 1), ApprovedBy: who("b", 2), OutDir: "/out/s1",
		FileSHA256: "file", ReleaseChain: "rel", PreviousChain: "", EventsSHA256: "ev", KeyID: ""}
	assert.Equal(t, `payout-supplement-statement/1
period "2022-12"
supplement "1"
digest "d"
total "50.00"
payments "1"
msg_id "M-S1"
released_at "`+stamp(at)+`"
pinned_at "`+stamp(at)+`"
released_by "c" "3"
attested_by "a" "1"
approved_by "b" "2"
out_dir "/out/s1"
file_sha256 "file"
release_chain_sha256 "rel"
previous_chain_sha256 ""
events_sha256 "ev"
key_id ""
signature none
`, string(s.SignatureFile()))
}
