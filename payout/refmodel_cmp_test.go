package payout_test

// TestReferenceModelMatchesEngine runs the naive reference model
// (refmodel_test.go) and the engine on seeded random input sets
// (refmodel_gen_test.go) and compares every line and every amount to the
// øre (STYLE.md, Tests: TigerBeetle's simple reference model).
//
// A mismatch prints the seed and a diff; rerun one seed with
//
//	go test ./payout -run TestReferenceModelMatchesEngine -refmodel.seed=N -v
//
// which also writes the input set as a fixture folder under
// testdata/refmodel/seed-N/ for `payout run` and `payout explain`.

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

var refSeedFlag = flag.Uint64("refmodel.seed", 0, "run only this seed of the reference-model test and dump its inputs")

func TestReferenceModelMatchesEngine(t *testing.T) {
	first, last := uint64(1), uint64(refSeeds)
	if *refSeedFlag != 0 {
		first, last = *refSeedFlag, *refSeedFlag
	}
	failed := 0
	for seed := first; seed <= last; seed++ {
		in, P := genRefInputs(seed)
		if *refSeedFlag != 0 {
			dir := filepath.Join("testdata", "refmodel", fmt.Sprintf("seed-%d", seed))
			if err := writeRefFixture(dir, in, P); err != nil {
				t.Fatal(err)
			}
			t.Logf("inputs written to %s (period %s, options %+v)", dir, P, genRefOptions(seed, in, P))
		}
		opt := genRefOptions(seed, in, P)
		if msg := compareRefRun(in, P, opt); msg != "" {
			failed++
			if failed <= 5 {
				t.Errorf("seed %d, period %s, options %+v:\n%s", seed, P, opt, msg)
			}
		}
	}
	if failed > 0 {
		t.Errorf("%d of %d seeds differ", failed, last-first+1)
	}
}

// compareRefRun returns "" when engine and model agree on period P.
func compareRefRun(in *payout.Inputs, P payout.Period, opt payout.Options) string {
	want, err := newRefModel(in, opt).run(P)
	if err != nil {
		return "model: " + err.Error() + " (generator bug: inputs must be valid)"
	}
	res, err := payout.Compute(in, P, opt)
	if err != nil && errors.Is(err, payout.ErrInvalidInput) {
		return "engine rejects inputs the model finds valid: " + err.Error()
	}
	if err != nil && res == nil {
		return "engine: " + err.Error()
	}
	got := map[refKey]*refLine{}
	for _, l := range res.Lines {
		k := refKey{l.AgreementID, l.Role, l.PayeeID}
		if got[k] != nil {
			return "engine: two lines for " + k.String()
		}
		got[k] = &refLine{Base: l.Base, AbsenceDeduction: l.AbsenceDeduction, VikarAmount: l.VikarAmount,
			Entitlement: l.Entitlement, Withheld: l.Withheld, Released: l.Released, Adjustments: l.Adjustments,
			CarriedIn: l.CarriedIn, Net: l.Net, CarriedOut: l.CarriedOut}
	}
	diff := diffRefLines(want, got)
	if err != nil {
		diff += "engine error: " + err.Error() + "\n"
	}
	if diff != "" {
		return "line/amount: model → engine\n" + diff
	}
	return ""
}

// writeRefFixture writes an input set as a fixture folder (FORMATS.md), so
// that a failing seed can be run and explained with the command line.
func writeRefFixture(dir string, in *payout.Inputs, P payout.Period) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	files := map[string][]string{}
	add := func(name, header string, v payout.Version, cells ...any) {
		if files[name] == nil {
			files[name] = []string{header + ",recorded_on,cancelled"}
		}
		row := make([]string, 0, len(cells)+2)
		for _, c := range cells {
			row = append(row, refCell(c))
		}
		rec := v.RecordedOn
		if rec == payout.Beginning {
			rec = payout.NoDate
		}
		row = append(row, rec.String(), fmt.Sprint(v.Cancelled))
		files[name] = append(files[name], strings.Join(row, ","))
	}
	for _, r := range in.Rates {
		add("rates", "scheme,valid_from,tier_from,annual_amount,source", r.Version, r.Scheme, r.ValidFrom, r.TierFrom, r.AnnualNOK, r.Source)
	}
	for _, p := range in.Payees {
		add("payees", "payee_id,name,account,orgnr", p.Version, p.ID, p.Name, p.Account, p.OrgNr)
	}
	for _, a := range in.Agreements {
		to, hj := a.ValidTo, ""
		if to == payout.Forever {
			to = payout.NoDate
		}
		if a.Scheme == payout.SchemeFysio {
			hj = a.HjemmelPercent.String()
		}
		add("agreements", "agreement_id,scheme,name,hpr,bydel,valid_from,valid_to,payee_id,list_id,share_percent,hjemmel_percent,list_ceiling,birth_date,extension_to,practice_id",
			a.Version, a.ID, a.Scheme, a.Name, a.HPR, a.Bydel, a.ValidFrom, to, a.PayeeID, a.ListID, a.SharePercent, hj, a.ListCeiling, a.BirthDate, a.ExtensionTo, a.PracticeID)
	}
	for _, c := range in.ListCounts {
		w := ""
		if c.HasWeighted {
			w = c.Weighted.String()
		}
		add("list_counts", "list_id,as_of,count,weighted_count", c.Version, c.ListID, c.AsOf, c.Count, w)
	}
	for _, a := range in.Absences {
		add("absences", "absence_id,agreement_id,kind,from,to,cover,vikar_payee_id", a.Version, a.ID, a.AgreementID, a.Kind, a.From, a.To, a.Cover, a.VikarPayeeID)
	}
	for _, c := range in.Caregivers {
		add("caregivers", "agreement_id,year,children,chronic_or_disabled,sole_caregiver", c.Version, c.AgreementID, c.Year, c.Children, c.ChronicOrDisabled, c.SoleCaregiver)
	}
	for _, b := range in.Breaches {
		add("breaches", "breach_id,agreement_id,decision_ref,notice_on,withhold_from,percent,rectified_on", b.Version, b.ID, b.AgreementID, b.DecisionRef, b.NoticeOn, b.WithholdFrom, b.Percent, b.RectifiedOn)
	}
	for _, o := range in.Takeovers {
		add("takeovers", "takeover_id,agreement_id,from,to,payee_agreement_id,share_percent", o.Version, o.ID, o.AgreementID, o.From, o.To, o.PayeeAgreementID, o.SharePercent)
	}
	for name, rows := range files {
		if err := os.WriteFile(filepath.Join(dir, name+".csv"), []byte(strings.Join(rows, "\n")+"\n"), 0o644); err != nil {
			return err
		}
	}
	pol, err := refPolicyJSON(in.Policy)
	if err != nil {
		return err
	}
	if err := os.WriteFile(filepath.Join(dir, "policy.json"), pol, 0o644); err != nil {
		return err
	}
	return os.WriteFile(filepath.Join(dir, "case.json"), []byte(fmt.Sprintf("{\"period\": %q}\n", P.String())), 0o644)
}

func refCell(c any) string {
	switch x := c.(type) {
	case payout.Date:
		return x.String()
	case int:
		if x == 0 {
			return ""
		}
		return fmt.Sprint(x)
	case decimal.Decimal:
		return x.String()
	}
	return fmt.Sprint(c)
}

// refPolicyJSON writes the parameters the generator varies.
func refPolicyJSON(p payout.Policy) ([]byte, error) {
	r := p.AbsenceRules
	return json.MarshalIndent(map[string]any{
		"retro_window_months": p.RetroWindowMonths, "cap_13_4_days": r.Cap134Days,
		"colleague_cover_days": r.ColleagueCoverDays, "sickness_full_pay_days": r.SicknessFullPayDays,
		"parental_paid_days": r.ParentalPaidDays, "union_paid_days": r.UnionPaidDays,
		"child_sickness_days": r.ChildDays, "child_sickness_days_many_children": r.ChildDaysManyChildren,
		"child_sickness_days_chronic": r.ChildDaysChronic, "municipal_vikar_after_days": r.MunicipalVikarAfterDays,
	}, "", "  ")
}
