package payout

import "github.com/shopspring/decimal"

// Withholding for breach, RULEBOOK §4 (Rammeavtalen §15.1): after written
// notice the municipality may withhold up to 20 % of the month's
// basistilskudd until the breach is rectified, and then pays back what it
// withheld ("Tilbakeholdt basistilskudd i bruddperioden utbetales").
// Rules R-15.1-WITHHOLD and R-15.1-RELEASE.

// withholding applies the agreement's breaches to the holder's entitlement
// of out's period, in breach_id order, and releases the balances of
// breaches rectified or cancelled as of out's as-of date.
func (c *chain) withholding(out *periodOut) error {
	if c.a.breaches.len() == 0 {
		return nil
	}
	entitlement := Ore(0)
	if out.month.hasLine() {
		entitlement = out.month.entitlement
	}
	if c.balances == nil {
		c.balances = map[string]Ore{}
	}
	left := c.ix.pol.MaxWithholdingPercent
	var withheld, released Ore
	for g := range c.a.breaches.all() { // sorted by breach_id
		b := latestVersion(g, out.asOf)
		if b == nil {
			continue
		}
		balance := c.balances[b.ID]
		var pct decimal.Decimal
		var w, rel Ore
		state := BreachPending
		switch {
		case b.Cancelled || (b.RectifiedOn != NoDate && b.RectifiedOn <= out.asOf):
			// R-15.1-RELEASE: the first run that sees the rectification (or
			// the withdrawal of the decision) pays the whole balance back.
			state, rel = BreachRectified, balance
			if b.Cancelled {
				state = BreachCancelled
			}
		case b.WithholdFrom <= out.period:
			// R-15.1-WITHHOLD: min(percent, what is left of the ceiling),
			// round(entitlement × percent ÷ 100).
			state = BreachActive
			pct = decimal.Min(b.Percent, left)
			left = left.Sub(pct)
			w = mulDivOre(entitlement.Dec(), pct, decInt(1), 100)
		}
		c.balances[b.ID] = balance + w - rel
		withheld += w
		released += rel
		if state == BreachActive || state == BreachPending || balance != 0 {
			out.breaches = append(out.breaches, BreachStatus{BreachID: b.ID, AgreementID: c.a.id, DecisionRef: b.DecisionRef,
				State: state, Percent: pct, Withheld: w.Dec(), Released: rel.Dec(), BalanceIn: balance.Dec(),
				BalanceOut: (balance + w - rel).Dec(), RectifiedOn: b.RectifiedOn, WithholdFrom: b.WithholdFrom})
		}
	}
	if withheld == 0 && released == 0 {
		return nil
	}
	acc, err := c.acc(out, partyKey{RoleHolder, c.mainHolder(out)}, out.asOf)
	if err != nil {
		return err
	}
	acc.withheld += withheld
	acc.released += released
	return nil
}
