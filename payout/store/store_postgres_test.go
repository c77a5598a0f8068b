package store

import (
	"sort"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout/store/pgtest"
)

// onPostgres reports a test that TestPostgres runs: its store is on the
// PostgreSQL test server.
func onPostgres(t *testing.T) bool { return strings.HasPrefix(t.Name(), "TestPostgres/") }

// bothBackEnds are the store's tests that hold for either back end; each
// runs on SQLite as itself and on PostgreSQL under TestPostgres, in a schema
// of its own. (The tests left out are of SQLite's file: its mode, group,
// journal, and opening what is no SQLite file.)
var bothBackEnds = []struct {
	name string
	test func(*testing.T)
}{
	{"OpenReadOnly", TestOpenReadOnly},
	{"Import", TestImport},
	{"ImportAllOrNothing", TestImportAllOrNothing},
	{"InputsReadOnceWithSource", TestInputsReadOnceWithSource},
	{"InputsRefuseAChangedFile", TestInputsRefuseAChangedFile},
	{"FilesStoredInPieces", TestFilesStoredInPieces},
	{"PiecesRefuseChanges", TestPiecesRefuseChanges},
	{"StartSaveIsSaveRun", TestStartSaveIsSaveRun},
	{"ImportNamesTheReleasedPeriodsItCorrects", TestImportNamesTheReleasedPeriodsItCorrects},
	{"RefusedTransitions", TestRefusedTransitions},
	{"ReleasePolicy", TestReleasePolicy},
	{"AttestAndApproveRefuseChangedInputs", TestAttestAndApproveRefuseChangedInputs},
	{"RecomputeReplacesAndVoidsAttestation", TestRecomputeReplacesAndVoidsAttestation},
	{"EventsRecordRealAndPinnedTime", TestEventsRecordRealAndPinnedTime},
	{"ReleaseChainAndAsOf", TestReleaseChainAndAsOf},
	{"ReleaseSignatureFileRoundTrip", TestReleaseSignatureFileRoundTrip},
	{"ReleaseStageFailureRecordsNothing", TestReleaseStageFailureRecordsNothing},
	{"ConcurrentReleasesOneWins", TestConcurrentReleasesOneWins},
	{"ReleaseRefusesATamperedStore", TestReleaseRefusesATamperedStore},
	{"CheckFindsTamperingAfterRelease", TestCheckFindsTamperingAfterRelease},
	{"CheckFindsARewrittenChain", TestCheckFindsARewrittenChain},
	{"ReleasedResultIsImmutable", TestReleasedResultIsImmutable},
	{"Paid", TestPaid},
	{"ImportBank", TestImportBank},
	{"BankReportsTampered", TestBankReportsTampered},
	{"CheckFindsChangedBankReport", TestCheckFindsChangedBankReport},
	{"BankRecords", TestBankRecords},
	{"ReleaseRecord", TestReleaseRecord},
	{"BankOpen", TestBankOpen},
	{"SupplementLifecycle", TestSupplementLifecycle},
	{"SupplementRecomputed", TestSupplementRecomputed},
	{"SaveRunStoresEveryRow", TestSaveRunStoresEveryRow},
	{"RecomputeStoresExactlyItsRows", TestRecomputeStoresExactlyItsRows},
	{"SaveRunWriteFailureStoresNothing", TestSaveRunWriteFailureStoresNothing},
	{"SaveRunWithTheManifestKnownBefore", TestSaveRunWithTheManifestKnownBefore},
	{"StoredDataIsNotReused", TestStoredDataIsNotReused},
	{"LargeValuesCompressedFast", TestLargeValuesCompressedFast},
}

// On PostgreSQL the store's sessions compress large values with lz4 when
// the server can (fastCompression), and a file stored so reads back as it
// was; on SQLite there is nothing to set.
func TestLargeValuesCompressedFast(t *testing.T) {
	s, _ := openTest(t)
	text := strings.Repeat("L1,2022-10-01,1500\n", 20000)
	importText(t, s, "list_counts.csv", text)
	if !s.pg {
		return
	}
	var can bool
	require.NoError(t, s.db.Get(&can, `SELECT 'lz4' = ANY(enumvals) FROM pg_settings WHERE name = 'default_toast_compression'`))
	if !can {
		t.Skip("the server cannot compress with lz4")
	}
	var method string
	require.NoError(t, s.db.Get(&method, `SELECT pg_column_compression(data) FROM files WHERE name = 'list_counts.csv'`))
	assert.Equal(t, "lz4", method)
	var data []byte
	require.NoError(t, s.db.Get(&data, `SELECT data FROM files WHERE name = 'list_counts.csv'`))
	assert.Equal(t, text, string(data))
}

// pgAttack says the attacks' SQLite in PostgreSQL's words.
var pgAttack = strings.NewReplacer(
	"CAST(replace(CAST(data AS TEXT), '1500', '9500') AS BLOB)", "convert_to(replace(convert_from(data, 'UTF8'), '1500', '9500'), 'UTF8')",
	"replace(result, '1', '9')", "convert_to(replace(convert_from(result, 'UTF8'), '1', '9'), 'UTF8')",
	"AS BLOB)", "AS bytea)")

// TestPostgres runs the store's tests on PostgreSQL (PAYOUT_TEST_POSTGRES).
func TestPostgres(t *testing.T) {
	pgtest.Server(t)
	for _, tc := range bothBackEnds {
		t.Run(tc.name, func(t *testing.T) {
			t.Parallel() // the server, not the CPU, is what they wait for
			tc.test(t)
		})
	}
}

// Both back ends have the same tables with the same columns: a migration
// of ../migrations has its twin in ../migrations/postgres.
func TestPostgresSchemaIsSQLites(t *testing.T) {
	pgtest.Server(t)
	columns := func(s *Store, q string) map[string][]string {
		var rows []struct {
			Table  string `db:"tbl"`
			Column string `db:"col"`
		}
		require.NoError(t, s.db.Select(&rows, q))
		out := map[string][]string{}
		for _, r := range rows {
			out[r.Table] = append(out[r.Table], r.Column)
		}
		for _, cols := range out {
			sort.Strings(cols)
		}
		return out
	}
	lite, _ := openTest(t)
	url, _ := pgtest.Schema(t)
	pg, err := Create(url, fakeParse, CreateOptions{GID: NoGroup})
	require.NoError(t, err)
	defer pg.Close()
	want := columns(lite, `SELECT m.name AS tbl, p.name AS col FROM sqlite_master m JOIN pragma_table_info(m.name) p
		WHERE m.type = 'table' AND m.name NOT LIKE 'sqlite_%'`)
	got := columns(pg, `SELECT table_name AS tbl, column_name AS col FROM information_schema.columns
		WHERE table_schema = current_schema()`)
	assert.Equal(t, want, got)
}
