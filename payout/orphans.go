package payout

import (
	"fmt"
	"sort"
)

// orphanLists warns (W-LIST-ORPHAN) about the list counts of a list that no
// version of any agreement holds: they are never used, and usually a typo
// in list_id. The engine warns, not only the importers, so that a run from
// the store reports what a run from the folder reports (issue 11).
func (ix *index) orphanLists() []Warning {
	var ids []string
	for id := range ix.byList {
		if len(ix.listHolders[id]) == 0 {
			ids = append(ids, id)
		}
	}
	sort.Strings(ids)
	out := make([]Warning, 0, len(ids))
	for _, id := range ids {
		first := ix.byList[id].at(0).Src
		out = append(out, Warning{Code: WListOrphan, Msg: fmt.Sprintf(
			"%s: list %s is held by no agreement; its counts are not used (check the list_id)", srcText(first), id)})
	}
	return out
}

func srcText(s Source) string {
	if s.Sheet() != "" {
		return fmt.Sprintf("%s: %s!row %d", s.File(), s.Sheet(), s.Line())
	}
	return fmt.Sprintf("%s:%d", s.File(), s.Line())
}
