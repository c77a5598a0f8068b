package store

import (
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"path/filepath"
	"strconv"
	"strings"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// The bank's reports (issue 13) are stored as they came, append-only, with
// their SHA-256; re-importing the same bytes is a no-op. What a report may
// say is package bank's check, done by the caller inside the import's
// transaction (BankImport.Check), so a refused report stores nothing and
// two imports cannot both pass a check the other would fail.

// ActionBankImport is the audit log's action for stored bank reports.
const ActionBankImport = "bank-import"

// BankReport is one stored bank report.
type BankReport struct {
	ID           int64
	Name, Path   string
	Kind         string // pain.002 or camt.054
	Version      string // e.g. pain.002.001.03
	MsgID        string
	Created      string
	Periods      []payout.Period // the released periods it answers
	SHA256       string
	Data         []byte
	ImportedAt   string
	ImportedBy   Actor
	ReleaseChain string // the chain hash of the latest release it answers
	ChainSHA256  string
	// Record is what the reader found in the report (package bank's
	// EncodeReport), stored with it; nil for a report imported before the
	// store kept records (migration 0008). Its SHA-256 is checked when read.
	Record []byte
}

// BankFile is one report to import: its path and bytes, and what the
// caller's reader found (kind, version, message id, creation time).
type BankFile struct {
	Path                          string
	Data                          []byte
	Kind, Version, MsgID, Created string
	// Record is what the reader found in it (bank.EncodeReport), stored
	// with it so that the ledger need not read the XML again; nil stores
	// none.
	Record []byte
}

// BankImport is one import of bank reports.
type BankImport struct {
	Files []BankFile
	By    Actor
	At    When
	// Check is given the stored reports (in import order) and the new files
	// (not stored before, in the order given); it returns the periods each
	// new file answers, or an error that refuses the whole import.
	Check func(stored []BankReport, fresh []BankFile) ([][]payout.Period, error)
	// Open, called once Check has passed, is the ledger's open items after
	// the import (package bank's OpenItems record), stored beside the last
	// new report; nil stores none.
	Open func() []byte
}

// BankOutcome says what an import did with one file.
type BankOutcome struct {
	Path, SHA256 string
	Stored       bool // false: the same bytes were stored before
}

// BankReports returns the stored reports in import order, each checked
// against its digest and chain, with their bytes and records.
func (s *Store) BankReports() ([]BankReport, error) { return bankReports(s.db, true) }

// BankRecords is BankReports for the ledger: a report's bytes are read
// only when it has no record (Data is nil where Record is not), so that
// what every command applies is not a year of XML read again (issue 16).
// The chain is checked as by BankReports, each record against its own
// SHA-256.
func (s *Store) BankRecords() ([]BankReport, error) { return bankReports(s.db, false) }

type bankRow struct {
	ID            int64   `db:"id"`
	Name          string  `db:"name"`
	Path          string  `db:"path"`
	Kind          string  `db:"kind"`
	Version       string  `db:"version"`
	MsgID         string  `db:"msg_id"`
	Created       string  `db:"created"`
	Periods       string  `db:"periods"`
	SHA256        string  `db:"sha256"`
	Data          []byte  `db:"data"`
	ImportedAt    string  `db:"imported_at"`
	ImportedBy    string  `db:"imported_by"`
	ImportedUID   int64   `db:"imported_uid"`
	ReleaseChain  string  `db:"release_chain"`
	PreviousChain string  `db:"previous_chain"`
	ChainSHA256   string  `db:"chain_sha256"`
	Record        []byte  `db:"record"`
	RecordSHA256  *string `db:"record_sha256"`
}

// bankReports reads the stored reports, with every report's bytes (whole)
// or only those of the reports without a record.
func bankReports(q sqlx.Queryer, whole bool) ([]BankReport, error) {
	data := "b.data"
	if !whole {
		data = "CASE WHEN r.report_id IS NULL THEN b.data END"
	}
	var rows []bankRow
	if err := sqlx.Select(q, &rows, `SELECT b.id, b.name, b.path, b.kind, b.version, b.msg_id, b.created, b.periods,
		b.sha256, `+data+` AS data, b.imported_at, b.imported_by, b.imported_uid, b.release_chain, b.previous_chain,
		b.chain_sha256, r.record, r.sha256 AS record_sha256
		FROM bank_reports b LEFT JOIN bank_report_records r ON r.report_id = b.id ORDER BY b.id`); err != nil {
		return nil, err
	}
	out := make([]BankReport, len(rows))
	prev := ""
	for i, r := range rows {
		if !r.intact(prev) {
			return nil, fmt.Errorf("stored bank report %d (%s) does not match its digest or chain: the store was changed outside payout", r.ID, r.Name)
		}
		prev = r.ChainSHA256
		out[i] = BankReport{ID: r.ID, Name: r.Name, Path: r.Path, Kind: r.Kind, Version: r.Version, MsgID: r.MsgID,
			Created: r.Created, Periods: parsePeriods(r.Periods), SHA256: r.SHA256, Data: r.Data, ImportedAt: r.ImportedAt,
			ImportedBy: Actor{UID: r.ImportedUID, Name: r.ImportedBy}, ReleaseChain: r.ReleaseChain, ChainSHA256: r.ChainSHA256,
			Record: r.Record}
	}
	return out, nil
}

// intact says that the row follows prev in the chain and that what was
// read of it matches its digests: its bytes when read, its record when it
// has one. Without either there is nothing to apply.
func (r *bankRow) intact(prev string) bool {
	if r.PreviousChain != prev || bankChain(prev, r.ReleaseChain, r.SHA256) != r.ChainSHA256 {
		return false
	}
	if r.RecordSHA256 != nil && sha(r.Record) != *r.RecordSHA256 {
		return false
	}
	if r.Data == nil {
		return r.RecordSHA256 != nil
	}
	return sha(r.Data) == r.SHA256
}

// bankChain links a report into the chain: the previous report's chain
// hash, the chain hash of the release it answers, and its own digest.
func bankChain(prev, release, sum string) string {
	h := sha256.Sum256([]byte("payout-bank/1 " + strconv.Quote(prev) + " " + strconv.Quote(release) + " " + strconv.Quote(sum)))
	return hex.EncodeToString(h[:])
}

func parsePeriods(s string) []payout.Period {
	var out []payout.Period
	for _, f := range strings.Split(s, ";") {
		if p, err := payout.ParsePeriod(f); err == nil {
			out = append(out, p)
		}
	}
	return out
}

func joinPeriods(ps []payout.Period) string {
	s := make([]string, len(ps))
	for i, p := range ps {
		s[i] = p.String()
	}
	return strings.Join(s, ";")
}

// ImportBank stores new bank reports, all or nothing, in one transaction
// that holds the store's write lock while req.Check decides.
func (s *Store) ImportBank(req BankImport) (out []BankOutcome, err error) {
	if err := s.requireRole(RoleImporter); err != nil {
		return nil, err
	}
	err = s.retrying(func() error { out, err = s.importBankOnce(req); return err })
	return out, err
}

func (s *Store) importBankOnce(req BankImport) ([]BankOutcome, error) {
	if err := req.By.valid(); err != nil {
		return nil, err
	}
	tx, err := s.begin() // SQLite: immediate, holds the write lock; PostgreSQL: serializable
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	stored, err := bankReports(tx, false)
	if err != nil {
		return nil, err
	}
	have := map[string]bool{}
	for _, r := range stored {
		have[r.SHA256] = true
	}
	var out []BankOutcome
	var fresh []BankFile
	for _, f := range req.Files {
		sum := sha(f.Data)
		o := BankOutcome{Path: f.Path, SHA256: sum, Stored: !have[sum]}
		if o.Stored {
			have[sum] = true
			fresh = append(fresh, f)
		}
		out = append(out, o)
	}
	if len(fresh) == 0 {
		return out, nil
	}
	periods, err := req.Check(stored, fresh)
	if err != nil {
		return nil, err
	}
	if err := insertBank(tx, stored, fresh, periods, req); err != nil {
		return nil, err
	}
	return out, tx.Commit()
}

func insertBank(tx *sqlx.Tx, stored []BankReport, fresh []BankFile, periods [][]payout.Period, req BankImport) error {
	chains, err := releaseChains(tx)
	if err != nil {
		return err
	}
	prev := ""
	if n := len(stored); n > 0 {
		prev = stored[n-1].ChainSHA256
	}
	for i, f := range fresh {
		rel := ""
		for _, p := range periods[i] {
			rel = chains[p] // the latest period's release (periods are sorted)
		}
		sum := sha(f.Data)
		chain := bankChain(prev, rel, sum)
		if _, err := tx.Exec(`INSERT INTO bank_reports (id, name, path, kind, version, msg_id, created, periods, sha256, bytes, data,
			imported_at, imported_by, imported_uid, release_chain, previous_chain, chain_sha256)
			VALUES ((SELECT coalesce(max(id), 0) + 1 FROM bank_reports), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			filepath.Base(f.Path), f.Path, f.Kind, f.Version, f.MsgID, f.Created, joinPeriods(periods[i]), sum, len(f.Data), f.Data,
			stamp(req.At.Real), req.By.Name, req.By.UID, rel, prev, chain); err != nil {
			return fmt.Errorf("store: bank report %s: %w", f.Path, err)
		}
		if f.Record != nil {
			if _, err := tx.Exec(`INSERT INTO bank_report_records (report_id, record, sha256)
				VALUES ((SELECT max(id) FROM bank_reports), ?, ?)`, f.Record, sha(f.Record)); err != nil {
				return fmt.Errorf("store: bank report %s: its record: %w", f.Path, err)
			}
		}
		if _, err := logEvent(tx, req.At, Event{Period: joinPeriods(periods[i]), Action: ActionBankImport, Actor: req.By,
			Detail: fmt.Sprintf("%s %s %s sha256 %s", f.Kind, f.MsgID, filepath.Base(f.Path), sum)}); err != nil {
			return err
		}
		prev = chain
	}
	if req.Open == nil {
		return nil
	}
	rec := req.Open()
	if _, err := tx.Exec(`INSERT INTO bank_open_records (report_id, record, sha256)
		VALUES ((SELECT max(id) FROM bank_reports), ?, ?)`, rec, sha(rec)); err != nil {
		return fmt.Errorf("store: the open items after the import: %w", err)
	}
	return nil
}

// BankOpen is the record of the ledger's open items stored by the import
// of the latest report, its SHA-256 checked; nil when that import stored
// none (a store of the time before migration 0009, or no report at all).
func (s *Store) BankOpen() ([]byte, error) {
	rec, err := readDigested(s.db, s.pg, `SELECT record, sha256 FROM bank_open_records
		WHERE report_id = (SELECT max(id) FROM bank_reports)`)
	switch {
	case isNoRows(err):
		return nil, nil
	case errors.Is(err, errDigest):
		return nil, fmt.Errorf("the stored open items of the bank ledger do not match their digest: the store was changed outside payout")
	}
	return rec, err
}

// releaseChains maps each released period to its release's chain hash.
func releaseChains(q sqlx.Queryer) (map[payout.Period]string, error) {
	rels, err := releasesQ(q)
	if err != nil {
		return nil, err
	}
	out := map[payout.Period]string{}
	for _, r := range rels {
		out[r.Period] = r.ChainSHA256
	}
	return out, nil
}
