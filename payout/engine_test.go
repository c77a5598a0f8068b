package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestBase_R84(t *testing.T) {
	cases := []struct {
		name   string
		change func(in *Inputs)
		period string
		base   string
		rules  []string
	}{
		{"R-8.4 1200 × 421 / 12", func(in *Inputs) {}, "2015-03", "42100.00", []string{RBase}},
		{"R-8.4 new rate from July", func(in *Inputs) {}, "2015-07", "42700.00", []string{RBase}},
		{"R-8.4-TIERS 1000 × 675 + 500 × 544", func(in *Inputs) {
			in.Rates = append(in.Rates,
				Rate{Scheme: SchemeFastlege, ValidFrom: d("2015-05-01"), TierFrom: 1, AnnualNOK: dec("675"), Version: known()},
				Rate{Scheme: SchemeFastlege, ValidFrom: d("2015-05-01"), TierFrom: 1001, AnnualNOK: dec("544"), Version: known()})
			in.ListCounts = counts("L1", 1500, "2015-01", "2015-12")
		}, "2015-05", "78916.67", []string{RBase, RTiers}},
		{"R-8.4-WEIGHTED weighted count × first tier", func(in *Inputs) {
			in.ListCounts[2].HasWeighted, in.ListCounts[2].Weighted = true, dec("1100.5")
		}, "2015-03", "38609.21", []string{RBase, RWeighted}},
		{"R-GRUNN small new list paid as 500", func(in *Inputs) {
			in.Agreements[0].ValidFrom = d("2014-01-01")
			in.ListCounts = counts("L1", 300, "2015-01", "2015-12")
		}, "2015-03", "17541.67", []string{RBase, RGrunn}},
		{"R-GRUNN ends 24 months after valid_from", func(in *Inputs) {
			in.Agreements[0].ValidFrom = d("2013-03-01")
			in.ListCounts = counts("L1", 300, "2015-01", "2015-12")
		}, "2015-03", "10525.00", []string{RBase}},
		// RULEBOOK §1: valid_from + N months clamps to the month's last
		// day, so 2014-01-31 + 13 months ends the floor on 2015-02-28.
		{"R-GRUNN month-end valid_from: February still floored", func(in *Inputs) {
			in.Policy.GrunntilskuddMonths = 13
			in.Agreements[0].ValidFrom = d("2014-01-31")
			in.ListCounts = counts("L1", 300, "2015-01", "2015-12")
		}, "2015-02", "17541.67", []string{RBase, RGrunn}},
		{"R-GRUNN month-end valid_from: the window ends 28 February, not 3 March", func(in *Inputs) {
			in.Policy.GrunntilskuddMonths = 13
			in.Agreements[0].ValidFrom = d("2014-01-31")
			in.ListCounts = counts("L1", 300, "2015-01", "2015-12")
		}, "2015-03", "10525.00", []string{RBase}},
		{"R-GRUNN not when the ceiling is under 500", func(in *Inputs) {
			in.Agreements[0].ValidFrom, in.Agreements[0].ListCeiling = d("2014-01-01"), 400
			in.ListCounts = counts("L1", 300, "2015-01", "2015-12")
		}, "2015-03", "10525.00", []string{RBase}},
		{"R-10.7-SHARED half a shared list", func(in *Inputs) {
			in.Agreements[0].SharePercent = dec("50")
		}, "2015-03", "21050.00", []string{RShared, RBase}},
		{"R-ACTIVE starts on the 10th of March", func(in *Inputs) {
			in.Agreements[0].ValidFrom = d("2015-03-10")
			in.Agreements[0].ListCeiling = 400
		}, "2015-03", "29877.42", []string{RBase, RActive}},
		{"R-16-AGE70 turns 70 on 15 March", func(in *Inputs) {
			in.Agreements[0].BirthDate = d("1945-03-15")
		}, "2015-03", "19012.90", []string{RAge70, RBase}},
		{"R-16-AGE70 extension to 20 March", func(in *Inputs) {
			in.Agreements[0].BirthDate, in.Agreements[0].ExtensionTo = d("1945-03-15"), d("2015-03-20")
		}, "2015-03", "27161.29", []string{RAge70, RBase}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			in := baseInputs()
			c.change(in)
			r := mustCompute(t, in, c.period)
			l := line(t, r, "A1", RoleHolder, "P1")
			requireAmount(t, c.base, l.Base, "base")
			requireAmount(t, c.base, l.Net, "net")
			require.Equal(t, c.rules, l.Rules)
		})
	}
}

func TestFysio_R_FYSIO(t *testing.T) {
	in := baseInputs()
	in.Agreements = []Agreement{{ID: "F1", Scheme: SchemeFysio, Name: "Fysio", HPR: "2", Bydel: "05", ValidFrom: d("2010-01-01"),
		ValidTo: Forever, PayeeID: "P1", SharePercent: dec("100"), HjemmelPercent: dec("50"), BirthDate: d("1940-01-01"), Version: known()}}
	r := mustCompute(t, in, "2015-03")
	l := line(t, r, "F1", RoleHolder, "P1")
	requireAmount(t, "18905.00", l.Net, "453720 × 50 % / 12")
	require.Equal(t, []string{RFysio}, l.Rules, "age 70 does not apply to fysio by default")
}

func TestFysioShareIsInvalid_R_FYSIO(t *testing.T) {
	// RULEBOOK §7: a fysio agreement has no list; a share_percent other
	// than empty (100) or 100 is invalid input, never a silent halving.
	cases := []struct {
		share string
		err   string
	}{
		{"100", ""},
		{"50", "agreements.csv:5 (share_percent): share_percent 50 on fysio agreement F1"},
		{"100.5", "agreements.csv:5 (share_percent): share_percent 100.5 on fysio agreement F1"},
	}
	for _, c := range cases {
		t.Run(c.share, func(t *testing.T) {
			in := baseInputs()
			in.Agreements = []Agreement{{ID: "F1", Scheme: SchemeFysio, Name: "Fysio", HPR: "2", Bydel: "05", ValidFrom: d("2010-01-01"),
				ValidTo: Forever, PayeeID: "P1", SharePercent: dec(c.share), HjemmelPercent: dec("50"),
				Version: Version{RecordedOn: Beginning, Src: NewSource("agreements.csv", "", 5)}}}
			r, err := Compute(in, MustPeriod("2015-03"), Options{})
			checked := CheckInputs(in)
			if c.err == "" {
				require.NoError(t, err)
				require.Empty(t, checked)
				requireAmount(t, "18905.00", line(t, r, "F1", RoleHolder, "P1").Net, "453720 × 50 % / 12")
				return
			}
			require.ErrorIs(t, err, ErrInvalidInput)
			require.Contains(t, err.Error(), c.err)
			require.Contains(t, checked.Error(), c.err)
		})
	}
}

func TestMissingListCount_R84(t *testing.T) {
	// The run's own period stops on a missing count: never silently zero.
	in := baseInputs()
	in.ListCounts = counts("L1", 1200, "2015-01", "2015-02")
	_, err := Compute(in, MustPeriod("2015-03"), Options{})
	require.ErrorIs(t, err, ErrMissingListCount)
	require.ErrorIs(t, err, ErrInvalidInput)
	require.Contains(t, err.Error(), "list L1 has no count as of 2015-03-01")

	// An earlier month whose count is still missing was not paid: April
	// runs, and warns that March is unpaid.
	in.ListCounts = append(in.ListCounts, counts("L1", 1200, "2015-04", "2015-04")...)
	r := mustCompute(t, in, "2015-04")
	require.Len(t, r.Warnings, 1)
	require.Equal(t, "W-UNPAID-MONTH", r.Warnings[0].Code)
	requireAmount(t, "0", line(t, r, "A1", RoleHolder, "P1").Adjustments, "nothing to pay for March yet")

	// Helfo delivers March's count late: the first run that sees it pays
	// March in full as an adjustment (R-ADJ).
	late := counts("L1", 1200, "2015-03", "2015-03")
	late[0].RecordedOn = d("2015-04-10")
	in.ListCounts = append(in.ListCounts, late...)
	r = mustCompute(t, in, "2015-04")
	l := line(t, r, "A1", RoleHolder, "P1")
	requireAmount(t, "42100.00", l.Adjustments, "March paid in April")
	require.Empty(t, r.Warnings)
	require.Equal(t, AdjustmentReason("list_counts"), r.Adjustments[0].Reason)
}
