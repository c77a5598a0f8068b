package excel

import (
	"fmt"
	"sort"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/xuri/excelize/v2"
)

// group is one bydel and scheme of the summary.
type group struct {
	bydel      string
	scheme     payout.Scheme
	agreements map[string]bool
	lists      map[string]int // list_id → count, so a shared list counts once
	base, absence, vikar, withheld, released, adjustments,
	carriedIn, carriedOut, net exactSum
}

func groups(lines []payout.Line) []*group {
	byKey := map[string]*group{}
	var out []*group
	for _, l := range lines {
		key := l.Bydel + "\x00" + string(l.Scheme)
		g := byKey[key]
		if g == nil {
			g = &group{bydel: l.Bydel, scheme: l.Scheme, agreements: map[string]bool{}, lists: map[string]int{}}
			byKey[key] = g
			out = append(out, g)
		}
		g.agreements[l.AgreementID] = true
		if l.Role == payout.RoleHolder && l.ListID != "" {
			g.lists[l.ListID] = l.Count
		}
		g.base.add(l.Base)
		g.absence.add(l.AbsenceDeduction)
		g.vikar.add(l.VikarAmount)
		g.withheld.add(l.Withheld)
		g.released.add(l.Released)
		g.adjustments.add(l.Adjustments)
		g.net.add(l.Net)
		g.carriedIn.add(l.CarriedIn)
		g.carriedOut.add(l.CarriedOut)
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].bydel != out[j].bydel {
			return out[i].bydel < out[j].bydel
		}
		return out[i].scheme < out[j].scheme
	})
	return out
}

func (g *group) inhabitants() int {
	n := 0
	for _, c := range g.lists {
		n += c
	}
	return n
}

// summarySheet: per bydel and scheme, the figures that reconcile to the
// amount paid (Utbetalt = Brutto − Fraværstrekk − Tilbakeholdt + Frigitt +
// Korreksjoner + Overført inn − Overført ut; Til vikar is the part of the
// gross paid to vikars), then the amount paid per bydel and its chart.
func summarySheet(w *workbook, v view) error {
	cols := []column{
		{"Bydel", false}, {"Bydelsnavn", false}, {"Ordning", false},
		{"Avtaler", true}, {"Listeinnbyggere", true}, {"Brutto", true},
		{"Fraværstrekk", true}, {"Til vikar", true}, {"Tilbakeholdt", true},
		{"Frigitt", true}, {"Korreksjoner", true}, {"Overført inn", true},
		{"Overført ut", true}, {"Utbetalt", true},
	}
	b := block{cols: cols, totals: true}
	gs := groups(v.res.Lines)
	for _, g := range gs {
		b.rows = append(b.rows, []cell{
			txt(g.bydel), txt(nb.BydelName(g.bydel)), txt(nb.SchemeName(g.scheme)),
			integer(len(g.agreements)), integer(g.inhabitants()), money(g.base.value()), money(g.absence.value()),
			money(g.vikar.value()), money(g.withheld.value()), money(g.released.value()), money(g.adjustments.value()),
			money(g.carriedIn.value()), money(g.carriedOut.value()), money(g.net.value()),
		})
	}
	pl, err := w.table(SheetSummary, b)
	if err != nil {
		return err
	}
	return w.paidPerBydel(v, gs, pl.next+2)
}

// paidPerBydel writes the table behind the chart (paid per bydel, one
// column per scheme) and a stacked column chart of it below.
func (w *workbook) paidPerBydel(v view, gs []*group, top int) error {
	if err := w.heading(SheetSummary, top, fmt.Sprintf("Utbetalt per bydel %s", v.res.Period)); err != nil {
		return err
	}
	cols := []column{{"Bydel", false}, {"Bydelsnavn", false}, {"Fastlege", true}, {"Fysioterapi", true}, {"Sum", true}}
	b := block{cols: cols, totals: true}
	row := map[string]int{}
	for _, g := range gs {
		i, ok := row[g.bydel]
		if !ok {
			i = len(b.rows)
			row[g.bydel] = i
			b.rows = append(b.rows, []cell{txt(g.bydel), txt(nb.BydelName(g.bydel)), money(decimal.Zero), money(decimal.Zero), money(decimal.Zero)})
		}
		c := 3
		if g.scheme == payout.SchemeFastlege {
			c = 2
		}
		net := g.net.value()
		b.rows[i][c] = money(b.rows[i][c].d.Add(net))
		b.rows[i][4] = money(b.rows[i][4].d.Add(net))
	}
	pl, err := w.writeBlock(SheetSummary, top+1, b)
	if err != nil || len(b.rows) == 0 {
		return err
	}
	// Beside its table, so both show together below the summary.
	w.spec.ops = append(w.spec.ops, skeletonOp{sheet: SheetSummary, chart: &chartAt{top: top, pl: pl}})
	// The sheet's first relationship (excelize numbers them from rId1):
	// TestChartDrawingIsTheSummarysRelationship reads it back.
	w.layout(SheetSummary).drawing = "rId1"
	return nil
}

func paidChart(pl placed) *excelize.Chart {
	ref := func(col string) string {
		return fmt.Sprintf("%s!$%s$%d:$%s$%d", SheetSummary, col, pl.firstRow, col, pl.lastRow)
	}
	series := func(col string) excelize.ChartSeries {
		return excelize.ChartSeries{
			Name:       fmt.Sprintf("%s!$%s$%d", SheetSummary, col, pl.header),
			Categories: ref("B"),
			Values:     ref(col),
		}
	}
	vary := false // one colour per scheme, not per bydel
	return &excelize.Chart{
		Type:       excelize.ColStacked,
		VaryColors: &vary,
		Series:     []excelize.ChartSeries{series("C"), series("D")},
		Title:      []excelize.RichTextRun{{Text: "Utbetalt per bydel (kr)"}},
		Legend:     excelize.ChartLegend{Position: "bottom"},
		Dimension:  excelize.ChartDimension{Width: 900, Height: 420},
		YAxis:      excelize.ChartAxis{NumFmt: excelize.ChartNumFmt{CustomNumFmt: "#,##0"}},
	}
}
