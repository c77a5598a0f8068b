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
//	   references, level-1 deflate for the sheet parts. The same cells,
//	   number formats, widths and print set-up as format 2.
//	4  issue 16: excelize's own parts (styles, theme, workbook.xml, the
//	   chart, relationships) deflated at level 1 too, every part stored
//	   without a data descriptor. The same cells as format 3.
//	5  issue 16: the parts' zip headers record version 2.0 as made by and
//	   needed to extract (format 4 recorded 0.0), as archive/zip's Create
//	   does. The same cells as format 4.
const FormatVersion = 5
