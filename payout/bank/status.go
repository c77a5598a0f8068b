package bank

import (
	"strconv"
	"time"

	"github.com/oslokommune/payout/payout"
)

// A pain.002's statuses apply from the group down: the group's status to
// every payment of the file, a block's to its payments, a transaction's to
// itself; the most specific status of the report wins.

// effect is one status for one payment.
type effect struct {
	t      *Track
	code   string
	reason *Reason
	src    Source
}

// scope is the statuses of one report for one file.
type scope struct {
	file   *File
	group  *Status
	blocks map[string]*Status
	txs    map[string]*Status
}

func (l *Ledger) applyStatuses(rep *Report) (Outcome, error) {
	scopes, errs := l.statusScopes(rep)
	if err := errs.Err(); err != nil {
		errs.Sort()
		return Outcome{}, err
	}
	var out Outcome
	at := createdAt(rep.Created)
	periods := map[payout.Period]bool{}
	for _, sc := range scopes {
		periods[sc.file.Period] = true
		for _, e := range sc.effects(l, rep) {
			if l.setStatus(e, at) {
				out.Statuses++
			}
		}
	}
	out.Periods = sortedPeriods(periods)
	return out, nil
}

// statusScopes checks every status of rep against the released files and
// groups them per file.
func (l *Ledger) statusScopes(rep *Report) ([]*scope, payout.ErrorList) {
	var errs payout.ErrorList
	var order []*scope
	byMsg := map[string]*scope{}
	for i := range rep.Statuses {
		s := &rep.Statuses[i]
		f := l.byMsg[s.MsgID]
		if f == nil {
			errs.Add(problem(rep, s.Where, "OrgnlMsgId %q is not a payment file payout released (%s)", s.MsgID, l.knownFiles()))
			continue
		}
		sc := byMsg[s.MsgID]
		if sc == nil {
			sc = &scope{file: f, blocks: map[string]*Status{}, txs: map[string]*Status{}}
			byMsg[s.MsgID] = sc
			order = append(order, sc)
		}
		if p := l.checkStatus(rep, sc, s); p != nil {
			errs.Add(p)
		}
	}
	if len(rep.Statuses) == 0 {
		errs.Add(problem(rep, Where{Element: "CstmrPmtStsRpt"}, "holds no status (no GrpSts, PmtInfSts or TxSts)"))
	}
	return order, errs
}

// checkStatus checks one status and files it in its scope.
func (l *Ledger) checkStatus(rep *Report, sc *scope, s *Status) *payout.InputError {
	f := sc.file
	if _, _, ok := stateOf(s.Code); !ok {
		return problem(rep, s.Where, "%q is not an ISO 20022 payment status code", s.Code)
	}
	switch s.Level {
	case LevelGroup:
		if s.NbOfTxs != "" && s.NbOfTxs != strconv.Itoa(len(f.Payments)) {
			return problem(rep, s.Where, "OrgnlNbOfTxs %s is not the %d payments of %s", s.NbOfTxs, len(f.Payments), f.MsgID)
		}
		if s.CtrlSum != nil && !s.CtrlSum.Equal(f.CtrlSum) {
			return problem(rep, s.Where, "OrgnlCtrlSum %s is not the CtrlSum %s of %s", s.CtrlSum.StringFixed(2), f.CtrlSum.StringFixed(2), f.MsgID)
		}
		if sc.group != nil {
			return problem(rep, s.Where, "a second group status for %s in one report", f.MsgID)
		}
		sc.group = s
	case LevelBlock:
		if l.blocks[s.PmtInfID] != f {
			return problem(rep, s.Where, "OrgnlPmtInfId %q is not a payment block of %s", s.PmtInfID, f.MsgID)
		}
		if sc.blocks[s.PmtInfID] != nil {
			return problem(rep, s.Where, "a second status for block %s in one report", s.PmtInfID)
		}
		sc.blocks[s.PmtInfID] = s
	case LevelTransaction:
		return l.checkTx(rep, sc, s)
	}
	return nil
}

func (l *Ledger) checkTx(rep *Report, sc *scope, s *Status) *payout.InputError {
	f := sc.file
	t := l.byE2E[s.EndToEndID]
	switch {
	case t == nil || t.File != f:
		return problem(rep, s.Where, "OrgnlEndToEndId %q is not a payment of %s", s.EndToEndID, f.MsgID)
	case s.PmtInfID != "" && s.PmtInfID != t.PmtInfID:
		return problem(rep, s.Where, "OrgnlEndToEndId %s is in block %s, not %s", s.EndToEndID, t.PmtInfID, s.PmtInfID)
	case s.Amount != nil && !s.Amount.Equal(t.Amount):
		return problem(rep, s.Where, "the amount %s is not the released amount %s of %s", s.Amount.StringFixed(2), t.Amount.StringFixed(2), s.EndToEndID)
	case s.Currency != "" && s.Currency != t.Currency:
		return problem(rep, s.Where, "the currency %s is not the released %s of %s", s.Currency, t.Currency, s.EndToEndID)
	case s.Code == "PART":
		return problem(rep, s.Where, "PART is a status of a group or block, not of one transaction (%s)", s.EndToEndID)
	case sc.txs[s.EndToEndID] != nil:
		return problem(rep, s.Where, "a second status for %s in one report (also at line %d)", s.EndToEndID, sc.txs[s.EndToEndID].Line)
	}
	sc.txs[s.EndToEndID] = s
	return nil
}

// effects resolves, for each payment of the scope's file, the most specific
// status the report gives it.
func (sc *scope) effects(l *Ledger, rep *Report) []effect {
	var out []effect
	for _, p := range sc.file.Payments {
		s := sc.txs[p.EndToEndID]
		if s == nil {
			s = sc.blocks[p.PmtInfID]
		}
		if s == nil {
			s = sc.group
		}
		if s == nil || s.Code == "RCVD" {
			continue
		}
		code := s.Code
		var reason *Reason
		if len(s.Reasons) > 0 {
			r := s.Reasons[0]
			reason = &r
		}
		out = append(out, effect{t: l.byE2E[p.EndToEndID], code: code, reason: reason, src: Source{rep.File, s.Where}})
	}
	return out
}

// setStatus applies one status unless the payment is booked or the status
// in force is from a later report; every status is kept in the history.
func (l *Ledger) setStatus(e effect, at time.Time) bool {
	state, _, _ := stateOf(e.code)
	if e.code == "PART" {
		// Partly accepted, and this payment not listed on its own: the
		// report lists those that are not accepted (package doc).
		state = StateAccepted
	}
	ev := Event{Source: e.src, Code: e.code, State: state, Reason: e.reason}
	t := e.t
	switch {
	case t.State == StateBooked:
		ev.Note = "kommer etter bokføringen; betalingen står som bokført"
	case !at.IsZero() && at.Before(t.statusAt):
		ev.Note = "eldre enn statusen som gjelder (" + t.StatusBy.File + ")"
	default:
		ev.Applied = true
		t.State, t.Code, t.Reason, t.StatusBy = state, e.code, e.reason, e.src
		if !at.IsZero() {
			t.statusAt = at
		}
	}
	t.History = append(t.History, ev)
	return ev.Applied
}
