#!/usr/bin/env bash
# bench.sh: the measurements of issue 6 (make bench). Not part of make test.
#
#  1. generates the workloads into bench-data/ (cached: keyed by preset, seed
#     and a digest of the generator's source, so a changed generator makes
#     fresh data);
#  2. runs the Go benchmarks (go test -bench -benchmem) of every package that
#     has some, and CPU profiles of the engine and the importer on the
#     Norway decade;
#  3. measures whole processes with /usr/bin/time -v (wall, peak RSS):
#     payout check (reading and validating the input alone), payout run on
#     the Oslo demo month and the Norway decade, and the import into a store;
#  4. writes the figures with the machine's description into BENCHMARKS.md,
#     between the bench:begin and bench:end markers (the rest of the file is
#     written by hand).
#
# Environment: SEED (default 1), BENCH (go test -bench regexp, default .),
# BENCHTIME (default 1s), SKIP_GO=1 (whole-process figures only).
set -euo pipefail
cd "$(dirname "$0")/.."

SEED=${SEED:-1}
BENCH=${BENCH:-.}
BENCHTIME=${BENCHTIME:-1s}
GO=${GO:-go}
BIN=bin/payout
DATA=bench-data
mkdir -p "$DATA"
LOAD_START=$(cut -d' ' -f1-3 /proc/loadavg)

if [ ! -x /usr/bin/time ]; then
	echo "bench: installing GNU time for /usr/bin/time -v" >&2
	SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
	$SUDO apt-get install -y time >/dev/null
fi

echo "bench: building $BIN" >&2
$GO build -o "$BIN" ./cmd/payout

# --- 1. workloads -----------------------------------------------------------
genkey=$(cat $(ls fixtures/gen/*.go | grep -v _test.go) | sha256sum | cut -c1-10)
NORWAY="$DATA/norway-seed$SEED-$genkey"
if [ ! -f "$NORWAY/.complete" ]; then
	rm -rf "$DATA"/norway-seed"$SEED"-*
	echo "bench: generating the Norway decade into $NORWAY" >&2
	/usr/bin/time -v -o "$DATA/time-generate.txt" "$BIN" generate --preset norway --seed "$SEED" --out "$NORWAY" >"$DATA/generate.txt"
	touch "$NORWAY/.complete"
fi
OSLO=fixtures/oslo

# --- 2. Go benchmarks -------------------------------------------------------
pkgs=()
while read -r dir path; do
	if grep -qs '^func Benchmark' "$dir"/*_test.go; then pkgs+=("$path"); fi
done < <($GO list -f '{{.Dir}} {{.ImportPath}}' ./... 2>/dev/null | grep -v '/tmp/\|internal_tmp')
: >"$DATA/bench.txt"
# profile NAME BENCHMARK FILTER: a CPU profile of one Norway benchmark, as
# pprof -top (flat and cumulative) with the pprof FILTER (e.g. -ignore=…, so
# the load inside the compute benchmark is left out) in
# bench-data/profile-NAME*.txt.
profile() {
	echo "bench: CPU profile of $2" >&2
	if PAYOUT_BENCH_NORWAY="$PWD/$NORWAY" $GO test -run '^$' -bench "^$2\$" -benchtime 1x \
		-cpuprofile "$DATA/cpu-$1.prof" -memprofile "$DATA/mem-$1.prof" -o "$DATA/fixtures.test" -timeout 60m ./fixtures/ >&2; then
		$GO tool pprof -top -nodecount=30 "$3" "$DATA/fixtures.test" "$DATA/cpu-$1.prof" 2>/dev/null >"$DATA/profile-$1.txt" || true
		$GO tool pprof -top -cum -nodecount=30 "$3" "$DATA/fixtures.test" "$DATA/cpu-$1.prof" 2>/dev/null >"$DATA/profile-$1-cum.txt" || true
		$GO tool pprof -top -sample_index=alloc_space -nodecount=20 "$3" "$DATA/fixtures.test" "$DATA/mem-$1.prof" 2>/dev/null >"$DATA/profile-$1-alloc.txt" || true
	fi
}
rm -f "$DATA"/profile-*.txt
if [ "${SKIP_GO:-}" != 1 ]; then
	echo "bench: go test -bench $BENCH on ${pkgs[*]}" >&2
	PAYOUT_BENCH_NORWAY="$PWD/$NORWAY" $GO test -run '^$' -bench "$BENCH" -benchtime "$BENCHTIME" -benchmem -timeout 120m "${pkgs[@]}" \
		| tee "$DATA/bench.txt" >&2 || echo "bench: some benchmarks failed (see $DATA/bench.txt)" >&2
	profile compute BenchmarkComputeNorway '-ignore=importers\.|fixtures_test\.loadB'
	profile load BenchmarkLoadNorway '-focus=importers\.' 
fi

# --- 3. whole processes -----------------------------------------------------
rows=()
# measure NAME TARGET CMD...: runs CMD under /usr/bin/time -v and records a
# table row: wall seconds, peak RSS, exit status.
measure() {
	local name=$1 target=$2; shift 2
	local tf="$DATA/time-$name.txt" status=0
	echo "bench: $name: $*" >&2
	/usr/bin/time -v -o "$tf" "$@" >"$DATA/out-$name.txt" 2>"$DATA/err-$name.txt" || status=$?
	local wall rss
	wall=$(awk -F': ' '/Elapsed \(wall clock\)/ {print $2}' "$tf" | awk -F: '{ if (NF==3) print $1*3600+$2*60+$3; else print $1*60+$2 }')
	rss=$(awk -F': ' '/Maximum resident set size/ {printf "%.0f", $2/1024}' "$tf")
	local note=""
	[ "$status" = 0 ] || note=" (exit $status: $(grep -m1 . "$DATA/err-$name.txt" | cut -c1-80))"
	rows+=("| $name | \`$*\` | ${wall} s | ${rss} MiB | $target |$note")
}
rm -rf "$DATA/out" "$DATA/store.db"
measure cat-oslo "—" sh -c "cat $OSLO/*.csv >/dev/null"
measure check-oslo "—" "$BIN" check --fixtures "$OSLO"
measure run-oslo "< 1 s" "$BIN" run --period 2022-12 --fixtures "$OSLO" --out "$DATA/out/oslo"
measure cat-norway "—" sh -c "cat $NORWAY/*.csv >/dev/null"
measure check-norway "—" "$BIN" check --fixtures "$NORWAY"
measure run-norway "< 10 s, < 2 GiB" "$BIN" run --period 2025-12 --fixtures "$NORWAY" --out "$DATA/out/norway"
measure import-norway "< 20 s" "$BIN" import --db "$DATA/store.db" "$NORWAY"
if "$BIN" help 2>&1 | grep -q '^  status'; then
	measure status-norway "instant" "$BIN" status --db "$DATA/store.db"
fi

# --- 4. BENCHMARKS.md -------------------------------------------------------
section="$DATA/section.md"
{
	echo "<!-- bench:begin (written by scripts/bench.sh; do not edit by hand) -->"
	echo "## Latest figures"
	echo
	echo "Measured $(date -u +%Y-%m-%d) at commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- payout importers exporters cmd || echo ' (with uncommitted changes)') by \`make bench\` (seed $SEED)."
	echo
	echo "Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg). Figures taken while other work shares the CPUs are upper bounds."
	echo
	echo "Machine: $(nproc) CPUs ($(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | sed 's/^ //')), $(awk '/MemTotal/ {printf "%.1f GiB", $2/1048576}' /proc/meminfo) memory, $(uname -sr), $($GO version | cut -d' ' -f3)."
	echo
	echo "### Workloads"
	echo
	echo "| file | Oslo rows | Norway rows |"
	echo "| --- | ---: | ---: |"
	for f in rates payees agreements list_counts absences caregivers breaches takeovers; do
		echo "| $f.csv | $(($(wc -l <"$OSLO/$f.csv") - 1)) | $(($(wc -l <"$NORWAY/$f.csv") - 1)) |"
	done
	echo "| size on disk | $(du -sh "$OSLO" | cut -f1) | $(du -sh "$NORWAY" | cut -f1) |"
	echo
	echo "### Whole process (\`/usr/bin/time -v\`)"
	echo
	echo "| measurement | command | wall | peak RSS | target |"
	echo "| --- | --- | ---: | ---: | --- |"
	printf '%s\n' "${rows[@]}"
	echo
	echo "\`cat\` is the floor: reading the bytes alone. \`check\` parses and validates the input without computing."
	if [ -s "$DATA/bench.txt" ]; then
		echo
		echo "### Go benchmarks (\`go test -run '^\$' -bench $BENCH -benchtime $BENCHTIME -benchmem\`)"
		echo
		echo '```'
		grep -E '^(Benchmark|pkg:|FAIL|---)' "$DATA/bench.txt" || true
		echo '```'
	fi
	for prof in compute load; do
		[ -s "$DATA/profile-$prof.txt" ] || continue
		echo
		echo "### Profile: \`Benchmark${prof^}Norway\` (\`go tool pprof -top $(sed -n 's/^ *\(focus\|ignore\)=/-\1=/p' "$DATA/profile-$prof.txt")\`)"
		echo
		echo '```'
		sed -n '5,40p' "$DATA/profile-$prof.txt" | grep -v 'Active filters\|focus=\|ignore='

		echo '```'
		echo
		echo "Cumulative (\`-top -cum\`):"
		echo
		echo '```'
		sed -n '9,38p' "$DATA/profile-$prof-cum.txt"
		echo '```'
		echo
		echo "Allocated bytes (\`-sample_index=alloc_space -top\`):"
		echo
		echo '```'
		sed -n '5,30p' "$DATA/profile-$prof-alloc.txt" | grep -v 'Active filters\|focus=\|ignore='
		echo '```'
	done
	echo "<!-- bench:end -->"
} >"$section"

if [ ! -f BENCHMARKS.md ] || ! grep -q '<!-- bench:begin' BENCHMARKS.md; then
	{ [ -f BENCHMARKS.md ] && cat BENCHMARKS.md; echo; cat "$section"; } >"$DATA/BENCHMARKS.new"
else
	awk -v sec="$section" '
		/<!-- bench:begin/ { while ((getline line < sec) > 0) print line; skip = 1; next }
		/<!-- bench:end/ { skip = 0; next }
		!skip { print }' BENCHMARKS.md >"$DATA/BENCHMARKS.new"
fi
mv "$DATA/BENCHMARKS.new" BENCHMARKS.md
echo "bench: figures written to BENCHMARKS.md" >&2
