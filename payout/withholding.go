package payout

import (
	"sort"

	"github.com/shopspring/decimal"
)

// Withholding for breach, RULEBOOK §4 (Rammeavtalen §15.1): after written
// notice the municipality may withhold up to 20 % of the month's
// basistilskudd until the breach is rectified, and then pays back what it
// withheld ("Tilbakeholdt basistilskudd i bruddperioden utbetales").
// Rules R-15.1-WITHHOLD and R-15.1-RELEASE.

// latestVersion returns the version of one key recorded on or before asOf,
// cancelled or not (nil when none is known yet).
func latestVersion[T any, PT interface {
	*T
	versioned
}](vs []*T, asOf Date) *T {
	i := sort.Search(len(vs), func(i int) bool { return PT(vs[i]).version().RecordedOn > asOf })
	if i == 0 {
		return nil
	}
	return vs[i-1]
}

// withholding applies the agreement's breaches to the holder's entitlement
// of out's period, in breach_id order, and releases the balances of
// breaches rectified or cancelled as of out's as-of date.
func (c *chain) withholding(out *periodOut) error {
	if len(c.a.breaches) == 0 {
		return nil
	}
	entitlement := decimal.Zero
	if out.month.hasLine() {
		entitlement = out.month.entitlement
	}
	left := c.ix.pol.MaxWithholdingPercent
	var withheld, released decimal.Decimal
	for _, g := range c.a.breaches { // sorted by breach_id
		b := latestVersion(g, out.asOf)
		if b == nil {
			continue
		}
		st := BreachStatus{BreachID: b.ID, AgreementID: c.a.id, DecisionRef: b.DecisionRef, RectifiedOn: b.RectifiedOn,
			WithholdFrom: b.WithholdFrom, BalanceIn: c.balances[b.ID], Percent: decimal.Zero, Withheld: decimal.Zero, Released: decimal.Zero}
		switch {
		case b.Cancelled || (b.RectifiedOn != NoDate && b.RectifiedOn <= out.asOf):
			// R-15.1-RELEASE: the first run that sees the rectification (or
			// the withdrawal of the decision) pays the whole balance back.
			st.State = "rectified"
			if b.Cancelled {
				st.State = "cancelled"
			}
			st.Released = st.BalanceIn
		case b.WithholdFrom <= out.period:
			// R-15.1-WITHHOLD: min(percent, what is left of the ceiling).
			st.State = "active"
			st.Percent = decimal.Min(b.Percent, left)
			left = left.Sub(st.Percent)
			st.Withheld = entitlement.Mul(st.Percent).DivRound(dec100, 2)
		default:
			st.State = "pending"
		}
		st.BalanceOut = st.BalanceIn.Add(st.Withheld).Sub(st.Released)
		c.balances[b.ID] = st.BalanceOut
		withheld = withheld.Add(st.Withheld)
		released = released.Add(st.Released)
		if st.State == "active" || st.State == "pending" || !st.BalanceIn.IsZero() {
			out.breaches = append(out.breaches, st)
		}
	}
	if withheld.IsZero() && released.IsZero() {
		return nil
	}
	acc, err := c.acc(out, partyKey{RoleHolder, ""}, out.asOf)
	if err != nil {
		return err
	}
	acc.withheld = acc.withheld.Add(withheld)
	acc.released = acc.released.Add(released)
	return nil
}
