package excel

// FormatVersion is the version of the workbooks' bytes, recorded in the
// manifest (format_version). Any change of what a workbook's bytes are for
// the same Result is a new version, so that verify knows a folder written
// before it: such a folder is compared by its workbooks' numbers
// (Numbers), its other files byte for byte (issue 16).
//
//	1  (no format_version in the manifest) up to issue 15.
//	2  issue 15: widths from the contents, print set-up, SUBTOTAL totals,
//	   one number format per column, the Regler sheet, Korreksjoner's
//	   changed inputs, district_detail.
//	3  issue 16: the worksheets written directly (sheetxml.go), not by
//	   excelize: text as inline strings instead of a shared string table,
//	   the used range in <dimension>, no filterMode mark, plain autofilter
//	   references; every part (excelize's styles, theme, workbook.xml,
//	   chart and relationships too) deflated at level 1 and stored without
//	   a data descriptor, its zip header recording version 2.0. The same
//	   cells, number formats, widths and print set-up as format 2.
//	   (Three steps of one session, numbered 3 to 5 while on main and
//	   folded into one before any folder was released with them.)
const FormatVersion = 3
