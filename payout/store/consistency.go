package store

import (
	"fmt"
	"strings"

	"github.com/jmoiron/sqlx"
)

// consistency is the store's own check of itself, cheap enough to run
// before every attest, approve and release (it reads no file contents and
// computes nothing): the audit log's hash chain; every run's status against
// the events of its last computation (an approved run has an attest and an
// approve event naming its digest, by two accounts, and the accounts the
// run names); every released run against its release record; and every
// stored file against the import event that names its digest. Each finding
// is one sentence; none means consistent.
func consistency(q sqlx.Queryer) ([]string, error) {
	_, problems, err := walkEvents(q)
	if err != nil {
		return nil, err
	}
	var rows []runRow
	if err := sqlx.Select(q, &rows, `SELECT `+runColumns+` FROM runs ORDER BY period`); err != nil {
		return nil, err
	}
	for _, row := range rows {
		run := row.run()
		more, err := runAgainstEvents(q, &run)
		if err != nil {
			return nil, err
		}
		problems = append(problems, more...)
	}
	more, err := releasesAgainstRuns(q)
	if err != nil {
		return nil, err
	}
	problems = append(problems, more...)
	more, err = filesAgainstImports(q)
	return append(problems, more...), err
}

// stepRank orders the statuses: a run at rank r must have the events of
// every step up to r.
var stepRank = map[Status]int{StatusComputed: 0, StatusAttested: 1, StatusApproved: 2, StatusReleased: 3}

// runAgainstEvents checks one run (with a digest; runs from before digests
// have nothing to check against) against the events since its last
// computation.
func runAgainstEvents(q sqlx.Queryer, run *Run) ([]string, error) {
	if run.Digest == "" {
		return nil, nil
	}
	evs, err := runEvents(q, run)
	if err != nil {
		return nil, err
	}
	where := fmt.Sprintf("run %s (%s, digest %s)", run.Period, run.Status, short(run.Digest))
	if len(evs) == 0 || evs[0].Action != ActionCompute || evs[0].RunID != run.ID || evs[0].RunSHA256 != run.Digest {
		return []string{where + ": its last compute event in the audit log names another run: the run was changed outside payout"}, nil
	}
	byAction := map[string][]Event{}
	for _, e := range evs[1:] {
		byAction[e.Action] = append(byAction[e.Action], e)
	}
	rank, ok := stepRank[run.Status]
	if !ok {
		return []string{where + ": unknown status"}, nil
	}
	var out []string
	steps := []struct {
		action string
		rank   int
		who    Actor
	}{{ActionAttest, 1, run.AttestedBy}, {ActionApprove, 2, run.ApprovedBy}, {ActionRelease, 3, Actor{}}}
	for _, st := range steps {
		if p := stepEvents(where, run, byAction[st.action], st.action, rank >= st.rank, st.who); p != "" {
			out = append(out, p)
		}
	}
	att, app := byAction[ActionAttest], byAction[ActionApprove]
	if len(att) == 1 && len(app) == 1 && att[0].Actor.Same(app[0].Actor) {
		out = append(out, fmt.Sprintf("%s: attested and approved by the same account %s", where, att[0].Actor))
	}
	return out, nil
}

// stepEvents checks the events of one step: exactly one naming the run's
// digest, by the account the run names, when the status needs it; none
// otherwise.
func stepEvents(where string, run *Run, evs []Event, action string, want bool, who Actor) string {
	switch {
	case !want && len(evs) > 0:
		return fmt.Sprintf("%s: the audit log holds a %s event (%s) that its status does not show", where, action, evs[0].Actor)
	case !want:
		return ""
	case len(evs) == 0:
		return fmt.Sprintf("%s: the audit log holds no %s event for this run: the status was changed outside payout", where, action)
	case len(evs) > 1:
		return fmt.Sprintf("%s: the audit log holds %d %s events for one computation", where, len(evs), action)
	}
	e := evs[0]
	if e.RunID != run.ID || e.RunSHA256 != run.Digest || e.Total != run.Total.StringFixed(2) {
		return fmt.Sprintf("%s: its %s event names digest %s and total %s, not the run's", where, action, short(e.RunSHA256), e.Total)
	}
	if who.Name != "" && (who.UID != e.Actor.UID || who.Name != e.Actor.Name) {
		return fmt.Sprintf("%s: the run names %s for %s, the audit log %s", where, who, action, e.Actor)
	}
	return ""
}

// releasesAgainstRuns: every released run has its release record and every
// release its released run.
func releasesAgainstRuns(q sqlx.Queryer) ([]string, error) {
	var rows []struct {
		Period string `db:"period"`
		Issue  string `db:"issue"`
	}
	err := sqlx.Select(q, &rows, `
		SELECT period, 'is marked released but its release record is missing' AS issue FROM runs
			WHERE status = 'released' AND id NOT IN (SELECT run_id FROM releases)
		UNION ALL
		SELECT r.period, 'has a release record, but its run is ' || coalesce(u.status || ' ' || u.period, 'missing') FROM releases r
			LEFT JOIN runs u ON u.id = r.run_id WHERE u.status IS DISTINCT FROM 'released' OR u.period IS DISTINCT FROM r.period
		ORDER BY 1`)
	if err != nil {
		return nil, err
	}
	out := make([]string, len(rows))
	for i, r := range rows {
		out[i] = fmt.Sprintf("run %s %s", r.Period, r.Issue)
	}
	return out, nil
}

// filesAgainstImports: every stored file's digest is named by an import
// event (in full; events from before the chain name the first 12 digits).
func filesAgainstImports(q sqlx.Queryer) ([]string, error) {
	var evs []eventRow
	if err := sqlx.Select(q, &evs, `SELECT `+eventColumns+` FROM events WHERE action = ? ORDER BY id`, ActionImport); err != nil {
		return nil, err
	}
	var full, legacy strings.Builder
	for _, e := range evs {
		if e.Hash == "" {
			legacy.WriteString(e.Detail + "\n")
		} else {
			full.WriteString(e.Detail + "\n")
		}
	}
	var files []struct {
		ID   int64  `db:"id"`
		Name string `db:"name"`
		Sum  string `db:"sha256"`
	}
	if err := sqlx.Select(q, &files, `SELECT id, name, sha256 FROM files ORDER BY id`); err != nil {
		return nil, err
	}
	var out []string
	for _, f := range files {
		if !strings.Contains(full.String(), f.Sum) && (len(f.Sum) < 12 || !strings.Contains(legacy.String(), f.Sum[:12])) {
			out = append(out, fmt.Sprintf("input file %s (id %d, %s) has no import event: it was added outside payout", f.Name, f.ID, short(f.Sum)))
		}
	}
	return out, nil
}
