package excel

import (
	"sync"

	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/payout"
)

// Set renders the workbooks of one Result: report.xlsx and each district's
// bydel-NN.xlsx. It splits the Result by district (when the first
// district workbook is rendered) and indexes the agreements' names once,
// so rendering every workbook reads the Result and
// the Inputs once rather than once per district and sheet. Both are only
// read, never changed, and the methods are safe for concurrent use: each
// workbook is rendered independently, so rendering them in parallel gives
// the same bytes as rendering them one after the other.
type Set struct {
	res *payout.Result
	in  *payout.Inputs
	// districts is split(res), made by the first district workbook
	// rendered: report.xlsx does not need it, and it is the longest part
	// of NewSet, which bundle.Render runs before any step starts.
	districts func() map[string]*payout.Result
	// best holds, per district code ("" for the whole run), the name of
	// each agreement's version in force at the run's as-of date.
	best map[string]map[string]version
	// schemes is each agreement's scheme, for the clause a rule cites
	// (payout.ClauseFor: a fysio agreement cites its own regulations).
	schemes map[string]payout.Scheme
	// journal is the run's voucher for report.xlsx's Bilag sheet; nil
	// until WithJournal, and then Report books the Result itself.
	journal *journal.Journal
	// skeletons are the district workbooks' skeletons by shape
	// (skeleton.go): made by excelize once, not once per district.
	skeletons *skeletonCache
	// policy is the run's policy parameters (policyParams), which every
	// workbook's Grunnlag sheet lists: the districts have the run's policy.
	policy func() ([]param, error)
}

// WithJournal gives the Set the run's voucher, so that report.xlsx shows
// the very voucher journal.csv holds and the Result is booked once.
func (s *Set) WithJournal(j *journal.Journal) *Set {
	s.journal = j
	return s
}

type version struct {
	recordedOn payout.Date
	name       string
}

// NewSet prepares the workbooks of res; in may be nil.
func NewSet(res *payout.Result, in *payout.Inputs) *Set {
	s := &Set{res: res, in: in, districts: sync.OnceValue(func() map[string]*payout.Result { return split(res) }), best: map[string]map[string]version{"": {}}, schemes: map[string]payout.Scheme{},
		skeletons: newSkeletonCache(), policy: sync.OnceValues(func() ([]param, error) { return policyParams(res.Policy) })}
	for _, l := range res.Lines {
		s.schemes[l.AgreementID] = l.Scheme
	}
	if in == nil {
		return s
	}
	for _, a := range in.Agreements {
		if _, ok := s.schemes[a.ID]; !ok {
			s.schemes[a.ID] = a.Scheme
		}
		if a.RecordedOn > res.AsOf {
			continue
		}
		for _, key := range [2]string{"", a.Bydel} {
			m := s.best[key]
			if m == nil {
				m = map[string]version{}
				s.best[key] = m
			}
			// A later version wins; of two recorded the same day, the later in the file.
			if cur, ok := m[a.ID]; !ok || a.RecordedOn >= cur.recordedOn {
				m[a.ID] = version{a.RecordedOn, a.Name}
			}
			if a.Bydel == "" {
				break // the same map: count the version once
			}
		}
	}
	return s
}

// Report renders report.xlsx: every district, and the voucher. A Result
// the ledger block cannot book (a district without an ansvar, a missing
// account) is an error.
func (s *Set) Report() ([]byte, error) {
	v := s.view("")
	v.journal = s.journal
	if v.journal == nil {
		j, err := journal.Build(s.res)
		if err != nil {
			return nil, err
		}
		v.journal = j
	}
	return render(v, nil)
}

// District renders bydel-NN.xlsx: the Result restricted to one district.
func (s *Set) District(bydel string) ([]byte, error) { return render(s.view(bydel), s.skeletons) }

func (s *Set) view(bydel string) view {
	v := view{res: s.res, in: s.in, bydel: bydel}
	if bydel != "" {
		if v.res = s.districts()[bydel]; v.res == nil {
			v.res = emptied(s.res)
		}
	}
	v.names = s.agreementNames(v)
	v.schemes, v.policy = s.schemes, s.policy
	return v
}

// agreementNames maps agreement IDs to practitioners' names: from the
// view's lines, else from the version of the agreement in force at the
// run's as-of date (an agreement may have an adjustment but no line); a
// district workbook looks only at versions in that district.
func (s *Set) agreementNames(v view) map[string]string {
	names := make(map[string]string, len(v.res.Lines))
	for _, l := range v.res.Lines {
		names[l.AgreementID] = l.Name
	}
	if v.in == nil {
		return names
	}
	for id, a := range s.best[v.bydel] {
		if _, ok := names[id]; !ok {
			names[id] = a.name
		}
	}
	return names
}
