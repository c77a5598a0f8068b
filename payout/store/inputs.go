package store

import (
	"cmp"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"math"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// File is one file to import: the path it was given as (for the record) and
// its bytes. Its name (Name, else the base of Path) tells the importer what
// it holds; the store keeps it and reads the file by it again.
type File struct {
	Path string
	// Name is the name to record and read the file by when the path's base
	// is not its kind's name (payout import --kind): "list_counts.csv".
	Name string
	Data []byte
	// Parsed holds the file's records when the caller has read them already
	// (the import command reads all files together to check references
	// between them); nil makes the store read Data itself.
	Parsed *payout.Inputs
}

// FileOutcome says what an import did with one file.
type FileOutcome struct {
	Name     string
	Path     string
	SHA256   string
	Rows     int
	Versions int // record versions not held by any earlier file
	Status   FileStatus
}

// FileStatus is what an import did with one file.
type FileStatus string

const (
	FileStored       FileStatus = "stored"
	FileUnchanged    FileStatus = "unchanged"      // the same bytes are already stored
	FileNoNewRecords FileStatus = "no new records" // every version is already stored; nothing kept
)

// ImportReport is the outcome of one import.
type ImportReport struct {
	Files []FileOutcome
	// Corrections name, per file, the released periods its new versions
	// concern: the next run pays the corrections (R-ADJ), whatever their
	// recorded_on, because the releases did not know them (RULEBOOK §6).
	Corrections []Correction
}

// Correction is one file's new versions that concern released periods.
type Correction struct {
	File     string          // the file's stored name
	Versions int             // how many of its new versions concern a released period
	Line     int             // the line of the earliest concerned version
	Periods  []payout.Period // the released periods the next run corrects, sorted
}

// Stored reports whether anything was stored.
func (r *ImportReport) Stored() bool {
	for _, f := range r.Files {
		if f.Status == FileStored {
			return true
		}
	}
	return false
}

// InputState identifies the set of stored files a run is computed from.
type InputState struct {
	Digest  string // SHA-256 over the files' digests in import order
	FileIDs []int64
}

// Import stores files all or nothing: every file is read first, and any
// problem in any of them (including a version that conflicts with a stored
// one) refuses the whole import with a payout.ErrorList. The import event
// names every stored file's SHA-256 and the account that imported it.
func (s *Store) Import(files []File, by Actor, at When) (rep *ImportReport, err error) {
	if err := s.requireRole(RoleImporter); err != nil {
		return nil, err
	}
	// A retry starts afresh: another import may have stored some files.
	err = s.retrying(func() error { rep, err = s.importOnce(files, by, at); return err })
	return rep, err
}

func (s *Store) importOnce(files []File, by Actor, at When) (*ImportReport, error) {
	if err := by.valid(); err != nil {
		return nil, err
	}
	if s.parse == nil {
		return nil, errors.New("store: opened without a reader for input files")
	}
	rep := &ImportReport{}
	fresh, err := s.newFiles(files, rep)
	if err != nil || len(fresh) == 0 {
		return rep, err
	}
	tx, err := s.begin()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	// The check runs inside the write lock, so two imports cannot both add
	// the same version. Versions collide only within a kind, so only stored
	// files of the new files' kinds are read.
	existing, err := s.inputsOfKinds(tx, fresh)
	if err != nil {
		return nil, err
	}
	if err := s.checkVersions(tx, existing, fresh, rep); err != nil {
		return nil, err
	}
	if err := s.storeFiles(tx, fresh, by, at); err != nil {
		return nil, err
	}
	if err := tx.Commit(); err != nil {
		return nil, err
	}
	for i := range rep.Files {
		if rep.Files[i].Status == "" {
			rep.Files[i].Status = FileStored
		}
	}
	return rep, nil
}

// parsedFile is a file read for import.
type parsedFile struct {
	out  *FileOutcome
	file File
	in   *payout.Inputs
}

// newFiles reads the files whose bytes the store does not hold yet.
func (s *Store) newFiles(files []File, rep *ImportReport) ([]parsedFile, error) {
	rep.Files = make([]FileOutcome, len(files))
	var errs payout.ErrorList
	var fresh []parsedFile
	batch := map[string]bool{}
	for i, f := range files {
		sum := sha256.Sum256(f.Data)
		o := &rep.Files[i]
		name := f.Name
		if name == "" {
			name = filepath.Base(f.Path)
		}
		*o = FileOutcome{Name: name, Path: f.Path, SHA256: hex.EncodeToString(sum[:])}
		var n int
		if err := s.db.Get(&n, `SELECT count(*) FROM files WHERE sha256 = ?`, o.SHA256); err != nil {
			return nil, err
		}
		if n > 0 || batch[o.SHA256] {
			o.Status = FileUnchanged
			continue
		}
		batch[o.SHA256] = true
		in, err := f.Parsed, error(nil)
		if in == nil {
			in, err = s.parse(o.Name, f.Data)
		}
		if err != nil {
			errs = appendErr(errs, o.Name, err)
			continue
		}
		o.Rows = rowsOf(in)
		fresh = append(fresh, parsedFile{out: o, file: f, in: in})
	}
	if len(errs) > 0 {
		errs.Sort()
		return nil, errs
	}
	return fresh, nil
}

func appendErr(errs payout.ErrorList, name string, err error) payout.ErrorList {
	var list payout.ErrorList
	var one *payout.InputError
	switch {
	case errors.As(err, &list):
		return append(errs, list...)
	case errors.As(err, &one):
		return append(errs, one)
	}
	return append(errs, &payout.InputError{File: name, Msg: err.Error()})
}

func rowsOf(in *payout.Inputs) int {
	n := 0
	for _, f := range in.Files {
		n += f.Rows
	}
	return n
}

// checkVersions refuses versions that conflict with stored ones (or with
// each other), marks files that add nothing, and warns about new versions
// dated inside a released period.
func (s *Store) checkVersions(tx *sqlx.Tx, existing *payout.Inputs, fresh []parsedFile, rep *ImportReport) error {
	released, err := releasedTx(tx)
	if err != nil {
		return err
	}
	// The stored files come first (batch 0): their own conflicts were
	// refused when they were imported.
	batches := []*payout.Inputs{existing}
	for _, pf := range fresh {
		batches = append(batches, pf.in)
	}
	conflicts, counts := dedupeBatches(batches)
	var errs payout.ErrorList
	for _, c := range conflicts {
		if c.batch > 0 {
			errs = append(errs, c.error())
		}
	}
	errs = append(errs, policyAfterRelease(existing.Policy, fresh, released)...)
	for i, pf := range fresh {
		n := counts[i+1]
		pf.out.Versions = n
		if n == 0 && !hasPolicy(pf.in) {
			pf.out.Status = FileNoNewRecords
		}
		if n > 0 {
			if c, ok := corrections(pf.out.Name, pf.in, released); ok {
				rep.Corrections = append(rep.Corrections, c)
			}
		}
	}
	if len(errs) > 0 {
		errs.Sort()
		return errs
	}
	return nil
}

// policyAfterRelease refuses a policy.json that, once a period is
// released, changes a parameter by which amounts are computed: a policy is
// not versioned, so the next run would re-read the released months with
// rules they were not paid by, and R-ADJ would pay no difference (RULEBOOK
// §6; payout.PolicyRuleChanges).
func policyAfterRelease(stored payout.Policy, fresh []parsedFile, released Released) payout.ErrorList {
	periods := sortedPeriods(released.AsOf)
	if len(periods) == 0 {
		return nil
	}
	var errs payout.ErrorList
	for _, pf := range fresh {
		if !hasPolicy(pf.in) {
			continue
		}
		if changed := payout.PolicyRuleChanges(stored, pf.in.Policy); len(changed) > 0 {
			names := strings.Join(changed, ", ")
			errs.Add(&payout.InputError{File: pf.out.Name, Column: changed[0], Value: names, Err: payout.ErrOutOfRange,
				Msg: fmt.Sprintf("changes %s after the release of %s: the policy has no dates, so later runs would see the released months by rules they were not paid by and pay no difference; a rule parameter is set before the first release (debtor, ledger, category_purpose, bank_booking_days and who may release may change at any time)",
					names, periods[len(periods)-1])})
			continue
		}
		stored = pf.in.Policy
	}
	return errs
}

func hasPolicy(in *payout.Inputs) bool {
	for _, f := range in.Files {
		if f.Kind == payout.FilePolicy {
			return true
		}
	}
	return false
}

// storeFiles inserts the files that add something, and the import.
func (s *Store) storeFiles(tx *sqlx.Tx, fresh []parsedFile, by Actor, at When) error {
	// Ids are max(id) + 1 on both back ends, as SQLite's rowid: the
	// import sequence has no gaps (postgres.go).
	var importID int64
	if err := tx.Get(&importID, `INSERT INTO imports (id, imported_at) VALUES ((SELECT coalesce(max(id), 0) + 1 FROM imports), ?) RETURNING id`,
		stamp(at.Real)); err != nil {
		return err
	}
	var names []string
	for _, pf := range fresh {
		if pf.out.Status != "" {
			continue
		}
		if err := s.insertFile(tx, importID, pf.out, kindOf(pf.in, pf.out.Name), pf.file.Data); err != nil {
			return err
		}
		names = append(names, pf.out.Name+" "+pf.out.SHA256)
	}
	_, err := logEvent(tx, at, Event{Action: ActionImport, Actor: by,
		Detail: fmt.Sprintf("import %d: %s", importID, strings.Join(names, ", "))})
	return err
}

func kindOf(in *payout.Inputs, name string) string {
	if len(in.Files) > 0 && in.Files[0].Kind != "" {
		return string(in.Files[0].Kind)
	}
	return strings.TrimSuffix(name, filepath.Ext(name))
}

// HasFile reports whether a file with these bytes (by SHA-256, hex) is
// stored.
func (s *Store) HasFile(sha256Hex string) (bool, error) {
	var n int
	err := s.db.Get(&n, `SELECT count(*) FROM files WHERE sha256 = ?`, sha256Hex)
	return n > 0, err
}

// State returns the digest and ids of the stored files, without reading
// them: cheap enough for every status and attest.
func (s *Store) State() (InputState, error) {
	return stateOf(s.db)
}

// fileDigest is a stored file's id and SHA-256.
type fileDigest struct {
	ID     int64  `db:"id"`
	SHA256 string `db:"sha256"`
}

func stateOf(q sqlx.Queryer) (InputState, error) {
	var rows []fileDigest
	if err := sqlx.Select(q, &rows, `SELECT id, sha256 FROM files ORDER BY id`); err != nil {
		return InputState{}, err
	}
	return stateFrom(rows), nil
}

// stateFrom is the state of these files (in id order): the SHA-256 over
// their digests.
func stateFrom(rows []fileDigest) InputState {
	h := sha256.New()
	st := InputState{}
	for _, r := range rows {
		fmt.Fprintf(h, "%s\n", r.SHA256)
		st.FileIDs = append(st.FileIDs, r.ID)
	}
	st.Digest = hex.EncodeToString(h.Sum(nil))
	return st
}

// Inputs reads every stored file back into records, in import order, each
// version once. It also returns the state the records are of.
func (s *Store) Inputs() (*payout.Inputs, InputState, error) {
	tx, err := s.beginRead()
	if err != nil {
		return nil, InputState{}, err
	}
	defer tx.Rollback()
	st, err := stateOf(tx)
	if err != nil {
		return nil, st, err
	}
	in, err := s.readVersions(tx, nil)
	if err != nil {
		return nil, st, err
	}
	return in, st, nil
}

// RunInputs reads back exactly the files the stored run was computed from
// (each checked against its digest), and checks they are the files its
// input digest names.
func (s *Store) RunInputs(run *Run) (*payout.Inputs, error) {
	tx, err := s.beginRead()
	if err != nil {
		return nil, err
	}
	defer tx.Rollback()
	return s.runInputs(tx, run)
}

func (s *Store) runInputs(q sqlx.Queryer, run *Run) (*payout.Inputs, error) {
	var rows []fileDigest
	if err := sqlx.Select(q, &rows, `SELECT f.id, f.sha256 FROM run_files r JOIN files f ON f.id = r.file_id
		WHERE r.run_id = ? ORDER BY f.id`, run.ID); err != nil {
		return nil, err
	}
	if st := stateFrom(rows); st.Digest != run.InputDigest {
		return nil, refusef(ErrInconsistent, "the run of %s names %d input file(s) with digest %s, but it was computed from inputs %s: the store was changed outside payout",
			run.Period, len(rows), short(st.Digest), short(run.InputDigest))
	}
	want := map[int64]bool{}
	for _, r := range rows {
		want[r.ID] = true
	}
	return s.readVersions(q, want)
}

// readVersions parses the stored files (all when want is nil, else those
// in want) and reads each version once. Only the kinds that more than one
// of the files holds are checked for versions read twice: a stored file
// holds each version once (the reader refuses a file that repeats one,
// ParseFunc), so the versions of a kind of one file (every kind of a store
// of one import) are each read once already.
func (s *Store) readVersions(q sqlx.Queryer, want map[int64]bool) (*payout.Inputs, error) {
	in, shared, err := s.inputsTx(q, want)
	if err != nil {
		return nil, err
	}
	conflicts, _ := dedupeBatchesOf([]*payout.Inputs{in}, shared)
	if len(conflicts) > 0 {
		return nil, conflicts[0].error()
	}
	return in, nil
}

// inputsOfKinds parses the stored files of the kinds of fresh.
func (s *Store) inputsOfKinds(tx *sqlx.Tx, fresh []parsedFile) (*payout.Inputs, error) {
	var kinds []string
	for _, pf := range fresh {
		kinds = append(kinds, kindOf(pf.in, pf.out.Name))
	}
	q, args, err := sqlx.In(`SELECT id FROM files WHERE kind IN (?) ORDER BY id`, kinds)
	if err != nil {
		return nil, err
	}
	var ids []int64
	if err := tx.Select(&ids, q, args...); err != nil {
		return nil, err
	}
	want := map[int64]bool{}
	for _, id := range ids {
		want[id] = true
	}
	in, _, err := s.inputsTx(tx, want)
	return in, err
}

// readFile reads one stored file and checks its bytes against the length
// and SHA-256 recorded at import: a file changed in the store is never
// read as input.
func readFile(q sqlx.Queryer, pg bool, id int64) (string, []byte, error) {
	var f storedFile
	if err := sqlx.Get(q, &f, `SELECT `+storedFileColumns+` FROM files WHERE id = ?`, id); err != nil {
		return "", nil, err
	}
	if err := f.checkLength(); err != nil {
		return "", nil, err
	}
	data, err := (&pieceReader{q: q, pg: pg}).whole(&f)
	if err != nil {
		return "", nil, err
	}
	if err := checkDigest(f.Name, id, sha(data), f.SHA256); err != nil {
		return "", nil, err
	}
	return f.Name, data, nil
}

// checkDigest refuses a stored file whose bytes have another SHA-256 than
// the import recorded.
func checkDigest(name string, id int64, got, sum string) error {
	if got == sum {
		return nil
	}
	return refusef(ErrInconsistent, "stored file %s (id %d) is not the file imported: its content has SHA-256 %s, the import recorded %s; the store was changed outside payout (payout status --check lists every problem)",
		name, id, short(got), short(sum))
}

// inputsTx parses the stored files (all when want is nil, else those in
// want) in import order. The files are parsed side by side, one per CPU
// (the importers read a folder the same way), and merged in import order,
// so the records are the same whatever the number of CPUs. A file's bytes
// are read from the store only when a parser is free for them, the largest
// first, so that no more than one per CPU is held at once beside the
// records (a national list_counts.csv is 90 MB); they are checked against
// the digest recorded at import by the digest the importer makes of them,
// not hashed twice. shared says, by the kind's place in
// payout.RecordKinds, which kinds more than one of the files holds.
func (s *Store) inputsTx(tx sqlx.Queryer, want map[int64]bool) (in *payout.Inputs, shared []bool, err error) {
	in = &payout.Inputs{Policy: payout.DefaultPolicy()}
	if s.parse == nil {
		return nil, nil, errors.New("store: opened without a reader for input files")
	}
	files, err := storedFiles(tx)
	if err != nil {
		return nil, nil, err
	}
	files = slices.DeleteFunc(files, func(f storedFile) bool { return want != nil && !want[f.ID] })
	// Refused before any file is read and parsed, which is the cost.
	for _, f := range files {
		if f.ImportID > math.MaxInt32 {
			return nil, nil, fmt.Errorf("stored file %s (id %d) is of import %d, past the %d a record version can name", f.Name, f.ID, f.ImportID, math.MaxInt32)
		}
		if err := f.checkLength(); err != nil {
			return nil, nil, err
		}
	}
	parts, err := s.parseStored(tx, files)
	if err != nil {
		return nil, nil, err
	}
	shared = make([]bool, len(payout.RecordKinds))
	for i := range files {
		for no, k := range payout.RecordKinds {
			if k.Len(parts[i]) > 0 && k.Len(in) > 0 {
				shared[no] = true
			}
			k.Adopt(in, parts[i]) // the first file of a kind is not copied
		}
		in.Append(parts[i])
	}
	return in, shared, nil
}

// parseStored reads and parses files, each on the parser that parses it
// (one per CPU, the largest files first), one value at a time over the
// transaction's connection (pieceReader). A file of one piece is read
// whole and parsed by the ParseFunc; a larger one is parsed by the
// StreamFunc while it is read, a piece at a time, so that no more than a
// piece per parser is held beside the records. The problems, if any, are
// a read that failed, else those of the first file in import order that
// has one: a digest that is not the recorded one before any that cannot
// be parsed, as when every file was read and checked before the first was
// parsed.
func (s *Store) parseStored(tx sqlx.Queryer, files []storedFile) ([]*payout.Inputs, error) {
	parts := make([]*payout.Inputs, len(files))
	digestErrs, parseErrs := make([]error, len(files)), make([]error, len(files))
	rd := &pieceReader{q: tx, pg: s.pg}
	next := make(chan int)
	var wg sync.WaitGroup
	for range min(runtime.GOMAXPROCS(0), len(files)) {
		wg.Go(func() {
			for i := range next {
				f := &files[i]
				in, sum, err := s.parseFile(rd, f)
				if rd.failed() != nil {
					continue
				}
				if digestErrs[i] = checkDigest(f.Name, f.ID, sum, f.SHA256); digestErrs[i] != nil {
					continue
				}
				if err != nil {
					parseErrs[i] = fmt.Errorf("stored file %s (id %d) can no longer be read: %w", f.Name, f.ID, err)
					continue
				}
				stampImport(in, f.ImportID) // here, on the parser's core, not after the last file
				parts[i] = in
			}
		})
	}
	for _, i := range largestFirst(files) {
		if rd.failed() != nil {
			break
		}
		next <- i
	}
	close(next)
	wg.Wait()
	if err := rd.failed(); err != nil {
		return nil, err
	}
	for _, errs := range [][]error{digestErrs, parseErrs} {
		for _, err := range errs {
			if err != nil {
				return nil, err
			}
		}
	}
	return parts, nil
}

// parseFile reads and parses one stored file, and returns its records (or
// why they cannot be read) and the SHA-256 of the bytes read: the one the
// parser made of them, else made here.
func (s *Store) parseFile(rd *pieceReader, f *storedFile) (*payout.Inputs, string, error) {
	if f.Rest == 0 || s.stream == nil {
		data, err := rd.whole(f)
		if err != nil {
			return nil, "", err
		}
		in, err := s.parse(f.Name, data)
		return in, digestOf(in, err, data), err
	}
	in, err := s.stream(f.Name, f.Bytes, f.lines(), func() io.Reader { return rd.open(f) })
	if rd.failed() != nil {
		return nil, "", err
	}
	if sum := parsedDigest(in, err); sum != "" {
		return in, sum, nil
	}
	sum, rerr := rd.digest(f)
	if rerr != nil {
		return nil, "", rerr
	}
	return in, sum, err
}

// digestOf is the SHA-256 of a stored file's bytes: the one the importer
// made of them when it read them, else made here.
func digestOf(in *payout.Inputs, err error, data []byte) string {
	if sum := parsedDigest(in, err); sum != "" {
		return sum
	}
	return sha(data)
}

// parsedDigest is the SHA-256 the importer made of the one file it read
// into in, "" when it made none (or could not read the file).
func parsedDigest(in *payout.Inputs, err error) string {
	if err == nil && in != nil && len(in.Files) == 1 {
		return in.Files[0].SHA256
	}
	return ""
}

// largestFirst is the order in which to hand files to the parsers: the
// largest first, so that the big ones do not end up on one CPU one after
// the other.
func largestFirst(files []storedFile) []int {
	order := make([]int, len(files))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(files[b].Bytes, files[a].Bytes) })
	return order
}
