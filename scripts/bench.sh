#!/usr/bin/env bash
# bench.sh: the measurements of issue 6 (make bench). Not part of make test.
#
#  1. generates the workloads into bench-data/ (cached: keyed by preset, seed
#     and a digest of the generator's source, so a changed generator makes
#     fresh data);
#  2. runs the Go benchmarks (go test -bench -benchmem) of every package that
#     has some, and CPU profiles of the engine and the importer on the
#     Norway decade;
#  3. measures whole processes with /usr/bin/time -v (wall, CPU, peak RSS;
#     the median of REPEAT runs): payout check (reading and validating the
#     input alone), payout run on the Oslo demo month and the Norway decade,
#     from the fixtures and from the store, the import into a store (and
#     again: nothing new), status, and the 4x Norway set (generate --scale 4);
#  4. measures the peers of issue 16 in the same session: DuckDB computing
#     the base rule alone for the 120 months from the same CSV files, and
#     SheetJS writing the rows of the Norway run's Linjer sheet (Node
#     packages pinned in scripts/bench/package-lock.json, installed into
#     bench-data/node), and prints the ratios the targets are stated in;
#  5. writes the figures with the machine's description into BENCHMARKS.md,
#     between the bench:begin and bench:end markers (the rest of the file is
#     written by hand).
#
# Environment: SEED (default 1), BENCH (go test -bench regexp, default .),
# BENCHTIME (default 1s), SKIP_GO=1 (whole-process figures only), REPEAT
# (runs per whole-process figure, default 3), SKIP_X4=1 (no 4x set),
# SKIP_PEERS=1 (no Node peers), SKIP_PG=1 (no PostgreSQL import; it needs Debian's postgresql),
# SKIP_YEAR=1 (no store with a year of releases).
set -euo pipefail
cd "$(dirname "$0")/.."

SEED=${SEED:-1}
REPEAT=${REPEAT:-3}
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
# workload SCALE: the folder of the Norway decade at that scale, generated
# when no complete copy of this generator's is cached.
workload() {
	local name=norway; [ "$1" = 1 ] || name="norway-x$1"
	local dir="$DATA/$name-seed$SEED-$genkey"
	if [ ! -f "$dir/.complete" ]; then
		rm -rf "$DATA/$name-seed$SEED"-*
		echo "bench: generating $name into $dir" >&2
		/usr/bin/time -v -o "$DATA/time-generate-$name.txt" "$BIN" generate --preset norway --scale "$1" --seed "$SEED" --out "$dir" >"$DATA/generate-$name.txt"
		touch "$dir/.complete"
	fi
	echo "$dir"
}
NORWAY=$(workload 1)
OSLO=fixtures/oslo
# released_year: the folder of a store with a year behind it (issue 16):
# the Norway decade imported, 2025-01..11 each computed, attested,
# approved, released and answered by the bank (pain.002 and camt.054, two
# payments of 2025-03 rejected), as cmd/payout's BenchmarkReleasedYear
# makes it (≈ 1 minute, 100 000 files). Cached under a digest of the code
# that decides what such a store holds (the migrations, the bank ledger
# and its records, the helper) and the workload's; an older copy is moved
# aside, removed with the bench's other files.
released_year() {
	local key dir d
	key=$(cat payout/store/migrations/*.sql payout/store/migrations/postgres/*.sql payout/bank/*.go payout/record/*.go \
		cmd/payout/bench_releases_test.go | sha256sum | cut -c1-10)
	dir="$DATA/released-seed$SEED-$genkey-$key"
	for d in "$DATA"/released-*; do
		[ ! -d "$d" ] || [ "$d" = "$dir" ] || aside "$d"
	done
	if [ ! -f "$dir/.complete" ]; then
		rm -rf "$dir"
		echo "bench: making a store with a year of releases into $dir" >&2
		PAYOUT_BENCH_NORWAY="$PWD/$NORWAY" PAYOUT_BENCH_RELEASED="$PWD/$dir" $GO test -run '^$' -bench '^BenchmarkReleasedYear$' \
			-benchtime 1x -timeout 30m ./cmd/payout >"$DATA/make-released.txt" 2>&1 || { cat "$DATA/make-released.txt" >&2; exit 1; }
		touch "$dir/.complete"
	fi
	echo "$dir"
}

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
rows=() runs=()
declare -A WALL CPU USR SYS RSS
# median: the median of its arguments (the lower middle of an even count).
median() { printf '%s\n' "$@" | sort -g | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
# timed TIMEFILE CMD...: runs CMD under /usr/bin/time -v into TIMEFILE,
# returning the command's status; timed_figures TIMEFILE prints its
# "wall user system" seconds.
timed() { local tf=$1; shift; /usr/bin/time -v -o "$tf" "$@"; }
timed_figures() {
	awk -F': ' '/Elapsed \(wall clock\)/ {n = split($2, p, ":"); w = (n == 3) ? p[1]*3600+p[2]*60+p[3] : p[1]*60+p[2]}
		/User time/ {u = $2} /System time/ {s = $2} END {printf "%s %.2f %.2f\n", w, u, s}' "$1"
}
# measure NAME TARGET CMD...: runs CMD REPEAT times under /usr/bin/time -v
# and records a table row: the median wall and CPU (user + system) seconds,
# the largest peak RSS, the exit status. PREP, when set, is run before each
# run, untimed (a command that must start from the same state each time).
measure() {
	local name=$1 target=$2; shift 2
	local tf="$DATA/time-$name.txt" status=0 walls=() cpus=() usrs=() syss=() rss=0 i shown w u s
	# a PostgreSQL URL is shown without its (throw-away) password
	shown=$(printf '%s' "$*" | sed -E 's#(postgres(ql)?://[^:/@ ]+):[^@ ]*@#\1@#g')
	echo "bench: $name: $shown" >&2
	for ((i = 0; i < REPEAT; i++)); do
		[ -z "${PREP:-}" ] || eval "$PREP"
		timed "$tf" "$@" >"$DATA/out-$name.txt" 2>"$DATA/err-$name.txt" || status=$?
		read -r w u s < <(timed_figures "$tf")
		walls+=("$w") usrs+=("$u") syss+=("$s") cpus+=("$(awk -v u="$u" -v s="$s" 'BEGIN {printf "%.2f", u + s}')")
		rss=$(awk -F': ' -v m="$rss" '/Maximum resident set size/ {r=$2/1024; if (r > m) m=r} END {printf "%.0f", m}' "$tf")
	done
	WALL[$name]=$(median "${walls[@]}") CPU[$name]=$(median "${cpus[@]}")
	USR[$name]=$(median "${usrs[@]}") SYS[$name]=$(median "${syss[@]}")
	RSS[$name]=$rss
	local note=""
	[ "$status" = 0 ] || note=" (exit $status: $(grep -m1 . "$DATA/err-$name.txt" | cut -c1-80))"
	rows+=("| $name | \`$shown\` | ${WALL[$name]} s | ${CPU[$name]} s | ${rss} MiB | $target |$note")
	# every run, in the order taken: a median hides how far they spread
	local each=() j
	for ((j = 0; j < REPEAT; j++)); do each+=("${walls[j]}/${cpus[j]} (${usrs[j]}+${syss[j]})"); done
	runs+=("| $name | ${each[*]} |")
}
# aside PATH: moves PATH (if any) into $DATA/aside, which is removed only
# when the measuring is over: removing a folder of 9 000 files just before
# a run makes the run's own file creation slower (see remove_aside), which
# would be the bench's cost, not the run's.
aside() { [ ! -e "$1" ] || mv "$1" "$(mktemp -d "$DATA/aside/XXXXXX")/"; }
# remove_aside: removes $DATA/aside and notes when. ext4 without a journal
# (this machine's) passes over an inode freed less than 60 s ago (300 s
# while its inode table block is not yet written back: RECENTCY_MIN and
# RECENTCY_DIRTY in fs/ext4/ialloc.c) when it allocates one, so for five
# minutes after the last bench's 250 000 files went, every run here would
# create its files slowly, and the probe below, whose 3 000 files land
# elsewhere, need not notice.
remove_aside() { [ ! -e "$DATA/aside" ] || { rm -rf "$DATA/aside" && date +%s >"$DATA/.aside-removed"; }; }
remove_aside
if [ -f "$DATA/.aside-removed" ]; then
	left=$(($(cat "$DATA/.aside-removed") + 310 - $(date +%s)))
	if [ "$left" -gt 0 ]; then
		echo "bench: the last bench's files were removed $((310 - left)) s ago; waiting ${left} s for ext4 to reuse their inodes at full speed" >&2
		sleep "$left"
	fi
fi
mkdir -p "$DATA/aside"
aside "$DATA/out"
# Made before the file system settles: its 100 000 files are the bench's
# preparation, not a measured run's.
[ "${SKIP_YEAR:-}" = 1 ] || YEAR=$(released_year)
[ "${SKIP_X4:-}" = 1 ] || NORWAY4=$(workload 4)
# What the preparation wrote (a new workload is 0.2–1 GB, the year's store
# 1 GB) is written back now, not while the first figures are taken.
sync
# fs_probe: milliseconds to create 3000 empty files in a fresh folder (kept
# in $DATA/aside: removing them would make the next probe, and the runs,
# slow). The runs create up to 40 000 files each; creating them is slow for
# up to five minutes after a large removal (remove_aside waits out the last
# bench's; a test run's it cannot know of), which would be the machine's
# state, not the run's cost.
fs_probe() {
	local d t0 t1 i
	d=$(mktemp -d "$DATA/aside/probe.XXXXXX")
	t0=$(date +%s%N)
	for ((i = 0; i < 3000; i++)); do : >"$d/f$i"; done
	t1=$(date +%s%N)
	echo $(((t1 - t0) / 1000000))
}
# mem_probe: the system seconds dd takes to fill a 1 GiB buffer from
# /dev/zero. This machine is a virtual one: a page of memory the guest has
# not used lately costs the host's fault as well as the guest's the first
# time it is touched, 9.5 µs against 1.3 µs (scripts/bench/touch.go), and
# that is system time of the run that touches it. A 4× run touches ≈ 1 GB
# (its heap and the page cache of 335 MB of outputs), the 1× run ≈ 250 MB,
# so how much of that is fresh moves the 4× run's system time by a second
# or more. The probe shows the state; it also leaves 1 GiB recently used.
mem_probe() { /usr/bin/time -f %S -o "$DATA/time-mem-probe.txt" dd if=/dev/zero of=/dev/null bs=1G count=1 2>/dev/null && cat "$DATA/time-mem-probe.txt"; }
# fs_settle: waits (up to FS_WAIT seconds, default 180) until the probe takes
# at most FS_OK ms (default 150) twice in a row, so every figure below is
# taken on a settled file system; the probes are recorded in BENCHMARKS.md.
fs_settle() {
	local waited=0 ok=0 ms
	FS_PROBES=""
	while :; do
		ms=$(fs_probe)
		FS_PROBES="$FS_PROBES ${ms}"
		if [ "$ms" -le "${FS_OK:-150}" ]; then ok=$((ok + 1)); else ok=0; fi
		[ "$ok" -lt 2 ] && [ "$waited" -lt "${FS_WAIT:-180}" ] || break
		sleep 10
		waited=$((waited + 10))
	done
	echo "bench: file creation (3000 empty files): ${FS_PROBES# } ms" >&2
}
fs_settle
MEM_PROBES=$(mem_probe)
rm -f "$DATA/store.db" "$DATA"/store.db-*
measure cat-oslo "—" sh -c "cat $OSLO/*.csv >/dev/null"
measure check-oslo "—" "$BIN" check --fixtures "$OSLO"
# Each run writes a new folder (PREP moves the last one aside, untimed): a run
# into a folder that holds the same files rewrites nothing, which rerun-*
# measures.
PREP="aside $DATA/out/oslo" measure run-oslo "≤ 0.15 s" "$BIN" run --period 2022-12 --fixtures "$OSLO" --out "$DATA/out/oslo"
measure cat-norway "—" sh -c "cat $NORWAY/*.csv >/dev/null"
measure check-norway "—" "$BIN" check --fixtures "$NORWAY"
PREP="aside $DATA/out/norway" measure run-norway "≤ 3× duckdb-base; RSS ≤ 1.3× check" "$BIN" run --period 2025-12 --fixtures "$NORWAY" --out "$DATA/out/norway"
measure rerun-norway "—" "$BIN" run --period 2025-12 --fixtures "$NORWAY" --out "$DATA/out/norway"
# Since issue 10 a store is created by payout init, never by import.
PREP="rm -f $DATA/store.db $DATA/store.db-* && $BIN init --db $DATA/store.db >/dev/null" measure import-norway "CPU ≤ 1.5× check" "$BIN" import --db "$DATA/store.db" "$NORWAY"
measure reimport-norway "instant" "$BIN" import --db "$DATA/store.db" "$NORWAY"
measure status-norway "instant" "$BIN" status --db "$DATA/store.db"
# run-db-norway is the month's job: the first computation of the period in a
# store just imported, each of the five from the same state (the imported
# store copied back, and flushed, untimed: else the first run computes and
# the other four recompute an unchanged run, a different job). rerun-db-*
# measures that recompute, into a new folder each time.
[ ! -s "$DATA/store.db-wal" ] || { echo "bench: store.db-wal is left after status: the copy would miss it" >&2; exit 1; }
cp "$DATA/store.db" "$DATA/store-imported.db"
PREP="aside $DATA/out/norway-db && cp $DATA/store-imported.db $DATA/store.db && rm -f $DATA/store.db-wal $DATA/store.db-shm && sync" \
	measure run-db-norway "≤ 1.1× run-norway" "$BIN" run --period 2025-12 --db "$DATA/store.db" --out "$DATA/out/norway-db"
PREP="aside $DATA/out/norway-db" measure rerun-db-norway "—" "$BIN" run --period 2025-12 --db "$DATA/store.db" --out "$DATA/out/norway-db"
# run-db-year-norway: the month's job on a store with a year behind it
# (released_year), each run from the same state (copied back, untimed).
# SKIP_YEAR=1 leaves it out.
if [ -n "${YEAR:-}" ]; then
	PREP="aside $DATA/out/norway-db-year && cp $YEAR/payout.db $DATA/store-year.db && rm -f $DATA/store-year.db-wal $DATA/store-year.db-shm && sync" \
		measure run-db-year-norway "≤ 1.1× run-norway" "$BIN" run --period 2025-12 --db "$DATA/store-year.db" --out "$DATA/out/norway-db-year"
fi
# PostgreSQL (issue 12): the same import into a store on a throw-away local server (durable:
# fsync on, as SQLite's synchronous=FULL), each run into a fresh schema. SKIP_PG=1 leaves it out.
if [ "${SKIP_PG:-}" != 1 ]; then
	PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/payout-pg-bench.XXXXXX")
	trap 'scripts/pg-local.sh stop "$PG_DIR"' EXIT
	PG_URL=$(scripts/pg-local.sh start "$PG_DIR")
	PG_STORE="$PG_URL&search_path=bench"
	PREP="psql -q '$PG_URL' -c 'DROP SCHEMA IF EXISTS bench CASCADE' -c 'CREATE SCHEMA bench' 2>/dev/null && $BIN init --db '$PG_STORE' >/dev/null" \
		measure import-norway-pg "≤ 2× import-norway" "$BIN" import --db "$PG_STORE" "$NORWAY"
	PREP="aside $DATA/out/norway-db-pg" measure run-db-norway-pg "—" "$BIN" run --period 2025-12 --db "$PG_STORE" --out "$DATA/out/norway-db-pg"
fi
# scale_pairs: the 4× run against the 1× run in pairs taken in turn (a 1×
# run, then a 4× run, each into a new folder, REPEAT times), and the median
# of each pair's ratio of CPU, of user and of system time. Two series taken
# one after the other compare two moments of a shared machine as well as
# two sizes; a pair's two runs share the moment. Each run of a pair starts
# after mem_probe, which leaves 1 GiB of memory recently used: what a run
# of either size touches is then as warm as the other's, so the ratio is
# the program's, not the share of the 4× run's memory the host had taken
# back (mem_probe); run-norway-x4's own series above is taken without it.
# Its runs are listed beside the others as "1× → 4×" (user+system s, the
# probe before each in brackets).
scale_pairs() {
	local i u1 s1 u4 s4 p1 p4 w cpu=() usr=() sys=() each=()
	echo "bench: run-norway and run-norway-x4 in pairs" >&2
	for ((i = 0; i < REPEAT; i++)); do
		aside "$DATA/out/pair-1"
		p1=$(mem_probe)
		timed "$DATA/time-pair-1.txt" "$BIN" run --period 2025-12 --fixtures "$NORWAY" --out "$DATA/out/pair-1" >/dev/null 2>"$DATA/err-pair-1.txt" || return 0
		read -r w u1 s1 < <(timed_figures "$DATA/time-pair-1.txt")
		aside "$DATA/out/pair-4"
		p4=$(mem_probe)
		timed "$DATA/time-pair-4.txt" "$BIN" run --period 2025-12 --fixtures "$NORWAY4" --out "$DATA/out/pair-4" >/dev/null 2>"$DATA/err-pair-4.txt" || return 0
		read -r w u4 s4 < <(timed_figures "$DATA/time-pair-4.txt")
		cpu+=("$(awk -v a="$u4" -v b="$s4" -v c="$u1" -v d="$s1" 'BEGIN {printf "%.3f", (a + b) / (c + d)}')")
		usr+=("$(awk -v a="$u4" -v c="$u1" 'BEGIN {printf "%.3f", a / c}')")
		sys+=("$(awk -v b="$s4" -v d="$s1" 'BEGIN {printf "%.3f", (d > 0) ? b / d : 0}')")
		each+=("[$p1] ${u1}+${s1} → [$p4] ${u4}+${s4};")
	done
	PAIRS=("$(median "${cpu[@]}")" "$(median "${usr[@]}")" "$(median "${sys[@]}")")
	runs+=("| pairs 1× → 4× (user+system s, [mem_probe s] before each) | ${each[*]} |")
}
PAIRS=()
if [ "${SKIP_X4:-}" != 1 ]; then
	measure check-norway-x4 "—" "$BIN" check --fixtures "$NORWAY4"
	PREP="aside $DATA/out/norway-x4" measure run-norway-x4 "< 2 GiB, CPU ≤ 4.2× run-norway" "$BIN" run --period 2025-12 --fixtures "$NORWAY4" --out "$DATA/out/norway-x4"
	MEM_PROBES="$MEM_PROBES $(mem_probe)"
	scale_pairs
fi

# Whole commands profiled as the binary runs them (cmd/payout's
# BenchmarkCommand runs the command line in PAYOUT_BENCH_ARGS once): the
# Norway run from the fixtures and from the store, and the import.
# profile_cmd NAME ARGS: bench-data/profile-cmd-NAME*.txt.
profile_cmd() {
	local name=$1; shift
	echo "bench: CPU profile of payout $*" >&2
	if PAYOUT_BENCH_ARGS="$*" $GO test -run '^$' -bench '^BenchmarkCommand$' -benchtime 1x \
		-cpuprofile "$DATA/cpu-cmd-$name.prof" -memprofile "$DATA/mem-cmd-$name.prof" -o "$DATA/cmd.test" -timeout 60m ./cmd/payout >&2; then
		$GO tool pprof -top -cum -nodecount=25 "$DATA/cmd.test" "$DATA/cpu-cmd-$name.prof" 2>/dev/null >"$DATA/profile-cmd-$name-cum.txt" || true
	fi
}
if [ "${SKIP_GO:-}" != 1 ]; then
	profile_cmd run run --period 2025-12 --fixtures "$NORWAY" --out "$DATA/out/profile-run"
	profile_cmd run-db run --period 2025-12 --db "$DATA/store.db" --out "$DATA/out/profile-run-db"
	rm -f "$DATA/profile.db" "$DATA"/profile.db-*
	"$BIN" init --db "$DATA/profile.db" >/dev/null
	profile_cmd import import --db "$DATA/profile.db" "$NORWAY"
fi

# --- 4. peers (issue 16) ----------------------------------------------------
peers=()
if [ "${SKIP_PEERS:-}" != 1 ]; then
	NODE="$DATA/node"
	if ! cmp -s scripts/bench/package-lock.json "$NODE/package-lock.json" || [ ! -d "$NODE/node_modules" ]; then
		echo "bench: installing the Node peers into $NODE" >&2
		rm -rf "$NODE" && mkdir -p "$NODE"
		cp scripts/bench/package.json scripts/bench/package-lock.json "$NODE/"
		(cd "$NODE" && npm ci --no-audit --no-fund >&2)
	fi
	export NODE_MODULES="$PWD/$NODE/node_modules"
	measure duckdb-base "—" node scripts/bench/duckdb-base.cjs "$NORWAY" 2016-01 2025-12
	peers+=("duckdb-base: $(cat "$DATA/out-duckdb-base.txt")")
	if [ -f "$DATA/out/norway/2025-12/report.xlsx" ]; then
		node scripts/bench/sheetjs-lines.cjs "$DATA/out/norway/2025-12/report.xlsx" "$DATA/out/sheetjs-linjer.xlsx" >"$DATA/out-sheetjs.txt"
		peers+=("sheetjs-lines: $(cat "$DATA/out-sheetjs.txt")")
	fi
fi
# The workbooks of issue 16, measured inside the process (CPU per op of
# exporters/excel's benchmarks, 3 ops): the Norway run's 18 workbooks, and
# report.xlsx's Linjer sheet alone against SheetJS writing the same rows.
wb_cpu() { awk -v b="$1" '$1 ~ "^"b"(-[0-9]+)?$" { for (i = 2; i < NF; i++) if ($(i+1) == "cpu-ns/op") printf "%.3f", $i / 1e9 }' "$DATA/bench-workbooks.txt"; }
if PAYOUT_BENCH_NORWAY="$PWD/$NORWAY" $GO test -run '^$' -bench '^Benchmark(Workbooks|Lines)Norway$' -benchtime 3x -benchmem ./exporters/excel \
	>"$DATA/bench-workbooks.txt" 2>&1; then
	CPU[workbooks-norway]=$(wb_cpu BenchmarkWorkbooksNorway)
	CPU[linjer-norway]=$(wb_cpu BenchmarkLinesNorway)
	[ ! -s "$DATA/out-sheetjs.txt" ] || CPU[sheetjs-linjer]=$(sed -E 's/.*"cpu_seconds":([0-9.]+).*/\1/' "$DATA/out-sheetjs.txt")
	rows+=("| workbooks-norway | \`go test ./exporters/excel -bench WorkbooksNorway\` (18 workbooks, one after the other) | — | ${CPU[workbooks-norway]} s | — | ≤ 0.6 s CPU |")
	rows+=("| linjer-norway | \`go test ./exporters/excel -bench LinesNorway\` (report.xlsx's Linjer sheet alone) | — | ${CPU[linjer-norway]} s | — | ≤ 0.5× sheetjs-linjer |")
else
	echo "bench: the workbook benchmarks failed (see $DATA/bench-workbooks.txt)" >&2
fi
# ratio A B WHAT: A's figure over B's, when both were measured.
ratio() {
	local -n fig=$3
	local what=${3,,}
	what=${what/usr/user} what=${what/sys/system}
	[ -n "${fig[$1]:-}" ] && [ -n "${fig[$2]:-}" ] || return 0
	awk -v a="${fig[$1]}" -v b="${fig[$2]}" -v n="$1 / $2 ($what)" 'BEGIN { if (b > 0) printf "| %s | %.2f× |\n", n, a / b }'
}
ratios=(
	"$(ratio run-norway duckdb-base WALL)"
	"$(ratio run-norway duckdb-base CPU)"
	"$(ratio run-db-norway run-norway WALL)"
	"$(ratio run-db-year-norway run-norway WALL)"
	"$(ratio run-db-year-norway run-db-norway WALL)"
	"$(ratio import-norway check-norway CPU)"
	"$(ratio import-norway-pg import-norway WALL)"
	"$(ratio run-db-norway-pg rerun-db-norway WALL)"
	"$(ratio run-norway check-norway RSS)"
	"$(ratio run-norway-x4 run-norway CPU)"
	"$(ratio run-norway-x4 run-norway USR)"
	"$(ratio run-norway-x4 run-norway SYS)"
	"${PAIRS[0]:+| run-norway-x4 / run-norway (cpu, median of $REPEAT warmed pairs) | $(printf '%.2f' "${PAIRS[0]}")× |}"
	"${PAIRS[1]:+| run-norway-x4 / run-norway (user, median of $REPEAT warmed pairs) | $(printf '%.2f' "${PAIRS[1]}")× |}"
	"${PAIRS[2]:+| run-norway-x4 / run-norway (system, median of $REPEAT warmed pairs) | $(printf '%.2f' "${PAIRS[2]}")× |}"
	"$(ratio run-norway-x4 check-norway-x4 RSS)"
	"$(ratio linjer-norway sheetjs-linjer CPU)"
)
printf '%s\n' "${ratios[@]}" | grep . >&2 || true

remove_aside

# --- 5. BENCHMARKS.md -------------------------------------------------------
section="$DATA/section.md"
{
	echo "<!-- bench:begin (written by scripts/bench.sh; do not edit by hand) -->"
	echo "## Latest figures"
	echo
	echo "Measured $(date -u +%Y-%m-%d) at commit \`$(git rev-parse --short HEAD)\`$(git diff --quiet HEAD -- payout importers exporters cmd || echo ' (with uncommitted changes)') by \`make bench\` (seed $SEED)."
	echo
	echo "Load average (1, 5, 15 min) at the start: $LOAD_START; at the end: $(cut -d' ' -f1-3 /proc/loadavg). Figures taken while other work shares the CPUs are upper bounds."
	echo
	echo "File creation before timing (3000 empty files, ms per probe, taken every 10 s until two in a row were ≤ ${FS_OK:-150} ms): ${FS_PROBES# }."
	echo
	echo "Fresh memory (system seconds for dd to fill 1 GiB; 0.35–0.5 s when the memory is warm, 2–2.5 s when it is not): ${MEM_PROBES# } (at the start; after the 4× series; the scale pairs' own are listed with their runs)."
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
	echo "Median of $REPEAT runs (CPU = user + system); peak RSS is the largest of them."
	echo
	echo "| measurement | command | wall | CPU | peak RSS | target |"
	echo "| --- | --- | ---: | ---: | ---: | --- |"
	printf '%s\n' "${rows[@]}"
	echo
	echo "\`cat\` is the floor: reading the bytes alone. \`check\` parses and validates the input without computing."
	echo
	echo "<details><summary>Every run, in the order taken (wall s / CPU s (user+system))</summary>"
	echo
	echo "| measurement | runs |"
	echo "| --- | --- |"
	printf '%s\n' "${runs[@]}"
	echo
	echo "</details>"
	if printf '%s' "${ratios[@]}" | grep -q .; then
		echo
		echo "Ratios (from the medians above):"
		echo
		echo "| ratio | value |"
		echo "| --- | ---: |"
		printf '%s\n' "${ratios[@]}" | grep .
	fi
	if [ ${#peers[@]} -gt 0 ]; then
		echo
		echo "Peers (\`scripts/bench/*.cjs\`: DuckDB computes only the base rule R-8.4 for the 120 months from the same CSV files; SheetJS writes the rows of the Norway run's Linjer sheet, its own write timed):"
		echo
		echo '```'
		printf '%s\n' "${peers[@]}"
		echo '```'
	fi
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
	for prof in run run-db import; do
		f="$DATA/profile-cmd-$prof-cum.txt"
		[ -s "$f" ] || continue
		echo
		echo "### Profile: \`payout ${prof/-db/ --db}\` on the Norway decade (\`go tool pprof -top -cum\`, cmd/payout BenchmarkCommand)"
		echo
		echo '```'
		sed -n '/^Duration/p; /^Showing nodes/,$p' "$f" | head -32
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
