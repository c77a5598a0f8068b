package payout

import (
	"bytes"
	"encoding/json"
	"slices"
)

// A policy has no recorded_on and no versions of its own: the runs from the
// store apply the policy in force to every month they reconstruct. Once a
// month is released, a changed rule parameter would therefore re-read that
// month with rules it was not paid by, and R-ADJ would not see the change
// (both views of the month would use the new rule), so the release would be
// seen otherwise than it was paid (RULEBOOK §6, DESIGN.md "When"). The
// store refuses such a policy after a release (PolicyRuleChanges); what
// only concerns how money is sent or booked may change at any time.

// policyAdministrative are the parameters that change no amount: the
// payment file's debtor and purpose, the journal's accounts, the bank's
// booking delay and who may release.
var policyAdministrative = []string{"debtor", "ledger", "category_purpose", "bank_booking_days",
	"release_by_approver", "unsigned_releases", "shared_list_warn_count"}

// PolicyRuleChanges lists, by their policy.json names and sorted, the
// parameters by which amounts are computed that differ between was and now
// (derived values filled in, so an explicit default is no change).
func PolicyRuleChanges(was, now Policy) []string {
	a, b := policyFields(was.InForce()), policyFields(now.InForce())
	var out []string
	for name, v := range b {
		if !slices.Contains(policyAdministrative, name) && !bytes.Equal(v, a[name]) {
			out = append(out, name)
		}
	}
	for name := range a {
		if _, ok := b[name]; !ok && !slices.Contains(policyAdministrative, name) {
			out = append(out, name)
		}
	}
	slices.Sort(out)
	return out
}

// policyFields is the policy's JSON, field by field.
func policyFields(p Policy) map[string]json.RawMessage {
	data, err := json.Marshal(p)
	if err != nil {
		panic("payout: a Policy always marshals: " + err.Error())
	}
	var m map[string]json.RawMessage
	if err := json.Unmarshal(data, &m); err != nil {
		panic("payout: a Policy's JSON is an object: " + err.Error())
	}
	return m
}
