// duckdb-base.cjs DIR FROM TO: the DuckDB peer of make bench (issue 16).
//
// Computes the base rule alone (RULEBOOK: the list count on the 1st,
// the tiered or weighted rate table in force, fysio rate × hjemmel, share and
// active days, V(n) rounded once to øre) for every month FROM..TO (YYYY-MM)
// and every agreement of the fixture folder DIR, from the same CSV files
// payout reads. It is a floor to compare payout's whole run with, not a
// second implementation: it takes each record's last version (no as-of
// dates, no adjustments, absences, withholding or age rule).
//
// Prints one line of JSON: lines, total (NOK) and the seconds the query took.
// Needs @duckdb/node-api, installed by scripts/bench.sh into
// bench-data/node (NODE_MODULES points there).
'use strict';
const path = require('path');
const { createRequire } = require('module');

const [dir, from, to] = process.argv.slice(2);
if (!dir || !/^\d{4}-\d\d$/.test(from || '') || !/^\d{4}-\d\d$/.test(to || '')) {
	console.error('usage: node duckdb-base.cjs DIR FROM TO (periods YYYY-MM)');
	process.exit(2);
}
const modules = process.env.NODE_MODULES || path.join(__dirname, '../../bench-data/node/node_modules');
const { DuckDBInstance } = createRequire(path.join(modules, 'x.js'))('@duckdb/node-api');

const csv = (name) => `read_csv('${path.join(dir, name)}', header = true, auto_detect = true, all_varchar = true)`;

// Every column is read as text and cast here, so a guess of the CSV sniffer
// cannot change a value.
const sql = `
WITH months AS (
	SELECT m::DATE AS first, (m + INTERVAL 1 MONTH - INTERVAL 1 DAY)::DATE AS last,
	       day(m + INTERVAL 1 MONTH - INTERVAL 1 DAY) AS days
	FROM range(DATE '${from}-01', DATE '${to}-01' + INTERVAL 1 MONTH, INTERVAL 1 MONTH) t(m)),
agreements AS (
	SELECT agreement_id, scheme, list_id, valid_from::DATE AS valid_from,
	       nullif(valid_to, '')::DATE AS valid_to,
	       coalesce(nullif(share_percent, ''), '100')::DECIMAL(9,4) AS share,
	       nullif(hjemmel_percent, '')::DECIMAL(9,4) AS hjemmel
	FROM ${csv('agreements.csv')}),
counts AS (
	SELECT list_id, as_of::DATE AS as_of,
	       arg_max(count::INTEGER, coalesce(nullif(recorded_on, ''), '0000')) AS count,
	       arg_max(nullif(weighted_count, '')::DECIMAL(18,4), coalesce(nullif(recorded_on, ''), '0000')) AS weighted
	FROM ${csv('list_counts.csv')} GROUP BY ALL),
rates AS (
	SELECT scheme, valid_from::DATE AS valid_from, tier_from::INTEGER AS tier_from,
	       arg_max(annual_amount::DECIMAL(18,2), coalesce(nullif(recorded_on, ''), '0000')) AS rate
	FROM ${csv('rates.csv')} GROUP BY ALL),
tiers AS (
	SELECT *, lead(tier_from) OVER (PARTITION BY scheme, valid_from ORDER BY tier_from) AS next_from FROM rates),
tables AS (
	SELECT m.first, r.scheme, max(r.valid_from) AS valid_from
	FROM months m JOIN rates r ON r.valid_from <= m.first GROUP BY ALL),
in_force AS (
	SELECT t.first, t.scheme, x.tier_from, x.next_from, x.rate
	FROM tables t JOIN tiers x USING (scheme, valid_from)),
active AS (
	SELECT a.*, m.first, m.days,
	       datediff('day', greatest(m.first, a.valid_from), least(m.last, coalesce(a.valid_to, m.last))) + 1 AS active_days
	FROM agreements a JOIN months m ON a.valid_from <= m.last AND coalesce(a.valid_to, m.last) >= m.first),
annual AS (
	SELECT a.agreement_id, a.first, a.days, a.active_days, a.share,
	       CASE WHEN a.scheme = 'fysio' THEN max(f.rate) * a.hjemmel / 100
	            WHEN c.weighted IS NOT NULL THEN c.weighted * max(f.rate) FILTER (WHERE f.tier_from = 1)
	            ELSE sum(f.rate * greatest(0, least(c.count, coalesce(f.next_from - 1, c.count)) - (f.tier_from - 1)))
	       END AS annual
	FROM active a
	LEFT JOIN counts c ON c.list_id = a.list_id AND c.as_of = a.first
	JOIN in_force f ON f.scheme = a.scheme AND f.first = a.first
	GROUP BY a.agreement_id, a.scheme, a.first, a.days, a.active_days, a.share, a.hjemmel, c.weighted, c.count),
-- V(n) = annual × share × n ÷ (1200 × D) in øre, exactly in integers and
-- rounded once, half away from zero (amounts are never negative here):
-- DuckDB divides decimals in binary floating point.
exact AS (
	SELECT (annual * 1000000)::HUGEINT * (share * 10000)::HUGEINT * active_days * 100 AS num,
	       1200::HUGEINT * days * 10000000000 AS den
	FROM annual WHERE annual IS NOT NULL),
lines AS (SELECT (2 * num + den) // (2 * den) AS base_ore FROM exact)
SELECT count(*)::BIGINT AS lines, sum(base_ore)::VARCHAR AS total_ore FROM lines`;

async function main() {
	const started = process.hrtime.bigint();
	const db = await DuckDBInstance.create(':memory:');
	const conn = await db.connect();
	const reader = await conn.runAndReadAll(sql);
	const [lines, ore] = reader.getRows()[0];
	const total = (BigInt(ore) / 100n).toString() + '.' + (BigInt(ore) % 100n).toString().padStart(2, '0');
	const seconds = Number(process.hrtime.bigint() - started) / 1e9;
	console.log(JSON.stringify({ peer: 'duckdb', rule: 'R-8.4', from, to, lines: Number(lines), total, seconds }));
}
main().catch((e) => { console.error(e.message || e); process.exit(1); });
