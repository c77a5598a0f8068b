package excel

// linesOnly renders a workbook of the view's Linjer sheet alone.
func linesOnly(v view) ([]byte, error) {
	w := newWorkbook(footerText(v))
	defer w.f.Close()
	if err := w.f.SetSheetName("Sheet1", SheetLines); err != nil {
		return nil, err
	}
	st, err := newStyles(w.f)
	if err != nil {
		return nil, err
	}
	w.st = st
	if err := linesSheet(w, v); err != nil {
		return nil, err
	}
	return w.finish()
}
