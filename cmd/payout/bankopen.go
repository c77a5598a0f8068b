package main

import (
	"bytes"

	"github.com/oslokommune/payout/payout/bank"
	"github.com/oslokommune/payout/payout/store"
)

// The bank ledger's open items (issue 16): run and due ask only which
// payments were rejected and not paid again, and which are still unbooked.
// bank import stores the answer's material after each import (package
// bank's OpenItems); run and due read it and add what was released since,
// where they replayed every release and report before. status --check
// requires it to be the whole ledger's.

// openItemsAndDays are the ledger's open items and the latest release's
// bank_booking_days; nil when nothing is released. They are those the
// latest bank import stored, with what was released since; the whole
// ledger's when that import stored none (a store of the time before
// migration 0009), or when the releases do not begin with those the items
// cover (the full ledger keeps its order: a supplement released later may
// be one of an earlier period).
func openItemsAndDays(s *store.Store) (*bank.OpenItems, int, error) {
	rels, err := s.Releases()
	if err != nil || len(rels) == 0 {
		return nil, 0, err
	}
	rec, err := s.BankOpen()
	if err != nil {
		return nil, 0, err
	}
	if rec != nil {
		items, err := bank.DecodeOpen(rec)
		if err != nil {
			return nil, 0, errorf("the stored open items of the bank ledger: %w", err)
		}
		days, ok, err := catchUp(s, items, rels)
		if err != nil || ok {
			return items, days, err
		}
	}
	stored, err := s.BankRecords()
	if err != nil {
		return nil, 0, err
	}
	l, days, err := buildLedger(s, rels, stored)
	if err != nil {
		return nil, 0, err
	}
	return l.Open(), days, nil
}

// catchUp adds to items what was released after they were taken, and
// gives the latest release's bank_booking_days; ok is false when the
// releases do not begin with those the items cover.
func catchUp(s *store.Store, items *bank.OpenItems, rels []store.Release) (days int, ok bool, err error) {
	runs, sups := items.Released()
	if len(runs) > len(rels) {
		return 0, false, nil
	}
	for i, id := range runs {
		if rels[i].MsgID != id {
			return 0, false, nil
		}
	}
	released, err := s.Supplements(0)
	if err != nil {
		return 0, false, err
	}
	var later []store.Supplement
	n := 0
	for _, sup := range released {
		if sup.Release == nil {
			continue
		}
		switch {
		case n < len(sups) && sup.MsgID != sups[n]:
			return 0, false, nil
		case n >= len(sups):
			later = append(later, sup)
		}
		n++
	}
	if n < len(sups) {
		return 0, false, nil
	}
	files, days, err := releasedFiles(s, rels[len(runs):])
	if err != nil {
		return 0, false, err
	}
	if len(runs) == len(rels) {
		paid, err := s.Paid(rels[len(rels)-1].RunID)
		if err != nil {
			return 0, false, err
		}
		days = paid.Policy.BankBookingDays
	}
	for _, f := range files {
		items.Add(f)
	}
	for i := range later {
		b, err := readSupplementBody(&later[i])
		if err != nil {
			return 0, false, err
		}
		f, err := b.bankFile()
		if err != nil {
			return 0, false, err
		}
		items.Add(f)
	}
	return days, true, nil
}

// bankOpenProblems is status --check's proof that the open items the
// latest import stored, with what was released since, are what the whole
// ledger says. A ledger that cannot be built is another check's problem
// (its reports' bytes, chain or records): the check lists every problem
// rather than stopping at that one.
func bankOpenProblems(env *Env, s *store.Store) []string {
	changed := []string{env.tr("the open items stored with the latest bank report are not what the bank ledger says: the store was changed outside payout")}
	rec, err := s.BankOpen()
	if err != nil {
		return changed
	}
	rels, err := s.Releases()
	if rec == nil || err != nil || len(rels) == 0 {
		return nil
	}
	items, err := bank.DecodeOpen(rec)
	if err != nil {
		return changed
	}
	if _, ok, err := catchUp(s, items, rels); err != nil || !ok {
		return nil // run and due build the whole ledger
	}
	whole, err := ledgerOf(s)
	if err != nil {
		return nil
	}
	if !bytes.Equal(items.Encode(), whole.Open().Encode()) {
		return changed
	}
	return nil
}

var _ = messages(
	msg{"the open items stored with the latest bank report are not what the bank ledger says: the store was changed outside payout",
		"de åpne postene som er lagret med den siste bankrapporten, er ikke det bankreskontroen sier: databasen er endret utenom payout"},
	msg{"the stored open items of the bank ledger: %w", "de lagrede åpne postene i bankreskontroen: %w"},
)
