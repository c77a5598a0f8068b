package main

import (
	"bytes"
	"encoding/xml"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/exporters/bundle"
	"github.com/oslokommune/payout/exporters/manifest"
)

// TestLifecycleThreeMonths: import, run, attest, approve and release July
// and August; the 2022 rates arrive late (recorded 15 September, valid from
// 1 July); September pays the difference for July and August as adjustments
// (E07: 2 × 2 583,34), and the released months stay as they were.
func TestLifecycleThreeMonths(t *testing.T) {
	w := newLCWorld(t)
	out := w.ok("import", w.fixtures())
	assert.Contains(t, out, "stored")
	assert.Contains(t, w.ok("import", w.fixtures()), "nothing changed")

	w.approve("2022-07")
	review := map[string]string{}
	for _, name := range []string{"lines.csv", "adjustments.csv", "payments.csv", "report.xlsx", "bydel-01.xlsx"} {
		review[name] = w.read("2022-07/" + name)
	}
	w.at("2022-07-21T09:00:00Z").as("per").ok("release", "--period", "2022-07")
	for name, data := range review {
		assert.Equal(t, data, w.read("2022-07/"+name), "%s: the release shows exactly the approved run", name)
	}
	july := w.read("2022-07/manifest.json")
	assert.Equal(t, []string{"76333.33"}, lcAmounts(t, w.read("2022-07/payments.xml")))

	w.at("2022-08-19T09:00:00Z").approve("2022-08")
	w.as("per").ok("release", "--period", "2022-08")
	assert.Equal(t, []string{"76333.33"}, lcAmounts(t, w.read("2022-08/payments.xml")))

	// The correction: rates.csv delivered again with the new rows appended.
	late := w.file("late/rates.csv", lcOldRates+
		"fastlege,2022-07-01,1,675,Statsavtalen 2022 §2.1,2022-09-15\n"+
		"fastlege,2022-07-01,1001,544,Statsavtalen 2022 §2.1,2022-09-15\n")
	out = w.at("2022-09-16T09:00:00Z").ok("import", late)
	assert.Contains(t, out, "2 new record versions")

	w.at("2022-09-20T09:00:00Z").approve("2022-09")
	out = w.as("per").ok("release", "--period", "2022-09")
	assert.Contains(t, out, "84 083,35 kr")
	assert.Equal(t, []string{"84083.35"}, lcAmounts(t, w.read("2022-09/payments.xml")))
	adj := w.read("2022-09/adjustments.csv")
	assert.Contains(t, adj, "2022-07")
	assert.Contains(t, adj, "2022-08")
	assert.Equal(t, 2, strings.Count(adj, "2583.34"), adj)

	assert.Equal(t, july, w.read("2022-07/manifest.json"), "a released month never changes")
	m7, m8, m9 := lcManifest(t, w, "2022-07"), lcManifest(t, w, "2022-08"), lcManifest(t, w, "2022-09")
	assert.Equal(t, "", m7.Release.PreviousSHA256)
	assert.Equal(t, lcSHA(t, w, "2022-07"), m8.Release.PreviousSHA256)
	assert.Equal(t, lcSHA(t, w, "2022-08"), m9.Release.PreviousSHA256)
	assert.Equal(t, w.said("kari (uid 1001)"), m9.Release.AttestedBy)
	assert.Equal(t, w.said("ola (uid 1002)"), m9.Release.ApprovedBy)
	assert.Equal(t, w.said("per (uid 1003)"), m9.Release.ReleasedBy)

	assert.Contains(t, w.ok("status", "--check", "--out", w.out), "ok: 3 release(s), chain intact: 3 signed and verified")
	status := w.ok("status")
	assert.Equal(t, 3, strings.Count(status, "released "), status)
	lcBooksAndStatements(t, w)
}

// lcBooksAndStatements: every released month holds its journal.csv, whose
// bank credit is the payment file's control sum, and its statements; the
// statement command writes the year's statement of each payee.
func lcBooksAndStatements(t *testing.T, w *lcWorld) {
	t.Helper()
	for p, ctrlSum := range map[string]string{"2022-07": "-76333,33", "2022-09": "-84083,35"} {
		journal := w.read(p + "/journal.csv")
		assert.Contains(t, journal, ";"+ctrlSum+";Utbetaling", p)
		assert.NotEmpty(t, w.read(p+"/statements/P1-"+p+".pdf"))
	}
	dir := filepath.Join(w.dir, "year")
	out := w.ok("statement", "--year", "2022", "--out", dir)
	assert.Contains(t, out, "wrote 1 statements of 2022")
	data, err := os.ReadFile(filepath.Join(dir, "P1-2022.pdf"))
	require.NoError(t, err)
	assert.True(t, bytes.HasPrefix(data, []byte("%PDF-")))
	for _, tc := range []struct {
		code int
		want string
		args []string
	}{
		{1, "no released run in 2021", []string{"--year", "2021", "--out", dir}},
		{1, "payee P9 has no line", []string{"--year", "2022", "--out", dir, "--payee", "P9"}},
		{2, "--year YYYY is required", []string{"--out", dir}},
	} {
		code, _, errs := w.cmd(append([]string{"statement"}, tc.args...)...)
		assert.Equal(t, tc.code, code, errs)
		assert.Contains(t, errs, tc.want)
	}
}

func lcAmounts(t *testing.T, doc string) []string {
	t.Helper()
	var d struct {
		Amounts []string `xml:"CstmrCdtTrfInitn>PmtInf>CdtTrfTxInf>Amt>InstdAmt"`
	}
	require.NoError(t, xml.Unmarshal([]byte(doc), &d), doc)
	return d.Amounts
}

func lcManifest(t *testing.T, w *lcWorld, p string) *manifest.Manifest {
	t.Helper()
	m, err := manifest.Unmarshal([]byte(w.read(p + "/manifest.json")))
	require.NoError(t, err)
	require.NotNil(t, m.Release, "%s is released", p)
	return m
}

func lcSHA(t *testing.T, w *lcWorld, p string) string {
	t.Helper()
	sum, err := bundle.FileSHA256(filepath.Join(w.out, p, "manifest.json"))
	require.NoError(t, err)
	return sum
}

// Every refused step through the command line: exit status, the message,
// and nothing written.
func TestLifecycleRefusals(t *testing.T) {
	tests := []struct {
		name  string
		setup func(w *lcWorld)
		args  []string
		code  int
		msg   string
	}{
		{"attest without run", nil, []string{"attest", "--period", "2022-07"}, 1, "no run of 2022-07 is stored"},
		{"attest as another account than you are", func(w *lcWorld) { w.ok("run", "--period", "2022-07") },
			[]string{"attest", "--period", "2022-07", "--user", "ola"}, 2, "--user ola is not you: this terminal runs as kari (uid 1001)"},
		{"approve by the attester, typing another name", func(w *lcWorld) {
			w.ok("run", "--period", "2022-07")
			w.as("kari").ok("attest", "--period", "2022-07")
		}, []string{"approve", "--period", "2022-07", "--user", "kari2"}, 2, "--user kari2 is not you"},
		{"approve by the attester", func(w *lcWorld) {
			w.ok("run", "--period", "2022-07")
			w.as("kari").ok("attest", "--period", "2022-07")
		}, []string{"approve", "--period", "2022-07"}, 1, "kari (uid 1001) attested the run of 2022-07 and cannot also approve it"},
		{"approve before attest", func(w *lcWorld) { w.ok("run", "--period", "2022-07") }, []string{"approve", "--period", "2022-07"}, 1, "is not attested"},
		{"release unapproved", func(w *lcWorld) {
			w.ok("run", "--period", "2022-07")
			w.as("kari").ok("attest", "--period", "2022-07")
		}, []string{"release", "--period", "2022-07"}, 1, "the run of 2022-07 is attested, not approved"},
		{"release by the attester", func(w *lcWorld) { w.approve("2022-07") }, []string{"release", "--period", "2022-07"}, 1, "kari (uid 1001) attested the run of 2022-07 and cannot also release it"},
		{"release twice", func(w *lcWorld) {
			w.approve("2022-07")
			w.release("2022-07")
		}, []string{"release", "--period", "2022-07"}, 1, "2022-07 was already released at 2022-07-20 11:00 CEST by per (uid 1003)"},
		{"release again to another folder", func(w *lcWorld) {
			w.approve("2022-07")
			w.release("2022-07")
		}, []string{"release", "--period", "2022-07", "--out", "/tmp/another/folder"}, 1, "a release is written only there, never to /tmp/another/folder/2022-07"},
		{"run a released period", func(w *lcWorld) {
			w.approve("2022-07")
			w.release("2022-07")
		}, []string{"run", "--period", "2022-07"}, 1, "2022-07 was already released"},
		{"attest after inputs changed", func(w *lcWorld) {
			w.ok("run", "--period", "2022-07")
			w.ok("import", w.file("more/list_counts.csv", "list_id,as_of,count\nL1,2022-10-01,1500\n"))
		}, []string{"attest", "--period", "2022-07", "--user", "kari"}, 1, "inputs changed since the run of 2022-07 was computed"},
		{"status of a store that is not there", nil, []string{"status", "--db", "typo.db"}, 1, "no store at typo.db (create it with payout init)"},
		{"due of a store that is not there", nil, []string{"due", "--db", "typo.db"}, 1, "no store at typo.db (create it with payout init)"},
		{"import into a store that is not there", nil, []string{"import", "--db", "typo.db", "x"}, 1, "no store at typo.db (create it with payout init)"},
		{"init over a store", nil, []string{"init"}, 1, "exists already: payout init never overwrites a store"},
		{"both fixtures and db", nil, []string{"run", "--period", "2022-07", "--fixtures", "x"}, 2, "either --fixtures DIR or --db FILE"},
		{"bad period", nil, []string{"status", "--period", "2022-13"}, 2, "not a period"},
		{"bad file imports nothing", nil, []string{"import", "BAD"}, 1, "list_counts.csv:3 (count)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := newLCWorld(t)
			w.ok("import", w.fixtures())
			if tt.setup != nil {
				tt.setup(w)
			}
			args := tt.args
			if args[len(args)-1] == "BAD" {
				bad := w.file("bad/list_counts.csv", "list_id,as_of,count\nL1,2022-11-01,1500\nL1,2022-12-01,many\n")
				args = []string{"import", w.file("bad/payees.csv", "payee_id,name,account\nP9,Ny,12000554330\n"), bad}
			}
			before := w.ok("status")
			manifests := lcManifests(w)
			code, stdout, stderr := w.as(lcWho(tt.name, args)).cmd(args...)
			assert.Equal(t, tt.code, code, "stdout:\n%s", stdout)
			assert.Contains(t, stderr, w.said(tt.msg))
			assert.Equal(t, before, w.ok("status"), "the store is unchanged")
			assert.Equal(t, manifests, lcManifests(w), "no output written")
		})
	}
}

// lcWho is the account a refusal is tried as: kari (who computes and
// attests), or per for a release unless the test is about kari releasing.
func lcWho(name string, args []string) string {
	if args[0] == "release" && !strings.Contains(name, "attester") {
		return "per"
	}
	return "kari"
}

// lcManifests is every file name and size under the output folder.
func lcManifests(w *lcWorld) map[string]int64 {
	got := map[string]int64{}
	_ = filepath.Walk(w.out, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			got[path] = fi.Size()
		}
		return nil
	})
	return got
}

// A run from fixtures that fails (a missing list count stops the engine)
// writes no output at all.
func TestRunFromFixturesWritesNothingOnError(t *testing.T) {
	w := newLCWorld(t)
	dir := w.fixtures()
	w.file("fixtures/list_counts.csv", "list_id,as_of,count\nL1,2022-01-01,1500\n")
	var out []string
	code, _, stderr := lcMain(w, "run", "--period", "2022-07", "--fixtures", dir, "--out", w.out)
	assert.Equal(t, 1, code)
	assert.NotEmpty(t, stderr)
	_ = filepath.Walk(w.out, func(path string, fi os.FileInfo, err error) error {
		if err == nil && !fi.IsDir() {
			out = append(out, path)
		}
		return nil
	})
	assert.Empty(t, out)
}

// Concurrent releases of one period: exactly one wins; the others are told
// when and by whom it was released.
func TestLifecycleConcurrentReleases(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	w.approve("2022-07")
	const n = 6
	codes := make([]int, n)
	errs := make([]string, n)
	var wg sync.WaitGroup
	for i := range n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			codes[i], _, errs[i] = w.as("per").cmd("release", "--period", "2022-07")
		}()
	}
	wg.Wait()
	wins := 0
	for i, c := range codes {
		if c == 0 {
			wins++
			continue
		}
		assert.Contains(t, errs[i], "2022-07 was already released at")
	}
	assert.Equal(t, 1, wins, "%v %v", codes, errs)
	assert.Contains(t, w.ok("status", "--check", "--out", w.out), "ok: 1 release(s)")
}

// Importing a folder again after one file grew stores only that file (its
// old rows are the versions already stored, read once); a row that rewrites
// history is refused naming both places.
func TestLifecycleImportAgain(t *testing.T) {
	w := newLCWorld(t)
	dir := w.fixtures()
	w.ok("import", dir)
	counts, err := os.ReadFile(filepath.Join(dir, "list_counts.csv"))
	require.NoError(t, err)
	w.file("fixtures/list_counts.csv", string(counts)+"L1,2022-10-01,1520\n")
	out := w.ok("import", dir)
	assert.Contains(t, out, "list_counts.csv (10 rows, 1 new record versions")
	assert.Equal(t, 4, strings.Count(out, "unchanged"), out)

	fix := w.file("fix/list_counts.csv", "list_id,as_of,count\nL1,2022-09-01,1499\n")
	code, _, stderr := w.cmd("import", fix)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "list_counts.csv:2: list_counts L1/2022-09-01: this version (same key and recorded_on) is already stored from list_counts.csv:10 with other values")
}

// status --check finds a released payment file changed on disk, and a past
// release changed in the store.
func TestLifecycleCheckFindsTampering(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	w.approve("2022-07")
	w.release("2022-07")
	w.approve("2022-08")
	w.release("2022-08")
	assert.Contains(t, w.ok("status", "--check", "--out", w.out), "ok: 2 release(s)")

	xmlPath := filepath.Join(w.out, "2022-07", "payments.xml")
	data, err := os.ReadFile(xmlPath)
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(xmlPath, []byte(strings.Replace(string(data), "76333.33", "96333.33", 2)), 0o600))
	code, _, stderr := w.cmd("status", "--check", "--out", w.out)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "2022-07/payments.xml: missing or changed since the release")
	require.NoError(t, os.WriteFile(xmlPath, data, 0o600))

	lcSQL(t, w.db, `DROP TRIGGER releases_no_update`, `UPDATE releases SET approved_by = 'kari' WHERE period = '2022-07'`)
	code, _, stderr = w.cmd("status", "--check", "--out", w.out)
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "release 2022-07: its chain hash")
	assert.Contains(t, stderr, "release 2022-07: its signature does not verify")
}

// A lost store never pays twice: truncated to 0 bytes it is no store, and
// a new or older store (the release lost with its -wal file, or a backup
// from before it) refuses to release into a folder that holds a release it
// does not know; the released payments.xml stays as it was.
func TestLifecycleLostStoreNeverPaysTwice(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	w.approve("2022-07")
	before, err := os.ReadFile(w.db)
	require.NoError(t, err)
	w.release("2022-07")
	paid := w.read("2022-07/payments.xml")
	require.NotEmpty(t, paid)

	require.NoError(t, os.WriteFile(w.db, before, 0o600)) // the release lost
	code, _, stderr := w.as("per").cmd("release", "--period", "2022-07")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "holds the manifest of a release that the store "+w.db+" does not know")
	code, _, stderr = w.cmd("status", "--check")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "holds a release the store does not know")

	require.NoError(t, os.Truncate(w.db, 0))
	code, _, stderr = w.cmd("status")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no store at "+w.db+" (create it with payout init)")
	require.NoError(t, os.Remove(w.db))
	w.ok("init")
	w.ok("import", w.fixtures())
	other := filepath.Join(w.dir, "other")
	w.ok("run", "--period", "2022-07", "--out", other)
	w.ok("attest", "--period", "2022-07")
	w.as("ola").ok("approve", "--period", "2022-07")
	code, _, stderr = w.as("per").cmd("release", "--period", "2022-07")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "does not know")
	assert.Equal(t, paid, w.read("2022-07/payments.xml"), "the released bank file is never overwritten")
}

// The attacks of issue 10 through the command line, made with SQL on the
// store file after approval: release refuses each, and pays nothing.
func TestLifecycleReleaseRefusesATamperedStore(t *testing.T) {
	attacks := []struct {
		name  string
		setup func(w *lcWorld)
		sql   []string
		msg   string
	}{
		{"approved without events", func(w *lcWorld) { w.ok("run", "--period", "2022-07") },
			[]string{`UPDATE runs SET status = 'approved', attested_by = 'kari', attested_uid = 1001, approved_by = 'ola', approved_uid = 1002`},
			"the audit log holds no attest event for this run"},
		{"result +1 000 000 kr", func(w *lcWorld) { w.approve("2022-07") },
			[]string{`UPDATE run_results SET result = replace(result, '"Total":"76333.33"', '"Total":"1076333.33"')`},
			"the stored result of 2022-07 is not the run attested and approved"},
		{"a list count byte flipped in the stored file", func(w *lcWorld) { w.approve("2022-07") },
			[]string{`DROP TRIGGER files_no_update`, `UPDATE files SET data = CAST(replace(CAST(data AS TEXT), ',1500', ',9500') AS BLOB) WHERE name = 'list_counts.csv'`},
			"is not the file imported"},
	}
	for _, a := range attacks {
		t.Run(a.name, func(t *testing.T) {
			w := newLCWorld(t)
			w.ok("import", w.fixtures())
			a.setup(w)
			lcSQL(t, w.db, a.sql...)
			code, _, stderr := w.as("per").cmd("release", "--period", "2022-07")
			assert.Equal(t, 1, code)
			assert.Contains(t, stderr, a.msg)
			assert.Empty(t, w.read("2022-07/payments.xml"), "nothing is released")
		})
	}
}

// A run from the store whose files cannot be written (its folder holds a
// payment file, as a released folder does) is not stored, says so, and
// leaves no temporary file; the folder's files are as they were.
func TestRunFromStoreNotWrittenIsNotStored(t *testing.T) {
	w := newLCWorld(t)
	w.ok("import", w.fixtures())
	w.file("out/2022-07/payments.xml", "<Document/>\n")
	code, _, stderr := w.cmd("run", "--period", "2022-07")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "the files of 2022-07 could not be written, so the run is not stored")
	code, _, stderr = w.cmd("attest", "--period", "2022-07")
	assert.Equal(t, 1, code)
	assert.Contains(t, stderr, "no run of 2022-07 is stored")
	entries, err := os.ReadDir(filepath.Join(w.out, "2022-07"))
	require.NoError(t, err)
	require.Len(t, entries, 1)
	assert.Equal(t, "payments.xml", entries[0].Name())
}
