package auditfolder

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// clearSources drops where each version was read, which a folder written
// anew cannot keep; everything else must survive the round trip.
func clearSources(in *payout.Inputs) {
	in.EachVersion(func(v *payout.Version) { v.Src = payout.Source{} })
	in.Files = nil
}

// The Oslo data set, given import sequences, is read back from the folder
// exactly: every kind, every version, its recorded_on and its import.
func TestWriteReadsBackTheSameVersions(t *testing.T) {
	in, _, err := importers.LoadFolder(filepath.Join("..", "..", "fixtures", "oslo"))
	require.NoError(t, err)
	n := int32(0)
	in.EachVersion(func(v *payout.Version) { n++; v.Import = 1 + n%7 })
	// Every optional column set somewhere, so a column the writer forgets
	// fails the round trip.
	in.Agreements[0].PayeeFrom = payout.MustDate("2022-03-01")
	in.Agreements[0].ExtensionTo = payout.MustDate("2030-01-31")
	in.Agreements[0].PracticeID = "GP1"
	in.Agreements[0].Cancelled = true
	k := &Knowledge{Period: "2022-12", Runs: []Run{
		{Period: "2022-11", AsOf: "2022-11-20", Knowledge: 5, Released: true},
		{Period: "2022-12", AsOf: "2022-12-21", Knowledge: 7},
	}, Files: []File{{Import: 1, Name: "list_counts.csv", Path: "in/list_counts.csv", SHA256: "ab", Rows: 3}}}
	dir := filepath.Join(t.TempDir(), "export")
	require.NoError(t, Write(dir, in, k))

	back, _, err := importers.LoadFolder(dir)
	require.NoError(t, err)
	clearSources(in)
	clearSources(back)
	require.Equal(t, in, back)

	got, err := Read(dir)
	require.NoError(t, err)
	require.Equal(t, k, got)
	opt := got.Options(payout.MustPeriod("2022-12"), payout.NoDate)
	require.Equal(t, payout.MustDate("2022-12-21"), opt.AsOf, "the run's own as-of")
	require.Equal(t, map[payout.Period]payout.Date{payout.MustPeriod("2022-11"): payout.MustDate("2022-11-20")}, opt.AsOfByPeriod)
	require.Equal(t, map[payout.Period]int64{payout.MustPeriod("2022-11"): 5, payout.MustPeriod("2022-12"): 7}, opt.KnowledgeByPeriod)

	require.Error(t, Write(dir, in, k), "an export never writes into a folder that holds one")
}

// A folder without knowledge.json is an ordinary fixture folder.
func TestReadWithoutKnowledge(t *testing.T) {
	k, err := Read(t.TempDir())
	require.NoError(t, err)
	require.Nil(t, k)
}

// knowledge.json is held to policy.json's rules of text: a name twice (its
// own period's as-of given twice) or a second object is refused, placed,
// never read as its last or first value.
func TestReadRefusesAmbiguousKnowledge(t *testing.T) {
	for _, c := range []struct{ name, json, want string }{
		{"a name twice", "{\"period\": \"2022-12\",\n \"period\": \"2022-11\", \"runs\": []}", "line 2, column 2: period: the name is given twice"},
		{"a second object", "{\"period\": \"2022-12\", \"runs\": []}\n{\"period\": \"2022-11\"}", "line 2, column 1: more text after the end of the JSON object"},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := t.TempDir()
			require.NoError(t, os.WriteFile(filepath.Join(dir, Name), []byte(c.json), 0o644))
			_, err := Read(dir)
			require.ErrorContains(t, err, c.want)
			require.ErrorContains(t, err, Name)
		})
	}
}
