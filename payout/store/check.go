package store

import (
	"errors"
	"fmt"

	"github.com/oslokommune/payout/payout/releasekey"
)

// CheckReport is what Check found and what it covered.
type CheckReport struct {
	Problems   []string // one sentence each; none means the store is intact
	Releases   int
	Signed     int // releases whose signature was checked against a trusted key
	Unsigned   int // releases without a signature (policy unsigned_releases)
	Recomputed int // released runs computed again and found equal
	Files      int // input files read and found equal to their digests
	Events     int
}

// Check verifies the whole store, for `payout status --check`: SQLite's
// integrity_check; the consistency check (the audit log's hash chain, every
// run against its events, every file against its import); the release
// chain (each release's statement names the previous chain hash and its
// own hash is its statement's) and each release's signature against the
// trusted keys in ring (a signed release whose key is not in the ring is a
// problem: it proves nothing); every released run computed again from its
// stored inputs, its digest compared with the released one (which also
// decides whether its policy allowed it unsigned); each released run's
// stored result against the digest its release recorded; and every stored
// input file against its SHA-256; and the bank reports' digests and chain.
func (s *Store) Check(ring releasekey.Ring) (*CheckReport, error) {
	rep := &CheckReport{}
	engine, err := s.engineCheck(true)
	if err != nil {
		return nil, err
	}
	rep.Problems = append(rep.Problems, engine...)
	cons, err := consistency(s.db)
	if err != nil {
		return nil, err
	}
	rep.Problems = append(rep.Problems, cons...)
	if err := s.db.Get(&rep.Events, `SELECT count(*) FROM events`); err != nil {
		return nil, err
	}
	rels, err := s.Releases()
	if err != nil {
		return nil, err
	}
	rep.Releases = len(rels)
	heads, err := s.eventHeads()
	if err != nil {
		return nil, err
	}
	for i := range rels {
		var prev *Release
		if i > 0 {
			prev = &rels[i-1]
		}
		rep.Problems = append(rep.Problems, s.checkRelease(&rels[i], prev, ring, heads, rep)...)
	}
	files, err := s.checkFiles(rep)
	if err != nil {
		return nil, err
	}
	rep.Problems = append(rep.Problems, files...)
	if _, err := bankReports(s.db, true); err != nil {
		rep.Problems = append(rep.Problems, err.Error()) // a bank report changed, or its chain broken (issue 13)
	}
	rep.Problems = append(rep.Problems, s.checkSupplements(ring)...)
	return rep, nil
}

// eventHeads maps each released period to the chain hash of the event
// before its release event: the head its release statement must name.
func (s *Store) eventHeads() (map[string]string, error) {
	return s.headsBefore(ActionRelease, func(r eventRow) string { return r.Period })
}

// headsBefore maps each event of action (by key) to the chain hash of the
// event before it.
func (s *Store) headsBefore(action string, key func(eventRow) string) (map[string]string, error) {
	var rows []eventRow
	if err := s.db.Select(&rows, `SELECT `+eventColumns+` FROM events ORDER BY id`); err != nil {
		return nil, err
	}
	out := map[string]string{}
	prev := ""
	for _, r := range rows {
		if r.Action == action {
			out[key(r)] = prev
		}
		if r.Hash != "" {
			prev = r.Hash
		} else {
			prev = r.chainHash(prev)
		}
	}
	return out, nil
}

// checkRelease checks one release against the one before it, its
// signature, its audit log head and its run.
func (s *Store) checkRelease(r, prev *Release, ring releasekey.Ring, heads map[string]string, rep *CheckReport) []string {
	if r.Version < 2 {
		return s.checkLegacyRelease(r, prev)
	}
	var out []string
	prevManifest, prevChain := "", ""
	if prev != nil {
		prevManifest, prevChain = prev.ManifestSHA256, prev.ChainSHA256
	}
	if r.PreviousChain != prevChain {
		out = append(out, fmt.Sprintf("release %s: names chain hash %s as the previous release's, but the release before has %s: a release was removed, inserted or changed",
			r.Period, short(r.PreviousChain), short(prevChain)))
	}
	if r.PreviousSHA256 != prevManifest {
		out = append(out, fmt.Sprintf("release %s: names manifest %s as the previous release's, but the release before has %s: a release was removed, inserted or changed",
			r.Period, short(r.PreviousSHA256), short(prevManifest)))
	}
	st := r.Statement()
	if got := statementHash(st); got != r.ChainSHA256 {
		out = append(out, fmt.Sprintf("release %s: its chain hash %s is not its statement's (%s): the release was changed outside payout",
			r.Period, short(r.ChainSHA256), short(got)))
	}
	if head, ok := heads[r.Period.String()]; !ok || head != r.EventsSHA256 {
		out = append(out, fmt.Sprintf("release %s: the audit log before its release event (head %s) is not the one it signed (%s): the log was changed outside payout",
			r.Period, short(head), short(r.EventsSHA256)))
	}
	out = append(out, checkSignature(r, st, ring, rep)...)
	return append(out, s.checkReleasedRun(r, rep)...)
}

func checkSignature(r *Release, st []byte, ring releasekey.Ring, rep *CheckReport) []string {
	if !r.Signed() {
		rep.Unsigned++
		if r.KeyID != "" {
			return []string{fmt.Sprintf("release %s: names key %s but carries no signature", r.Period, r.KeyID)}
		}
		return nil
	}
	key := ring.Find(r.KeyID)
	if key == nil {
		return []string{fmt.Sprintf("release %s is signed by key %s, which is not among the trusted public keys given (%d): give its public key with --pub FILE or PAYOUT_RELEASE_PUB",
			r.Period, r.KeyID, len(ring))}
	}
	if !key.Verify(st, r.Signature) {
		return []string{fmt.Sprintf("release %s: its signature does not verify with key %s: the release was changed outside payout", r.Period, r.KeyID)}
	}
	rep.Signed++
	return nil
}

// checkReleasedRun recomputes the released run from its stored inputs and
// compares it with the release, and checks the stored result's digest. An
// unsigned release is a problem unless its own policy allowed it.
func (s *Store) checkReleasedRun(r *Release, rep *CheckReport) []string {
	run, err := runByID(s.db, r.RunID)
	if err != nil {
		return []string{fmt.Sprintf("release %s: its run %d cannot be read: %v", r.Period, r.RunID, err)}
	}
	var out []string
	if run.Digest != r.RunSHA256 {
		out = append(out, fmt.Sprintf("release %s: released digest %s, but the run now has %s", r.Period, short(r.RunSHA256), short(run.Digest)))
	}
	res, _, err := s.Recompute(run)
	switch {
	case errors.Is(err, ErrDigestMismatch):
		return append(out, fmt.Sprintf("release %s: %v", r.Period, err))
	case err != nil:
		return append(out, fmt.Sprintf("release %s: %v", r.Period, err))
	}
	rep.Recomputed++
	if p := s.paidRecordProblem(r); p != "" {
		out = append(out, p)
	}
	if res.Total.StringFixed(2) != r.Total || len(res.Payments) != r.Payments {
		out = append(out, fmt.Sprintf("release %s: released %s in %d payments, the recomputed run pays %s in %d", r.Period, r.Total, r.Payments, res.Total.StringFixed(2), len(res.Payments)))
	}
	if !r.Signed() && !res.Policy.UnsignedReleases {
		out = append(out, fmt.Sprintf("release %s carries no signature, and its policy does not allow unsigned releases: the release was changed outside payout", r.Period))
	}
	if run.ResultSHA256 != r.ResultSHA256 || s.resultSHA(run.ID) != r.ResultSHA256 {
		out = append(out, fmt.Sprintf("release %s: the stored result is not the one released", r.Period))
	}
	return out
}

// checkLegacyRelease checks a release made before signatures by the old
// chain hash.
func (s *Store) checkLegacyRelease(r, prev *Release) []string {
	var out []string
	prevManifest, prevChain := "", ""
	if prev != nil {
		prevManifest, prevChain = prev.ManifestSHA256, prev.ChainSHA256
	}
	if r.PreviousSHA256 != prevManifest {
		out = append(out, fmt.Sprintf("release %s: names %s as the previous manifest, but the release before has %s",
			r.Period, short(r.PreviousSHA256), short(prevManifest)))
	}
	if got := legacyChainHash(prevChain, r); got != r.ChainSHA256 {
		out = append(out, fmt.Sprintf("release %s: chain hash %s does not match its record (%s): the release or one before it was changed",
			r.Period, short(r.ChainSHA256), short(got)))
	}
	if got := s.resultSHA(r.RunID); got != r.ResultSHA256 {
		out = append(out, fmt.Sprintf("release %s: the stored result (%s) is not the one released (%s)", r.Period, short(got), short(r.ResultSHA256)))
	}
	return out
}

// resultSHA is the SHA-256 of a run's stored result blob ("" when it
// cannot be read).
func (s *Store) resultSHA(runID int64) string {
	blob, err := readValue(s.db, s.pg, `SELECT result FROM run_results WHERE run_id = ?`, runID)
	if err != nil {
		return ""
	}
	return sha(blob)
}

func (s *Store) checkFiles(rep *CheckReport) ([]string, error) {
	var ids []int64
	if err := s.db.Select(&ids, `SELECT id FROM files ORDER BY id`); err != nil {
		return nil, err
	}
	var out []string
	for _, id := range ids {
		if _, _, err := readFile(s.db, s.pg, id); err != nil {
			out = append(out, err.Error())
			continue
		}
		rep.Files++
	}
	return out, nil
}

func short(s string) string {
	if len(s) > 12 {
		return s[:12]
	}
	if s == "" {
		return "(none)"
	}
	return s
}
