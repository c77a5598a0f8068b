package store

import (
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// Status is where a run stands in its lifecycle.
type Status string

// The statuses, in lifecycle order.
const (
	StatusComputed Status = "computed"
	StatusAttested Status = "attested"
	StatusApproved Status = "approved"
	StatusReleased Status = "released"
)

// Run is the stored run of one period.
type Run struct {
	ID           int64
	Period       payout.Period
	Status       Status
	AsOf         payout.Date
	PayDate      payout.Date
	InputDigest  string
	ComputedAt   time.Time
	Computations int // how many times the period was computed
	Total        decimal.Decimal
	Agreements   int
	Payees       int
	Lines        int
	Warnings     int
	ResultSHA256 string
	// Digest is payout.RunDigest of the result: what attest and approve
	// name and release re-derives. "" for a run computed before digests.
	Digest string
	// ManifestSHA256 and OutDir: the manifest of the folder the run was
	// written to, and that folder.
	ManifestSHA256 string
	OutDir         string
	ComputedBy     Actor
	AttestedBy     Actor
	AttestedAt     time.Time
	ApprovedBy     Actor
	ApprovedAt     time.Time
	// Release is set once the run is released.
	Release *Release
}

type runRow struct {
	ID           int64  `db:"id"`
	Period       string `db:"period"`
	Status       string `db:"status"`
	AsOf         string `db:"as_of"`
	PayDate      string `db:"pay_date"`
	InputDigest  string `db:"input_digest"`
	ComputedAt   string `db:"computed_at"`
	Computations int    `db:"computations"`
	Total        string `db:"total"`
	Agreements   int    `db:"agreements"`
	Payees       int    `db:"payees"`
	Lines        int    `db:"lines"`
	Warnings     int    `db:"warnings"`
	ResultSHA256 string `db:"result_sha256"`
	Digest       string `db:"digest"`
	ManifestSHA  string `db:"manifest_sha256"`
	OutDir       string `db:"out_dir"`
	ComputedBy   string `db:"computed_by"`
	ComputedUID  int64  `db:"computed_uid"`
	AttestedBy   string `db:"attested_by"`
	AttestedUID  int64  `db:"attested_uid"`
	AttestedAt   string `db:"attested_at"`
	ApprovedBy   string `db:"approved_by"`
	ApprovedUID  int64  `db:"approved_uid"`
	ApprovedAt   string `db:"approved_at"`
}

const runColumns = `id, period, status, as_of, pay_date, input_digest, computed_at, computations,
	total, agreements, payees, lines, warnings, result_sha256, digest, manifest_sha256, out_dir,
	computed_by, computed_uid, attested_by, attested_uid, attested_at, approved_by, approved_uid, approved_at`

func (r runRow) run() Run {
	p, _ := payout.ParsePeriod(r.Period)
	asOf, _ := payout.ParseDate(r.AsOf)
	pay, _ := payout.ParseDate(r.PayDate)
	total, _ := decimal.NewFromString(r.Total)
	return Run{
		ID: r.ID, Period: p, Status: Status(r.Status), AsOf: asOf, PayDate: pay,
		InputDigest: r.InputDigest, ComputedAt: parseStamp(r.ComputedAt), Computations: r.Computations,
		Total: total, Agreements: r.Agreements, Payees: r.Payees, Lines: r.Lines, Warnings: r.Warnings,
		ResultSHA256: r.ResultSHA256, Digest: r.Digest, ManifestSHA256: r.ManifestSHA, OutDir: r.OutDir,
		ComputedBy: Actor{UID: r.ComputedUID, Name: r.ComputedBy},
		AttestedBy: Actor{UID: r.AttestedUID, Name: r.AttestedBy}, AttestedAt: parseStamp(r.AttestedAt),
		ApprovedBy: Actor{UID: r.ApprovedUID, Name: r.ApprovedBy}, ApprovedAt: parseStamp(r.ApprovedAt),
	}
}

// Run returns the run of p, or an error matching ErrNoRun.
func (s *Store) Run(p payout.Period) (*Run, error) {
	return runTx(s.db, p)
}

func runTx(q sqlx.Queryer, p payout.Period) (*Run, error) {
	var row runRow
	err := sqlx.Get(q, &row, `SELECT `+runColumns+` FROM runs WHERE period = ?`, p.String())
	if errors.Is(err, sql.ErrNoRows) {
		return nil, refusef(ErrNoRun, "no run of %s is stored: run 'payout run --db FILE --period %s' first", p, p)
	}
	if err != nil {
		return nil, err
	}
	run := row.run()
	rel, err := releaseOf(q, run.ID)
	if err != nil {
		return nil, err
	}
	run.Release = rel
	return &run, nil
}

func runByID(q sqlx.Queryer, id int64) (*Run, error) {
	var period string
	if err := sqlx.Get(q, &period, `SELECT period FROM runs WHERE id = ?`, id); err != nil {
		return nil, err
	}
	p, err := payout.ParsePeriod(period)
	if err != nil {
		return nil, err
	}
	return runTx(q, p)
}

// Runs returns every stored run, by period.
func (s *Store) Runs() ([]Run, error) {
	var rows []runRow
	if err := s.db.Select(&rows, `SELECT `+runColumns+` FROM runs ORDER BY period`); err != nil {
		return nil, err
	}
	rels, err := s.Releases()
	if err != nil {
		return nil, err
	}
	byRun := map[int64]*Release{}
	for i := range rels {
		byRun[rels[i].RunID] = &rels[i]
	}
	out := make([]Run, len(rows))
	for i, r := range rows {
		out[i] = r.run()
		out[i].Release = byRun[r.ID]
	}
	return out, nil
}

// Result returns the stored result of a run, exactly as computed.
func (s *Store) Result(runID int64) (*payout.Result, error) {
	blob, err := s.resultBlob(runID)
	if err != nil {
		return nil, err
	}
	var res payout.Result
	if err := json.Unmarshal(blob, &res); err != nil {
		return nil, fmt.Errorf("stored result of run %d: %w", runID, err)
	}
	return &res, nil
}

// resultBlob is a run's stored result, checked against its SHA-256, both
// read by one query (a recompute that commits between two would look like
// a changed store). On SQLite the value is the driver's own copy, not
// copied once more (readRow, pieceReader.value).
func (s *Store) resultBlob(runID int64) ([]byte, error) {
	blob, err := readDigested(s.db, s.pg, `SELECT r.result, runs.result_sha256 FROM runs
		JOIN run_results r ON r.run_id = runs.id WHERE runs.id = ?`, runID)
	switch {
	case isNoRows(err):
		return nil, fmt.Errorf("run %d has no stored result: the store was changed outside payout", runID)
	case errors.Is(err, errDigest):
		return nil, fmt.Errorf("stored result of run %d %w: the store was changed outside payout", runID, err)
	}
	return blob, err
}

func sha(b []byte) string {
	s := sha256.Sum256(b)
	return hex.EncodeToString(s[:])
}

// SaveOptions say who computes, when, where the files go and whether an
// approved run may be reopened.
type SaveOptions struct {
	At When
	By Actor
	// Reopen allows replacing an approved (not released) run; its
	// attestation and approval are void.
	Reopen bool
	// OutDir is the folder the run's files are written to, for the
	// record.
	OutDir string
	// Write writes the run's files and returns their manifest's SHA-256.
	// It runs inside the transaction, after every check and before the
	// commit: when it fails nothing is stored, and the store never points
	// at a run whose files were not written. Nil writes nothing.
	Write func() (manifestSHA256 string, err error)
	// Digest is payout.RunDigest of the result when the caller has made
	// it already (the rendered manifest holds it), so that it is not made
	// twice; "" makes it here.
	Digest string
	// Manifest, when not "", is the SHA-256 of the manifest Write will put
	// in place, known before Write runs (payout run --db renders and
	// writes the files to temporary names first; Write only moves them
	// into place): the result is then stored before Write, so that little
	// but the commit follows the files, and Write must return it.
	Manifest string
}

// SaveRun stores res as the computed run of its period, from the inputs of
// state, replacing a computed or attested run (and an approved one with
// Reopen). A released period is refused, and so are inputs that changed
// since state was read. It returns the stored run and the status of the
// run it replaced ("" when none).
func (s *Store) SaveRun(res *payout.Result, state InputState, opt SaveOptions) (run *Run, replaced Status, err error) {
	if err := s.requireRole(RolePreparer); err != nil {
		return nil, "", err
	}
	return s.saveRun(res, state, marshalResult(res), opt)
}

// saveRun is SaveRun with the result's JSON started already (by StartSave,
// when its save must be done again). The JSON is made once for every
// attempt, on another core while the transaction checks and stores the
// run's rows.
func (s *Store) saveRun(res *payout.Result, state InputState, blob *resultJSON, opt SaveOptions) (run *Run, replaced Status, err error) {
	defer blob.wait()
	err = s.retrying(func() error { run, replaced, err = s.saveRunOnce(res, state, blob, opt); return err })
	return run, replaced, err
}

// resultJSON is a result's stored form (its JSON and that JSON's SHA-256),
// made on its own goroutine.
type resultJSON struct {
	done chan struct{}
	data []byte
	sum  string
	err  error
}

// marshalResult starts making res's stored form on its own goroutine, so
// that it is made beside other work (the save's checks and rows; payout
// run --db renders the files meanwhile). It reads only res: nothing may
// change res until the save returns.
func marshalResult(res *payout.Result) *resultJSON {
	r := &resultJSON{done: make(chan struct{})}
	go func() {
		defer close(r.done)
		if r.data, r.err = encodeResult(res); r.err != nil {
			r.err = fmt.Errorf("store: result: %w", r.err)
			return
		}
		r.sum = sha(r.data)
	}()
	return r
}

// wait returns the JSON once it is made.
func (r *resultJSON) wait() ([]byte, string, error) {
	<-r.done
	return r.data, r.sum, r.err
}

func (s *Store) saveRunOnce(res *payout.Result, state InputState, blob *resultJSON, opt SaveOptions) (*Run, Status, error) {
	ps, err := s.prepareSave(res, state, opt)
	if err != nil {
		return nil, "", err
	}
	defer ps.tx.Rollback()
	return ps.complete(blob, opt)
}

// preparedSave is a save whose transaction has checked the run and stored
// its row and detail: all that needs only the result, not its files.
type preparedSave struct {
	tx       *sqlx.Tx
	id       int64
	replaced Status
	saved    savedRun
}

// prepareSave begins the save's transaction, checks that the run may be
// stored, and stores its row (without its result, digest and manifest) and
// its lines, payments and files.
func (s *Store) prepareSave(res *payout.Result, state InputState, opt SaveOptions) (*preparedSave, error) {
	if err := opt.By.valid(); err != nil {
		return nil, err
	}
	tx, err := s.begin()
	if err != nil {
		return nil, err
	}
	ps, err := s.prepareTx(tx, res, state, opt)
	if err != nil {
		tx.Rollback()
		return nil, err
	}
	return ps, nil
}

func (s *Store) prepareTx(tx *sqlx.Tx, res *payout.Result, state InputState, opt SaveOptions) (*preparedSave, error) {
	prev, err := runTx(tx, res.Period)
	if err != nil && !errors.Is(err, ErrNoRun) {
		return nil, err
	}
	ps := &preparedSave{tx: tx, saved: savedRun{res: res, state: state, computations: 1, opt: opt}}
	if prev != nil {
		if err := replaceable(prev, opt.Reopen); err != nil {
			return nil, err
		}
		ps.replaced, ps.saved.computations = prev.Status, prev.Computations+1
	}
	if now, err := stateOf(tx); err != nil || now.Digest != state.Digest {
		if err != nil {
			return nil, err
		}
		return nil, refusef(ErrInputsChanged, "inputs changed while %s was computed (another import): run it again", res.Period)
	}
	if ps.id, err = ps.saved.upsert(tx, prev); err != nil {
		return nil, err
	}
	if err := s.storeRunDetail(tx, ps.id, res, state, prev != nil); err != nil {
		return nil, err
	}
	return ps, nil
}

// complete stores what the result's files give (opt's Digest, Manifest and
// Write) and the result, and commits.
func (ps *preparedSave) complete(blob *resultJSON, opt SaveOptions) (*Run, Status, error) {
	tx, saved := ps.tx, &ps.saved
	saved.opt = opt
	if saved.digest = opt.Digest; saved.digest == "" {
		saved.digest = payout.RunDigest(saved.res)
	}
	if err := saved.logCompute(tx, ps.id, ps.replaced); err != nil {
		return nil, "", err
	}
	// Every check is done and every row stored (the result too, when
	// StartSave stored it early): the result's JSON is the last thing that
	// can fail before the files are written.
	data, sum, err := blob.wait()
	if err != nil {
		return nil, "", err
	}
	if err := saved.store(tx, ps.id, data, sum); err != nil {
		return nil, "", err
	}
	run, err := runTx(tx, saved.res.Period)
	if err != nil {
		return nil, "", err
	}
	return run, ps.replaced, tx.Commit()
}

// storeResultEarly stores the result (its table, run_results) while the
// files are still being rendered. Finish then sets only the run's digest,
// manifest and result SHA-256 in the run's small row: the 7 MB result is
// not written, nor read back, after the render (issue 16).
func (ps *preparedSave) storeResultEarly(blob *resultJSON) error {
	data, _, err := blob.wait()
	if err != nil {
		return err
	}
	if err := putResult(ps.tx, ps.id, data); err != nil {
		return err
	}
	ps.saved.resultStored = true
	return nil
}

// putResult stores a run's result, replacing the one it had when the run
// is recomputed. SQLite overwrites a value of unchanged length in place,
// writing only the pages whose bytes differ, so an unchanged recompute
// writes little of it.
func putResult(tx *sqlx.Tx, id int64, data []byte) error {
	_, err := tx.Exec(`INSERT INTO run_results (run_id, result) VALUES (?, ?)
		ON CONFLICT (run_id) DO UPDATE SET result = excluded.result`, id, data)
	return err
}

// PendingSave is a run being stored while its files are rendered
// (StartSave): its transaction checks the run and stores its row, detail
// and result on a goroutine of its own, and Finish stores the rest (the
// digest and the manifest) once the files are rendered. payout run --db
// renders for most of a second, and the rows were most of what it waited
// for after that (issue 16).
type PendingSave struct {
	s     *Store
	res   *payout.Result
	state InputState
	opt   SaveOptions
	blob  *resultJSON
	done  chan struct{}
	ps    *preparedSave
	err   error
}

// StartSave begins storing res as SaveRun does, for the caller to Finish
// once it has rendered the files (and to Close in any case). The caller
// holds the lock of the run's folder already: every command that takes
// both takes the folder's before the store's.
func (s *Store) StartSave(res *payout.Result, state InputState, opt SaveOptions) *PendingSave {
	p := &PendingSave{s: s, res: res, state: state, opt: opt, blob: marshalResult(res), done: make(chan struct{})}
	go func() {
		defer close(p.done)
		if p.err = s.requireRole(RolePreparer); p.err == nil {
			p.ps, p.err = s.prepareSave(res, state, opt)
		}
		if p.err == nil {
			if p.err = p.ps.storeResultEarly(p.blob); p.err != nil {
				p.ps.tx.Rollback()
				p.ps = nil
			}
		}
	}()
	return p
}

// Finish completes the save with the files' digest, manifest and Write
// (SaveOptions). A conflict with another transaction (PostgreSQL) saves
// the run again whole, as SaveRun retries it.
func (p *PendingSave) Finish(digest, manifest string, write func() (string, error)) (*Run, Status, error) {
	<-p.done
	opt := p.opt
	opt.Digest, opt.Manifest, opt.Write = digest, manifest, write
	err := p.err
	if ps := p.ps; ps != nil {
		p.ps = nil
		var run *Run
		var replaced Status
		run, replaced, err = ps.complete(p.blob, opt)
		ps.tx.Rollback()
		if err == nil {
			return run, replaced, nil
		}
	}
	if p.s.pg && retryable(err) {
		return p.s.saveRun(p.res, p.state, p.blob, opt)
	}
	return nil, "", err
}

// Close ends a save not finished: nothing of it is stored.
func (p *PendingSave) Close() {
	<-p.done
	if p.ps != nil {
		p.ps.tx.Rollback()
		p.ps = nil
	}
	p.blob.wait()
}

// savedRun is one SaveRun's data.
type savedRun struct {
	res          *payout.Result
	state        InputState
	digest       string
	computations int
	opt          SaveOptions
	// resultStored: the result is in run_results already
	// (storeResultEarly).
	resultStored bool
}

func (sr *savedRun) logCompute(tx *sqlx.Tx, id int64, replaced Status) error {
	detail := fmt.Sprintf("as-of %s, inputs %s", sr.res.AsOf, sr.state.Digest[:12])
	if replaced != "" {
		detail += fmt.Sprintf(", replaces the %s run", replaced)
	}
	_, err := logEvent(tx, sr.opt.At, Event{Period: sr.res.Period.String(), Action: ActionCompute, Actor: sr.opt.By,
		RunID: id, RunSHA256: sr.digest, Total: sr.res.Total.StringFixed(2), Detail: detail})
	return err
}

// store writes the files (the caller's Write) and stores the result with
// their manifest: after Write, which says what the manifest is, unless it
// is known before (SaveOptions.Manifest), when the result is stored first.
func (sr *savedRun) store(tx *sqlx.Tx, id int64, data []byte, sum string) error {
	if sr.opt.Manifest == "" {
		manifest, err := sr.write()
		if err != nil {
			return err
		}
		return sr.finish(tx, id, data, sum, manifest)
	}
	if err := sr.finish(tx, id, data, sum, sr.opt.Manifest); err != nil {
		return err
	}
	written, err := sr.write()
	if err == nil && written != sr.opt.Manifest {
		err = fmt.Errorf("store: the files written have manifest %s, not the %s said before", short(written), short(sr.opt.Manifest))
	}
	return err
}

// write runs the caller's Write and returns the manifest it wrote ("" when
// there is no Write).
func (sr *savedRun) write() (string, error) {
	if sr.opt.Write == nil {
		return "", nil
	}
	return sr.opt.Write()
}

// finish stores the result (unless storeResultEarly has), and the run's
// digest, the result's SHA-256 and the manifest written in the run's row.
func (sr *savedRun) finish(tx *sqlx.Tx, id int64, data []byte, sum, manifest string) error {
	if !sr.resultStored {
		if err := putResult(tx, id, data); err != nil {
			return err
		}
	}
	_, err := tx.Exec(`UPDATE runs SET result_sha256 = ?, manifest_sha256 = ?, digest = ? WHERE id = ?`, sum, manifest, sr.digest, id)
	return err
}

// Replaceable says whether a new computation may replace the run: nil for a
// computed or attested run, or an approved one with reopen; else the
// refusal SaveRun would give.
func (r *Run) Replaceable(reopen bool) error { return replaceable(r, reopen) }

func replaceable(prev *Run, reopen bool) error {
	switch prev.Status {
	case StatusReleased:
		return releasedError(prev)
	case StatusApproved:
		if !reopen {
			return refusef(ErrAlreadyApproved, "the run of %s was approved by %s at %s; recomputing it voids the attestation and approval: give --reopen to do so",
				prev.Period, prev.ApprovedBy, prev.ApprovedAt)
		}
	}
	return nil
}

// AlreadyReleased is the refusal for a released run: when and by whom.
func AlreadyReleased(run *Run) error { return releasedError(run) }

func releasedError(run *Run) error {
	if run.Release == nil {
		return refusef(ErrAlreadyReleased, "%s is already released", run.Period)
	}
	return refusef(ErrAlreadyReleased, "%s was already released at %s by %s (manifest %s); a released run is never changed — corrections are paid as adjustments in a later period",
		run.Period, run.Release.ReleasedAt, run.Release.ReleasedBy, run.Release.ManifestSHA256[:12])
}

// upsert stores the run's row without its digest and result's SHA-256,
// which finish sets (the result is in run_results).
func (sr *savedRun) upsert(tx *sqlx.Tx, prev *Run) (int64, error) {
	res, by := sr.res, sr.opt.By
	args := []any{string(StatusComputed), res.AsOf.String(), res.PayDate.String(), sr.state.Digest, stamp(sr.opt.At.Real),
		sr.computations, res.Total.StringFixed(2), countAgreements(res), len(res.Payments), len(res.Lines), len(res.Warnings),
		"", "", sr.opt.OutDir, strings.TrimSpace(by.Name), by.UID}
	if prev == nil {
		var id int64
		err := tx.Get(&id, `INSERT INTO runs (id, status, as_of, pay_date, input_digest, computed_at, computations,
			total, agreements, payees, lines, warnings, result_sha256, digest, out_dir, computed_by, computed_uid, period)
			VALUES ((SELECT coalesce(max(id), 0) + 1 FROM runs), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
			append(args, res.Period.String())...)
		return id, err
	}
	_, err := tx.Exec(`UPDATE runs SET status = ?, as_of = ?, pay_date = ?, input_digest = ?, computed_at = ?, computations = ?,
		total = ?, agreements = ?, payees = ?, lines = ?, warnings = ?, result_sha256 = ?,
		digest = ?, out_dir = ?, computed_by = ?, computed_uid = ?, manifest_sha256 = '',
		attested_by = '', attested_uid = -1, attested_at = '', approved_by = '', approved_uid = -1, approved_at = ''
		WHERE id = ?`, append(args, prev.ID)...)
	return prev.ID, err
}

func countAgreements(res *payout.Result) int {
	seen := map[string]bool{}
	for _, l := range res.Lines {
		seen[l.AgreementID] = true
	}
	return len(seen)
}

// storeRunDetail replaces the run's files, lines and payments. The lines
// and the payments are each written by a few statements over one JSON
// array of their rows (replaceRows): 10 000 of each at national scale, and
// a statement per row, or a parameter per value, cost more than the rows
// (a call into SQLite's C code for each value, a round trip to PostgreSQL
// for each statement).
func (s *Store) storeRunDetail(tx *sqlx.Tx, id int64, res *payout.Result, state InputState, replacing bool) error {
	if _, err := tx.Exec(`DELETE FROM run_files WHERE run_id = ?`, id); err != nil {
		return err
	}
	for _, f := range state.FileIDs {
		if _, err := tx.Exec(`INSERT INTO run_files (run_id, file_id) VALUES (?, ?)`, id, f); err != nil {
			return err
		}
	}
	lines := make([][]string, len(res.Lines))
	for i := range res.Lines {
		l := &res.Lines[i]
		lines[i] = []string{l.Bydel, l.AgreementID, string(l.Role), l.PayeeID,
			l.Entitlement.StringFixed(2), l.Withheld.StringFixed(2), l.Released.StringFixed(2),
			l.Adjustments.StringFixed(2), l.Net.StringFixed(2), l.CarriedOut.StringFixed(2)}
	}
	if err := s.replaceRows(tx, id, "run_lines", []string{"bydel", "agreement_id", "role", "payee_id",
		"entitlement", "withheld", "released", "adjustments", "net", "carried_out"}, lines, replacing); err != nil {
		return fmt.Errorf("store: lines: %w", err)
	}
	payments := make([][]string, len(res.Payments))
	for i := range res.Payments {
		p := &res.Payments[i]
		payments[i] = []string{p.PayeeID, p.Name, p.Account, p.Amount.StringFixed(2), p.EndToEndID}
	}
	if err := s.replaceRows(tx, id, "run_payments", []string{"payee_id", "name", "account", "amount", "end_to_end_id"}, payments, replacing); err != nil {
		return fmt.Errorf("store: payments: %w", err)
	}
	return nil
}

// replaceRows makes the rows of table with run_id id exactly rows (each the
// values of columns, in order), writing only the difference: the rows
// that are not among them, whole, are deleted, and then the rows that are
// not there yet are inserted (a row whose key is there is, after the
// delete, the same row). A recomputation mostly gives the lines it gave
// before, and deleting all of them and inserting them again cost more
// than the rest of storing the run (issue 16): on SQLite each deleted row
// runs the trigger that guards a released run's detail. Only INSERT and
// DELETE are used, the rights PostgreSQL's preparer has on these tables;
// the rows stored are counted, so that a key given twice is refused. A
// run stored for the first time (not replacing) has no rows to delete.
// The JSON array is read by SQLite's jsonb_each or PostgreSQL's
// json_array_elements (the few words the back ends spell differently):
// jsonb_each gives each row as binary JSON, so its value->>i are looked up
// in place, where json_each's text rows were parsed again for every column
// (≈ 25 ms of a Norway run's save, issue 16).
func (s *Store) replaceRows(tx *sqlx.Tx, id int64, table string, columns []string, rows [][]string, replacing bool) error {
	if len(rows) == 0 {
		_, err := tx.Exec(`DELETE FROM `+table+` WHERE run_id = ?`, id)
		return err
	}
	data, err := json.Marshal(rows)
	if err != nil {
		return err
	}
	text := string(data) // once: each statement's argument would be a copy
	elements := "jsonb_each(?)"
	if s.pg {
		elements = "json_array_elements(?::json)"
	}
	values := make([]string, len(columns))
	for i := range columns {
		values[i] = fmt.Sprintf("value->>%d", i)
	}
	cols, vals := strings.Join(columns, ", "), strings.Join(values, ", ")
	if replacing {
		if _, err := tx.Exec(`DELETE FROM `+table+` WHERE run_id = ? AND (`+cols+`) NOT IN (SELECT `+vals+` FROM `+elements+`)`,
			id, text); err != nil {
			return err
		}
	}
	if _, err := tx.Exec(`INSERT INTO `+table+` (run_id, `+cols+`) SELECT ?, `+vals+` FROM `+elements+
		` WHERE true ON CONFLICT DO NOTHING`, id, text); err != nil {
		return err
	}
	// A key twice among rows is not skipped in silence, as the plain
	// insert refused it.
	var n int
	if err := tx.Get(&n, `SELECT count(*) FROM `+table+` WHERE run_id = ?`, id); err != nil {
		return err
	}
	if n != len(rows) {
		return fmt.Errorf("%d rows stored for %d given: a key is given twice", n, len(rows))
	}
	return nil
}
