#!/usr/bin/env bash
# check-render.sh (make check-render, issue 15): prints the Oslo month's
# workbooks the way a clerk does, with LibreOffice, and checks the pages.
# Not part of make test: LibreOffice is large.
#
#  1. installs Debian's libreoffice-calc-nogui and poppler-utils (pdfinfo,
#     pdftotext) when soffice or pdftotext is missing (needs root and apt);
#  2. runs payout on fixtures/oslo for PERIOD (default 2022-12) into a
#     temporary folder and converts report.xlsx and every bydel-NN.xlsx to
#     PDF (soffice --headless --convert-to pdf, its own profile folder);
#  3. scripts/checkrender reads each workbook and its PDF page by page and
#     prints the pages per sheet; it fails when a sheet is more than one
#     page wide, a Sum row is on a page without a row of its table, or a
#     district workbook of at most 70 lines takes more than 12 pages.
#
# Environment: PERIOD, KEEP=1 (keep the temporary folder and name it).
set -euo pipefail
cd "$(dirname "$0")/.."
PERIOD=${PERIOD:-2022-12}
GO=${GO:-go}

if ! command -v soffice >/dev/null || ! command -v pdftotext >/dev/null; then
	echo "check-render: installing libreoffice-calc-nogui and poppler-utils" >&2
	export DEBIAN_FRONTEND=noninteractive
	apt-get update -qq
	apt-get install -y -qq --no-install-recommends libreoffice-calc-nogui poppler-utils >/dev/null
fi

work=$(mktemp -d "${TMPDIR:-/tmp}/payout-check-render.XXXXXX")
if [ "${KEEP:-}" = 1 ]; then
	echo "check-render: keeping $work" >&2
else
	trap 'rm -rf "$work"' EXIT
fi

$GO build -o "$work/payout" ./cmd/payout
"$work/payout" run --period "$PERIOD" --fixtures fixtures/oslo --out "$work/out" >/dev/null
dir="$work/out/$PERIOD"
soffice -env:UserInstallation="file://$work/profile" --headless --convert-to pdf \
	--outdir "$work/pdf" "$dir"/report.xlsx "$dir"/bydel-*.xlsx >/dev/null 2>&1
$GO run ./scripts/checkrender --pdf "$work/pdf" "$dir"/report.xlsx "$dir"/bydel-*.xlsx
