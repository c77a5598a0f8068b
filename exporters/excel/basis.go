package excel

import (
	"encoding/json"
	"fmt"
	"sort"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
)

// basisSheet: what the month was computed from: the dates, the rates in
// force with their legal source, the input files' digests and the policy.
func basisSheet(w *workbook, v view) error {
	res := v.res
	facts := block{cols: []column{{"Opplysning", false}, {"Verdi", false}}}
	add := func(k string, c cell) { facts.rows = append(facts.rows, []cell{txt(k), c}) }
	add("Periode", period(res.Period))
	if v.bydel != "" {
		add("Bydel", txt(fmt.Sprintf("%s %s", v.bydel, nb.BydelName(v.bydel))))
	}
	add("Kunnskapsdato (as-of)", date(res.AsOf))
	add("Utbetalingsdato", date(res.PayDate))
	add("Historikk fra", period(res.HistoryStart))
	add("Beregningsmotor", txt(payout.EngineVersion))
	add("Linjer", integer(len(res.Lines)))
	add("Mottakere", integer(len(res.Payments)))
	add("Sum utbetalt", money(res.Total))
	pl, err := w.table(SheetBasis, facts)
	if err != nil {
		return err
	}
	row, err := w.ratesBlock(res.Rates, pl.next+1)
	if err != nil {
		return err
	}
	row, err = w.filesBlock(v.in, row)
	if err != nil {
		return err
	}
	params, err := v.policy()
	if err != nil {
		return err
	}
	return w.policyBlock(params, row)
}

func (w *workbook) ratesBlock(rates []payout.Rate, row int) (int, error) {
	if err := w.heading(SheetBasis, row, "Satser i kraft"); err != nil {
		return 0, err
	}
	b := block{cols: []column{{"Ordning", false}, {"Gjelder fra", false}, {"Fra listeplass", false}, {"Årsbeløp", false}, {"Hjemmel", false}}}
	for _, r := range rates {
		b.rows = append(b.rows, []cell{txt(nb.SchemeName(r.Scheme)), date(r.ValidFrom), integer(r.TierFrom), money(r.AnnualNOK), txt(r.Source)})
	}
	pl, err := w.writeBlock(SheetBasis, row+1, b)
	return pl.next + 1, err
}

func (w *workbook) filesBlock(in *payout.Inputs, row int) (int, error) {
	if err := w.heading(SheetBasis, row, "Inndatafiler (SHA-256)"); err != nil {
		return 0, err
	}
	b := block{cols: []column{{"Fil", false}, {"Type", false}, {"Rader", false}, {"", false}, {"SHA-256", false}}}
	if in != nil {
		files := append([]payout.InputFile(nil), in.Files...)
		sort.Slice(files, func(i, j int) bool { return files[i].Name < files[j].Name })
		for _, f := range files {
			b.rows = append(b.rows, []cell{txt(f.Name), txt(string(f.Kind)), integer(f.Rows), blank(), txt(f.SHA256)})
		}
	}
	pl, err := w.writeBlock(SheetBasis, row+1, b)
	return pl.next + 1, err
}

// policyBlock lists the policy parameters in force (policyParams).
func (w *workbook) policyBlock(params []param, row int) error {
	if err := w.heading(SheetBasis, row, "Parametere i kraft (policy.json)"); err != nil {
		return err
	}
	b := block{cols: []column{{"Parameter", false}, {"Verdi", false}}, rows: make([][]cell, 0, len(params))}
	for _, p := range params {
		b.rows = append(b.rows, []cell{txt(p.name), txt(p.value)})
	}
	_, err := w.writeBlock(SheetBasis, row+1, b)
	return err
}

// param is one policy parameter by its policy.json name, and its value.
type param struct{ name, value string }

// policyParams are the policy's parameters by their policy.json names,
// sorted, so a reader can see which reading of the agreement applied. The
// workbooks of a Set share one list (Set.view): every district has the
// run's policy.
func policyParams(p payout.Policy) ([]param, error) {
	raw, err := json.Marshal(p)
	if err != nil {
		return nil, err
	}
	var m map[string]any
	if err := json.Unmarshal(raw, &m); err != nil {
		return nil, err
	}
	flat := map[string]string{}
	flatten("", m, flat)
	out := make([]param, 0, len(flat))
	for k, v := range flat {
		out = append(out, param{k, v})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].name < out[j].name })
	return out, nil
}

func flatten(prefix string, v any, out map[string]string) {
	switch t := v.(type) {
	case map[string]any:
		for k, x := range t {
			name := k
			if prefix != "" {
				name = prefix + "." + k
			}
			flatten(name, x, out)
		}
	case nil:
		out[prefix] = ""
	default:
		b, _ := json.Marshal(t)
		s := string(b)
		if str, ok := t.(string); ok {
			s = str
		}
		out[prefix] = s
	}
}
