package excel

// linesOnly renders a workbook of the view's Linjer sheet alone.
func linesOnly(v view) ([]byte, error) {
	w, err := newWorkbook(footerText(v), []string{SheetLines}, nil, nil)
	if err != nil {
		return nil, err
	}
	if err := linesSheet(w, v); err != nil {
		return nil, err
	}
	return w.finish()
}
