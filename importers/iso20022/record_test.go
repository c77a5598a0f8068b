package iso20022

import (
	"fmt"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/payout/bank"
)

// requireRecordIsRead: the record of a report read decodes to that report,
// field for field, each decimal with its coefficient and exponent (so an
// amount's text, "1.00" or "1", is the one read), and encodes to the same
// bytes again.
func requireRecordIsRead(t testing.TB, rep *bank.Report) {
	rec := bank.EncodeReport(rep)
	got, err := bank.DecodeReport(rep.File, rep.SHA256, rec)
	require.NoError(t, err)
	require.Equal(t, decimalsOf(rep), decimalsOf(got))
	require.Equal(t, withoutDecimals(rep), withoutDecimals(got))
	require.Equal(t, rec, bank.EncodeReport(got))
}

// decimalsOf lists every decimal of r, in order, as coefficient and
// exponent ("nil" for an absent one).
func decimalsOf(r *bank.Report) []string {
	exact := func(d *decimal.Decimal) string {
		if d == nil {
			return "nil"
		}
		return fmt.Sprintf("%se%d", d.Coefficient(), d.Exponent())
	}
	var out []string
	for _, st := range r.Statuses {
		out = append(out, exact(st.CtrlSum), exact(st.Amount))
	}
	for _, bk := range r.Bookings {
		out = append(out, exact(&bk.Amount))
	}
	return out
}

// withoutDecimals is a copy of r with its decimals taken out (compared by
// decimalsOf: the same value can be held differently inside).
func withoutDecimals(r *bank.Report) bank.Report {
	c := *r
	c.Statuses = append([]bank.Status(nil), r.Statuses...)
	for i := range c.Statuses {
		c.Statuses[i].CtrlSum, c.Statuses[i].Amount = nil, nil
		if len(c.Statuses[i].Reasons) == 0 {
			c.Statuses[i].Reasons = nil
		}
	}
	c.Bookings = append([]bank.Booking(nil), r.Bookings...)
	for i := range c.Bookings {
		c.Bookings[i].Amount = decimal.Decimal{}
	}
	return c
}

// Every report of the corpus and the tests' release answers round-trips
// through its record.
func TestRecordIsRead(t *testing.T) {
	paths, err := filepath.Glob("testdata/corpus/*.xml")
	require.NoError(t, err)
	n := 0
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(t, err)
		rep, err := Read(filepath.Base(p), data)
		if err != nil {
			continue // the payment file, not a report
		}
		t.Run(filepath.Base(p), func(t *testing.T) { requireRecordIsRead(t, rep) })
		n++
	}
	require.GreaterOrEqual(t, n, 5, "the corpus's reports")
}

// A record with a byte changed, cut short or lengthened is refused or
// decodes to another record, never a panic; the format is named.
func TestRecordRefusesOthers(t *testing.T) {
	data, err := os.ReadFile("testdata/corpus/camt054-08-batch.xml")
	require.NoError(t, err)
	rep, err := Read("c.xml", data)
	require.NoError(t, err)
	rec := bank.EncodeReport(rep)
	for cut := 0; cut < len(rec); cut++ {
		_, err := bank.DecodeReport("c.xml", rep.SHA256, rec[:cut])
		require.Error(t, err, "cut at %d", cut)
	}
	_, err = bank.DecodeReport("c.xml", rep.SHA256, append(append([]byte(nil), rec...), 0))
	require.ErrorContains(t, err, "bytes after the last booking")
	other := append([]byte(nil), rec...)
	other[len(bank.RecordFormat)] = '9'
	_, err = bank.DecodeReport("c.xml", rep.SHA256, other)
	require.ErrorContains(t, err, `not "payout-bank-report/1"`)
}

// FuzzRecordIsRead: every report Read accepts round-trips through its
// record; any bytes as a record are refused, or decode to a report that
// round-trips too; never a panic.
func FuzzRecordIsRead(f *testing.F) {
	paths, _ := filepath.Glob("testdata/corpus/*.xml")
	for _, p := range paths {
		data, err := os.ReadFile(p)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		if rep, err := Read("r.xml", data); err == nil {
			requireRecordIsRead(t, rep)
		}
		if rep, err := bank.DecodeReport("r.xml", "", data); err == nil {
			requireRecordIsRead(t, rep)
		}
	})
}
