package payout

import (
	"testing"

	"github.com/stretchr/testify/require"
)

func TestExplainSickness(t *testing.T) {
	in := baseInputs()
	in.Absences = []Absence{absence("S1", "sickness", "2015-03-02", "2015-03-25", "none")}
	tr, err := Explain(in, MustPeriod("2015-03"), Options{}, "A1")
	require.NoError(t, err)
	require.Len(t, tr.Days, 31)
	require.Equal(t, StatusPaid, tr.Days[0].Status)
	require.Equal(t, StatusPaid, tr.Days[16].Status, "17 March is sickness day 16")
	require.Equal(t, StatusUnpaid, tr.Days[17].Status, "18 March is sickness day 17")
	require.Equal(t, RSick, tr.Days[17].Rule)
	require.Equal(t, "S1", tr.Days[17].AbsenceID)
	require.Equal(t, 1200, tr.Count)
	require.Equal(t, "Statsavtalen 2014", tr.RateTiers[0].Source)
	var names []string
	for _, s := range tr.Steps {
		names = append(names, s.Name)
	}
	require.Contains(t, names, "absence_deduction")
	require.Len(t, tr.Lines, 1)
	requireAmount(t, "31235.48", tr.Lines[0].Net, "net")

	_, err = Explain(in, MustPeriod("2015-03"), Options{}, "NOPE")
	require.ErrorIs(t, err, ErrInvalidInput)
}

func TestCheckInputsReportsEveryAgreement(t *testing.T) {
	in := baseInputs()
	in.Agreements = append(in.Agreements, agreement("A2", "P2", "L2"))
	in.Absences = []Absence{absence("S1", "sickness", "2015-03-01", "2015-03-10", "none"), absence("S2", "sickness", "2015-03-05", "2015-03-12", "none")}
	bad := absence("X1", "education", "2015-01-01", "2015-01-02", "municipal_vikar")
	bad.AgreementID, bad.VikarPayeeID = "A2", "V1"
	in.Absences = append(in.Absences, bad)
	list := CheckInputs(in)
	require.Len(t, list, 2)
	require.Contains(t, list.Error(), "overlaps absence S1")
	require.Contains(t, list.Error(), "absence day 1 of 2015")
	in.Absences = in.Absences[:1]
	require.Empty(t, CheckInputs(in))
}
