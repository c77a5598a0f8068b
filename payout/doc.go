// Package payout is the domain and the engine of the monthly payout batch:
// the basistilskudd of Oslo kommune's GPs (Rammeavtalen 2014–2016) and the
// driftstilskudd of its physiotherapists (Oslo kommune's 2021 rules).
//
// The contract is RULEBOOK.md: every amount is computed exactly (decimals)
// and rounded once to øre, half away from zero; every line carries the IDs of
// the rules that produced it. The package does no I/O: Compute takes the
// input records (all their versions), a period and an as-of date, and returns
// the lines, adjustments, payments, controls and traces of that period. The
// same inputs always give the same result, in the same order.
//
// Inputs are bitemporal: each record may have several versions, and a run
// sees, for each key, the version with the latest recorded_on on or before
// its as-of date. Nothing about earlier runs is read from storage: balances
// (withheld, carried) are recomputed from the history start (RULEBOOK §6).
package payout
