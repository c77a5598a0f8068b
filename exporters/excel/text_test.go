package excel

import (
	"bytes"
	"fmt"
	"math/rand/v2"
	"strconv"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/oslokommune/payout/payout/nb"
	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"github.com/xuri/excelize/v2"
)

// A text cell written here reads back as the same cell written by
// excelize's SetCellStr does (both neutralised): escapes, a carriage return, characters XML
// does not allow, bytes that are not UTF-8, and spaces at either end.
func TestTextReadsBackAsExcelizesDoes(t *testing.T) {
	texts := []string{"plain", "Ærlig & <godt> \"sagt\" 'ja'", "a\r\nb\rc\nd\te", " lead", "trail ", "\tTab",
		"ctl\x01\x1f\x7f", "bad \xff\xfe utf8", "\uFFFE\uFFFF", "snø ❄ 𝄞", "]]> end", "_x0041_"}
	w, err := newWorkbook("x", []string{"T"}, nil, nil)
	require.NoError(t, err)
	ref := excelize.NewFile()
	for i, s := range texts {
		require.NoError(t, w.heading("T", i+1, s))
		cell, _ := cellName(1, i+1)
		require.NoError(t, ref.SetCellStr("Sheet1", cell, nb.Neutralise(s)))
	}
	mine, err := w.finish()
	require.NoError(t, err)
	theirs, err := ref.WriteToBuffer()
	require.NoError(t, err)
	a, err := excelize.OpenReader(bytes.NewReader(mine))
	require.NoError(t, err)
	b, err := excelize.OpenReader(bytes.NewReader(theirs.Bytes()))
	require.NoError(t, err)
	for i, s := range texts {
		cell, _ := cellName(1, i+1)
		got, err := a.GetCellValue("T", cell)
		require.NoError(t, err)
		want, err := b.GetCellValue("Sheet1", cell)
		require.NoError(t, err)
		assert.Equal(t, want, got, "%q", s)
	}
}

// numWidth's int64 path measures as the decimal arithmetic does.
func TestNumWidthFastPathIsExact(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 3))
	for range 200000 {
		c := r.Int64N(1 << uint(r.IntN(62)+1))
		if r.IntN(2) == 0 {
			c = -c
		}
		d := decimal.New(c, -int32(r.IntN(7)))
		scale := r.IntN(maxScale + 1)
		require.Equal(t, roundedWidth(d, scale), numWidth(d, scale), "%s at %d decimals", d, scale)
	}
	for _, n := range []int{0, 1, -1, 9, 10, 999, 1000, -1000, 1 << 40, -(1 << 62)} {
		require.Equal(t, roundedWidth(decimal.NewFromInt(int64(n)), 0), intWidth(n), n)
	}
}

// exactSum gives what a chain of decimal.Decimal.Add gives, exponent
// included, on int64 coefficients and past them.
func TestExactSumIsDecimalAdd(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 4))
	for range 20000 {
		var want decimal.Decimal
		var got exactSum
		for range r.IntN(30) {
			var d decimal.Decimal
			switch r.IntN(4) {
			case 0:
				d = decimal.New(r.Int64N(1<<40)-1<<39, -2)
			case 1:
				d = decimal.New(r.Int64N(1<<62)-1<<61, -int32(r.IntN(12)))
			case 2:
				d = decimal.New(r.Int64N(1000), int32(r.IntN(3)))
			default:
				d = decimal.RequireFromString("123456789012345678901234.5678")
			}
			want = want.Add(d)
			got.add(d)
		}
		v := got.value()
		require.True(t, want.Equal(v), "%s != %s", want, v)
		require.Equal(t, want.Exponent(), v.Exponent(), "%s", want)
		require.Equal(t, want.String(), v.String())
	}
}

// periodText writes a period as Period.String does, across the years
// written without fmt and either side of them.
func TestPeriodTextIsPeriodString(t *testing.T) {
	for _, y := range []int{1, 999, 1000, 1899, 2022, 2099, 9999, 10000} {
		for m := 1; m <= 12; m++ {
			p := payout.NewPeriod(y, m)
			assert.Equal(t, p.String(), periodText(p), "%d-%d", y, m)
		}
	}
}

// The memo of neutral gives each text what noteRules and nb.Neutralise
// give it, asked once or again, and notes the rules a text cites once
// seen.
func TestNeutralIsNeutraliseAndNotes(t *testing.T) {
	texts := []string{"plain", "=1+2", "R-8.4;R-13.4-SICK", "R-8.4;R-13.4-SICK", "a;=b; -c;d", "-R-8.4", "x;y", "R-NONE;R-14"}
	w, err := newWorkbook("x", []string{"T"}, nil, nil)
	require.NoError(t, err)
	want, _ := newWorkbook("x", []string{"T"}, nil, nil)
	for _, s := range texts {
		want.noteRules(s)
		assert.Equal(t, nb.Neutralise(s), w.neutral(s), s)
	}
	assert.Equal(t, want.cited, w.cited)
	assert.NotEmpty(t, w.cited)
}

// Past maxTexts the memo takes no more texts (a run's remittances are
// each written once), and a text is still written and its rules noted as
// before: the first texts stay remembered, later ones are worked out each
// time, and both ways give nb.Neutralise's text.
func TestNeutralMemoIsBounded(t *testing.T) {
	w, err := newWorkbook("x", []string{"T"}, nil, nil)
	require.NoError(t, err)
	for i := range maxTexts + 100 {
		s := fmt.Sprintf("Basistilskudd 2025-12; spes. P%05d-2025-12", i)
		require.Equal(t, nb.Neutralise(s), w.neutral(s), s)
	}
	assert.Len(t, w.texts, maxTexts)
	late := "=R-8.4;R-13.4-SICK"
	for range 2 {
		assert.Equal(t, nb.Neutralise(late), w.neutral(late))
	}
	assert.Len(t, w.texts, maxTexts, "a text past the bound is not remembered")
	assert.Equal(t, map[string]bool{"R-8.4": true, "R-13.4-SICK": true}, w.cited, "its rules are noted")
	first := "Basistilskudd 2025-12; spes. P00000-2025-12"
	assert.Contains(t, w.texts, first, "the texts before the bound stay remembered")
}

// payout.AppendFixed writes what AppendFloat writes of decimal.Float64, for
// coefficients of every size below maxFixedDigits and every exponent
// 0..-9.
func TestAppendFixedIsAppendFloat(t *testing.T) {
	r := rand.New(rand.NewPCG(16, 5))
	cs := []int64{0, 1, -1, 5, -5, 10, 100, 12345, 999999999999999, -999999999999999, 100000000000000, 1 << 49}
	for range 300000 {
		c := r.Int64N(int64(pow10[r.IntN(15)+1]))
		if r.IntN(2) == 0 {
			c = -c
		}
		cs = append(cs, c)
	}
	for i, c := range cs {
		k := i % 10
		if i < 12 {
			k = 0
		}
		for _, k := range []int{k, 2} {
			f, _ := decimal.New(c, -int32(k)).Float64()
			want := strconv.AppendFloat(nil, f, 'f', -1, 64)
			require.Equal(t, string(want), string(payout.AppendFixed(nil, c, k)), "%d·10^-%d", c, k)
		}
	}
}

// A block the size of a district's Linjer sheet at four times Norway
// (2 400 lines of 28 cells) gives its room back for the next block, which
// takes the same arrays instead of allocating them again; one larger than
// maxRoomCells (report.xlsx's Linjer there) is left to the collector.
func TestBlockRoomReusedAtNationalScale(t *testing.T) {
	for len(blockRooms) > 0 {
		<-blockRooms
	}
	cols := make([]column, 28)
	row := make([]cell, len(cols))
	fill := func(n int) block {
		b := newBlock(cols, false, n)
		for range n {
			b.add(row...)
		}
		return b
	}
	b := fill(2400)
	first := &b.cells[0]
	b.release()
	again := fill(2400)
	assert.Same(t, first, &again.cells[0], "the room of 67 200 cells is reused")
	again.release()
	for len(blockRooms) > 0 {
		<-blockRooms
	}
	big := fill(maxRoomCells/len(cols) + 1)
	big.release()
	assert.Empty(t, blockRooms, "a room past maxRoomCells is not kept")
}
