// sheetjs-lines.cjs REPORT.xlsx OUT.xlsx: the SheetJS peer of make bench
// (issue 16).
//
// Reads the Linjer sheet of a workbook payout wrote (report.xlsx of the
// Norway run), then writes the same rows (the same values and cell types,
// with the header row) as a one-sheet workbook with SheetJS, deflated as
// payout's are. Only the write is timed: building the sheet from the rows,
// producing the zip and writing the file.
//
// Prints one line of JSON: rows, columns, bytes written and the write's
// wall and CPU seconds. Needs xlsx (SheetJS), installed by scripts/bench.sh
// into bench-data/node (NODE_MODULES points there).
'use strict';
const fs = require('fs');
const path = require('path');
const { createRequire } = require('module');

const [report, out] = process.argv.slice(2);
if (!report || !out) {
	console.error('usage: node sheetjs-lines.cjs REPORT.xlsx OUT.xlsx');
	process.exit(2);
}
const modules = process.env.NODE_MODULES || path.join(__dirname, '../../bench-data/node/node_modules');
const XLSX = createRequire(path.join(modules, 'x.js'))('xlsx');

const book = XLSX.read(fs.readFileSync(report), { type: 'buffer', sheets: ['Linjer'] });
const rows = XLSX.utils.sheet_to_json(book.Sheets.Linjer, { header: 1, raw: true, defval: null });

const wall = process.hrtime.bigint();
const cpu = process.cpuUsage();
const sheet = XLSX.utils.aoa_to_sheet(rows);
const outBook = XLSX.utils.book_new();
XLSX.utils.book_append_sheet(outBook, sheet, 'Linjer');
const bytes = XLSX.write(outBook, { type: 'buffer', bookType: 'xlsx', compression: true });
fs.writeFileSync(out, bytes);
const used = process.cpuUsage(cpu);
const seconds = Number(process.hrtime.bigint() - wall) / 1e9;

console.log(JSON.stringify({
	peer: 'sheetjs', sheet: 'Linjer', rows: rows.length, columns: rows.length ? rows[0].length : 0,
	bytes: bytes.length, seconds, cpu_seconds: (used.user + used.system) / 1e6,
}));
