package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"

	"github.com/jmoiron/sqlx"
)

// Event is one entry of the audit log. The log is hash-chained: each
// event's Hash is the SHA-256 of the previous event's hash and this event's
// fields, so a changed, removed or inserted event breaks every hash after
// it; each release signs the chain's head, so the log up to a release
// cannot be rewritten without the release key.
type Event struct {
	ID        int64
	At        time.Time // the real time, always
	Pinned    time.Time // the pinned clock's time (PAYOUT_NOW), zero unless pinned
	Period    string    // "" for imports
	Action    string    // import, compute, attest, approve, release, release-rewrite
	Actor     Actor
	RunID     int64  // the run the event is about (0: none)
	RunSHA256 string // the run's digest the event names (compute, attest, approve, release)
	Total     string // the run's total the event names
	Detail    string
	Hash      string
}

// The actions of the audit log.
const (
	ActionImport  = "import"
	ActionCompute = "compute"
	ActionAttest  = "attest"
	ActionApprove = "approve"
	ActionRelease = "release"
	// ActionRewrite: files of a released run written again (an
	// interrupted release completed).
	ActionRewrite = "release-rewrite"
)

type eventRow struct {
	ID        int64  `db:"id"`
	At        string `db:"at"`
	Pinned    string `db:"pinned_at"`
	Period    string `db:"period"`
	Action    string `db:"action"`
	User      string `db:"user"`
	UID       int64  `db:"uid"`
	RunID     int64  `db:"run_id"`
	RunSHA256 string `db:"run_sha256"`
	Total     string `db:"total"`
	Detail    string `db:"detail"`
	Hash      string `db:"hash"`
}

const eventColumns = `id, at, pinned_at, period, action, "user", uid, run_id, run_sha256, total, detail, hash`

func (r eventRow) event() Event {
	return Event{ID: r.ID, At: parseStamp(r.At), Pinned: parseStamp(r.Pinned), Period: r.Period, Action: r.Action,
		Actor: Actor{UID: r.UID, Name: r.User}, RunID: r.RunID, RunSHA256: r.RunSHA256, Total: r.Total,
		Detail: r.Detail, Hash: r.Hash}
}

// chainHash is the event's hash given the hash before it: SHA-256 over the
// previous hash and the event's fields as they are stored (strings quoted,
// so no field can borrow another's bytes).
func (r eventRow) chainHash(prev string) string {
	fields := []string{prev, strconv.FormatInt(r.ID, 10), r.At, r.Pinned, r.Period, r.Action, r.User,
		strconv.FormatInt(r.UID, 10), strconv.FormatInt(r.RunID, 10), r.RunSHA256, r.Total, r.Detail}
	var b strings.Builder
	b.WriteString("payout-event/1")
	for _, f := range fields {
		b.WriteByte(' ')
		b.WriteString(strconv.Quote(f))
	}
	sum := sha256.Sum256([]byte(b.String()))
	return hex.EncodeToString(sum[:])
}

// logEvent appends e to the audit log, chained to the event before, and
// returns the event's hash.
func logEvent(tx *sqlx.Tx, at When, e Event) (string, error) {
	var last eventRow
	err := tx.Get(&last, `SELECT `+eventColumns+` FROM events ORDER BY id DESC LIMIT 1`)
	prev := ""
	switch {
	case err == nil && last.Hash != "":
		prev = last.Hash
	case err == nil:
		// The log holds events from before it was chained: hash them
		// into the chain once, as Check does.
		if prev, _, err = walkEvents(tx); err != nil {
			return "", err
		}
	case !isNoRows(err):
		return "", err
	}
	row := eventRow{ID: last.ID + 1, At: stamp(at.Real), Pinned: at.pinnedStamp(), Period: e.Period, Action: e.Action,
		User: strings.TrimSpace(e.Actor.Name), UID: e.Actor.UID, RunID: e.RunID, RunSHA256: e.RunSHA256,
		Total: e.Total, Detail: e.Detail}
	row.Hash = row.chainHash(prev)
	_, err = tx.NamedExec(`INSERT INTO events (`+eventColumns+`) VALUES
		(:id, :at, :pinned_at, :period, :action, :user, :uid, :run_id, :run_sha256, :total, :detail, :hash)`, row)
	return row.Hash, err
}

// walkEvents recomputes the event chain and returns its head (the hash of
// the last event), every event, and what does not match: an event whose
// stored hash is not the recomputed one, or one without a hash after the
// log was chained. Events from before the chain (no hash) are hashed into
// it as they are.
func walkEvents(q sqlx.Queryer) (head string, problems []string, err error) {
	rows, err := q.Queryx(`SELECT ` + eventColumns + ` FROM events ORDER BY id`)
	if err != nil {
		return "", nil, err
	}
	defer rows.Close()
	prev, chained := "", false
	for rows.Next() {
		var r eventRow
		if err := rows.StructScan(&r); err != nil {
			return "", nil, err
		}
		h := r.chainHash(prev)
		switch {
		case r.Hash == "" && chained:
			problems = append(problems, fmt.Sprintf("audit log: event %d (%s %s at %s) has no chain hash: it was added outside payout", r.ID, r.Action, r.Period, r.At))
		case r.Hash != "" && r.Hash != h:
			problems = append(problems, fmt.Sprintf("audit log: event %d (%s %s at %s by %s) does not match its chain hash: the log was changed outside payout", r.ID, r.Action, r.Period, r.At, r.User))
			// Go on from the stored hash, so the one changed event is
			// reported and not every event after it.
			h = r.Hash
		}
		chained = chained || r.Hash != ""
		prev = h
	}
	return prev, problems, rows.Err()
}

// Events returns the audit log of one period ("" for imports), oldest
// first.
func (s *Store) Events(period string) ([]Event, error) {
	var rows []eventRow
	if err := s.db.Select(&rows, `SELECT `+eventColumns+` FROM events WHERE period = ? ORDER BY id`, period); err != nil {
		return nil, err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, nil
}

// runEvents returns the events of one run since it was last computed: the
// compute event first, then what followed (attest, approve, release).
func runEvents(q sqlx.Queryer, run *Run) ([]Event, error) {
	var rows []eventRow
	err := sqlx.Select(q, &rows, `SELECT `+eventColumns+` FROM events WHERE period = ? AND id >=
		(SELECT coalesce(max(id), 0) FROM events WHERE period = ? AND action = ?) ORDER BY id`,
		run.Period.String(), run.Period.String(), ActionCompute)
	if err != nil {
		return nil, err
	}
	out := make([]Event, len(rows))
	for i, r := range rows {
		out[i] = r.event()
	}
	return out, nil
}
