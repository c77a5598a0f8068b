package main

import (
	"bytes"

	"github.com/oslokommune/payout/importers/iso20022"
	"github.com/oslokommune/payout/payout/bank"
	"github.com/oslokommune/payout/payout/store"
)

// The bank ledger's open items (issue 16): run and due ask only which
// payments were rejected and not paid again, and which are still unbooked.
// bank import stores the answer's material after each import (package
// bank's OpenItems); run and due read it and add what was released since,
// where they replayed every release and report before. status --check
// requires it to be the whole ledger's.

// openItems are the ledger's open items, with the releases they cover;
// nil when nothing is released. They are those the latest bank import
// stored, with what was released since; the whole ledger's when that
// import stored none (a store of the time before migration 0009), or when
// the releases do not begin with those the items cover (the full ledger
// keeps its order: a supplement released later may be one of an earlier
// period).
func openItems(s *store.Store) (*bank.OpenItems, []store.Release, error) {
	rels, err := s.Releases()
	if err != nil || len(rels) == 0 {
		return nil, nil, err
	}
	rec, err := s.BankOpen()
	if err != nil {
		return nil, nil, err
	}
	if rec != nil {
		items, err := bank.DecodeOpen(rec)
		if err != nil {
			return nil, nil, errorf("the stored open items of the bank ledger: %w", err)
		}
		ok, err := catchUp(s, items, rels)
		if err != nil || ok {
			return items, rels, err
		}
	}
	stored, err := s.BankRecords()
	if err != nil {
		return nil, nil, err
	}
	l, err := buildLedger(s, rels, stored, storedReport)
	if err != nil {
		return nil, nil, err
	}
	return l.Open(), rels, nil
}

// catchUp adds to items what was released after they were taken; ok is
// false when the releases do not begin with those the items cover.
func catchUp(s *store.Store, items *bank.OpenItems, rels []store.Release) (ok bool, err error) {
	runs, sups := items.Released()
	if len(runs) > len(rels) {
		return false, nil
	}
	for i, id := range runs {
		if rels[i].MsgID != id {
			return false, nil
		}
	}
	released, err := s.Supplements(0)
	if err != nil {
		return false, err
	}
	var later []store.Supplement
	n := 0
	for _, sup := range released {
		if sup.Release == nil {
			continue
		}
		switch {
		case n < len(sups) && sup.MsgID != sups[n]:
			return false, nil
		case n >= len(sups):
			later = append(later, sup)
		}
		n++
	}
	if n < len(sups) {
		return false, nil
	}
	files, err := releasedFiles(s, rels[len(runs):])
	if err != nil {
		return false, err
	}
	for _, f := range files {
		items.Add(f)
	}
	for i := range later {
		f, err := supplementFile(&later[i])
		if err != nil {
			return false, err
		}
		items.Add(f)
	}
	return true, nil
}

// bankProblems is status --check's proof of what the store keeps to
// spare the ledger work: each report's record is what the reader makes of
// its bytes, read again here, and the open items stored with the latest
// report, caught up, are those of the whole ledger built from those bytes.
// A report whose bytes or chain do not match is already among store.Check's
// problems (it reads them the same way), so it is not an error here: the
// check lists every problem rather than stopping at that one.
func bankProblems(env *Env, s *store.Store) []string {
	stored, err := s.BankReports()
	if err != nil {
		return nil
	}
	var out []string
	read := make(map[int64]*bank.Report, len(stored))
	for i := range stored {
		b := &stored[i]
		rep, err := iso20022.Read(b.Name, b.Data)
		switch {
		case err != nil:
			// BankReports gave the bytes only after checking them against
			// their digest and chain, and they were read when imported: a
			// refusal now is a reader stricter than the import's (an
			// element given twice), not a change of the store.
			out = append(out, env.tr("bank report %d (%s) is refused by this version's reader, which is stricter than the one that imported it: %v", b.ID, b.Name, err))
		case b.Record != nil && !bytes.Equal(bank.EncodeReport(rep), b.Record):
			out = append(out, env.tr("the record of bank report %d (%s) is not what its bytes say: the store was changed outside payout", b.ID, b.Name))
		}
		if err == nil {
			read[b.ID] = rep
		}
	}
	if len(read) < len(stored) {
		return out // a report the reader refuses: its ledger cannot be built
	}
	fromBytes := func(b *store.BankReport) (*bank.Report, error) { return read[b.ID], nil }
	return append(out, openItemsProblems(env, s, stored, fromBytes)...)
}

// openItemsProblems is bankProblems' check of the stored open items
// against the whole ledger of the stored reports as read gives them.
func openItemsProblems(env *Env, s *store.Store, stored []store.BankReport, read func(*store.BankReport) (*bank.Report, error)) []string {
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
	if ok, err := catchUp(s, items, rels); err != nil || !ok {
		return nil // run and due build the whole ledger
	}
	whole, err := buildLedger(s, rels, stored, read)
	if err != nil {
		return nil
	}
	if !bytes.Equal(items.Encode(), whole.Open().Encode()) {
		return changed
	}
	return nil
}

var _ = messages(
	msg{"bank report %d (%s) is refused by this version's reader, which is stricter than the one that imported it: %v",
		"bankrapport %d (%s) avvises av leseren i denne versjonen, som er strengere enn den som importerte den: %v"},
	msg{"the record of bank report %d (%s) is not what its bytes say: the store was changed outside payout",
		"opptegnelsen av bankrapport %d (%s) er ikke det filen sier: databasen er endret utenom payout"},
	msg{"the open items stored with the latest bank report are not what the bank ledger says: the store was changed outside payout",
		"de åpne postene som er lagret med den siste bankrapporten, er ikke det bankreskontroen sier: databasen er endret utenom payout"},
	msg{"the stored open items of the bank ledger: %w", "de lagrede åpne postene i bankreskontroen: %w"},
)
