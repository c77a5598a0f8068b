package store

import (
	"fmt"
)

// Check verifies the store's integrity and returns every problem found:
// the release hash chain (each release names the previous manifest digest
// and its chain hash covers it), each released run's stored result against
// the digest its release recorded, and every stored input file against its
// SHA-256. An empty list means the store is intact.
func (s *Store) Check() ([]string, error) {
	rels, err := s.Releases()
	if err != nil {
		return nil, err
	}
	var problems []string
	prevManifest, prevChain := "", ""
	for i := range rels {
		r := &rels[i]
		if r.PreviousSHA256 != prevManifest {
			problems = append(problems, fmt.Sprintf("release %s: names %s as the previous manifest, but the release before has %s",
				r.Period, short(r.PreviousSHA256), short(prevManifest)))
		}
		if got := chainHash(prevChain, r); got != r.ChainSHA256 {
			problems = append(problems, fmt.Sprintf("release %s: chain hash %s does not match its record (%s): the release or one before it was changed",
				r.Period, short(r.ChainSHA256), short(got)))
		}
		problems = append(problems, s.checkReleasedRun(r)...)
		prevManifest, prevChain = r.ManifestSHA256, r.ChainSHA256
	}
	var orphans []string
	if err := s.db.Select(&orphans, `SELECT period FROM runs WHERE status = 'released'
		AND id NOT IN (SELECT run_id FROM releases) ORDER BY period`); err != nil {
		return nil, err
	}
	for _, p := range orphans {
		problems = append(problems, fmt.Sprintf("run %s is marked released but its release record is missing", p))
	}
	fileProblems, err := s.checkFiles()
	if err != nil {
		return nil, err
	}
	return append(problems, fileProblems...), nil
}

func (s *Store) checkReleasedRun(r *Release) []string {
	var row struct {
		Period string `db:"period"`
		Status string `db:"status"`
		Result []byte `db:"result"`
		Sum    string `db:"result_sha256"`
	}
	if err := s.db.Get(&row, `SELECT period, status, result, result_sha256 FROM runs WHERE id = ?`, r.RunID); err != nil {
		return []string{fmt.Sprintf("release %s: its run %d cannot be read: %v", r.Period, r.RunID, err)}
	}
	var out []string
	if row.Period != r.Period.String() || Status(row.Status) != StatusReleased {
		out = append(out, fmt.Sprintf("release %s: its run is now %s %s", r.Period, row.Period, row.Status))
	}
	if got := sha(row.Result); got != r.ResultSHA256 || row.Sum != r.ResultSHA256 {
		out = append(out, fmt.Sprintf("release %s: the stored result (%s) is not the one released (%s)", r.Period, short(got), short(r.ResultSHA256)))
	}
	return out
}

func (s *Store) checkFiles() ([]string, error) {
	rows, err := s.db.Queryx(`SELECT id, name, sha256, data FROM files ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []string
	for rows.Next() {
		var id int64
		var name, sum string
		var data []byte
		if err := rows.Scan(&id, &name, &sum, &data); err != nil {
			return nil, err
		}
		if got := sha(data); got != sum {
			out = append(out, fmt.Sprintf("input file %s (id %d): content %s does not match its digest %s", name, id, short(got), short(sum)))
		}
	}
	return out, rows.Err()
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
