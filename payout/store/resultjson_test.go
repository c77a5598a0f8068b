package store

import (
	"encoding/json"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout"
)

// encodeResult writes the bytes json.Marshal writes, for real runs (Oslo,
// every worked example) and for lines made to be awkward.
func TestEncodeResultIsMarshal(t *testing.T) {
	require.True(t, linesByHand(), "Line's fields are the ones appendLine writes: update lineFields and appendLine together")
	results := map[string]*payout.Result{
		"oslo 2022-12": computeFolder(t, "../../fixtures/oslo", "2022-12"),
		"oslo 2022-06": computeFolder(t, "../../fixtures/oslo", "2022-06"),
		"no lines":     {Period: payout.MustPeriod("2022-12")},
		"awkward":      awkwardResult(rand.New(rand.NewPCG(16, 9))),
	}
	examples, _ := filepath.Glob("../../../shared/examples/*/case.json")
	for _, c := range examples {
		var cs struct{ Period string }
		data, err := os.ReadFile(c)
		require.NoError(t, err)
		require.NoError(t, json.Unmarshal(data, &cs))
		results[filepath.Base(filepath.Dir(c))] = computeFolder(t, filepath.Dir(c), cs.Period)
	}
	for name, res := range results {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(res)
			require.NoError(t, err)
			got, err := encodeResult(res)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
		})
	}
	assert.NotEmpty(t, results["oslo 2022-12"].Lines)
}

// Without quotes on decimals the lines are encoding/json's own.
func TestEncodeResultDecimalsWithoutQuotes(t *testing.T) {
	decimal.MarshalJSONWithoutQuotes = true
	defer func() { decimal.MarshalJSONWithoutQuotes = false }()
	res := awkwardResult(rand.New(rand.NewPCG(1, 2)))
	want, err := json.Marshal(res)
	require.NoError(t, err)
	got, err := encodeResult(res)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
}

func computeFolder(t *testing.T, dir, period string) *payout.Result {
	t.Helper()
	in, _, err := importers.LoadFolder(dir)
	require.NoError(t, err)
	res, err := payout.Compute(in, payout.MustPeriod(period), payout.Options{})
	require.NoError(t, err)
	return res
}

// awkwardResult has lines whose texts need escaping (quotes, backslashes,
// HTML's <>&, control characters, Norwegian letters, text that is not
// UTF-8, U+2028) and whose decimals are negative, zero, long or scaled;
// Rules nil, empty and full.
func awkwardResult(r *rand.Rand) *payout.Result {
	texts := []string{"", "A1", `say "hi"`, `back\slash`, "<b>&amp;</b>", "a<b", "a>b", "a&b", "a~b\x7f", "tab\there", "Nygård Ås", "\xff\xfe", "line\u2028sep", "nul\x00", "P00001"}
	text := func() string { return texts[r.IntN(len(texts))] }
	dec := func() decimal.Decimal {
		switch r.IntN(5) {
		case 0:
			return decimal.Zero
		case 1:
			return decimal.New(r.Int64N(1e12)-5e11, -int32(r.IntN(6)))
		case 2:
			return decimal.RequireFromString("123456789012345678901234567890.123456789")
		case 3:
			return decimal.New(r.Int64N(1000), int32(r.IntN(4)))
		}
		return decimal.Decimal{}
	}
	res := &payout.Result{Period: payout.MustPeriod("2025-12"), Total: dec(),
		KnowledgeByPeriod: map[payout.Period]int64{payout.MustPeriod("2025-11"): 7}}
	for i := range 200 {
		l := payout.Line{Period: payout.Period(r.Int32N(30000)), AgreementID: text(), HPR: text(), Name: text(), Bydel: text(),
			Scheme: payout.Scheme(text()), Role: payout.Role(text()), PayeeID: text(), ListID: text(), Count: r.IntN(5000) - 10,
			Members: dec(), AnnualAmount: dec(), SharePercent: dec(), ActiveDays: r.IntN(32), PaidDays: r.IntN(32),
			UnpaidDays: -r.IntN(3), VikarDays: r.IntN(32), Base: dec(), AbsenceDeduction: dec(), VikarAmount: dec(),
			Entitlement: dec(), Withheld: dec(), Released: dec(), Adjustments: dec(), CarriedIn: dec(), Net: dec(),
			CarriedOut: dec(), Claimed: dec()}
		switch i % 3 {
		case 1:
			l.Rules = []string{}
		case 2:
			l.Rules = []string{"R-8.4", text(), "R-13"}
		}
		res.Lines = append(res.Lines, l)
	}
	return res
}

// appendDecimal writes d.String() for any decimal, with decimal's switches
// as they are and turned.
func TestAppendDecimalIsString(t *testing.T) {
	r := rand.New(rand.NewPCG(3, 4))
	ds := []decimal.Decimal{{}, decimal.Zero, decimal.New(0, -5), decimal.New(1, -18), decimal.New(-1, -18), decimal.New(5, -19),
		decimal.New(999999999999999999, -18), decimal.New(-999999999999999999, 0), decimal.New(1000000000000000000, -3),
		decimal.New(1500, -2), decimal.New(-1500, -4), decimal.New(15, 3), decimal.RequireFromString("0.000100"),
		decimal.RequireFromString("-123456789012345678901234567890.5"), decimal.NewFromInt(-42)}
	for range 200000 {
		c := r.Int64N(1 << 62)
		c >>= r.IntN(62)
		if r.IntN(2) == 0 {
			c = -c
		}
		ds = append(ds, decimal.New(c, int32(r.IntN(24)-21)))
	}
	check := func() {
		for _, d := range ds {
			if got, want := string(appendDecimal(nil, d)), d.String(); got != want {
				t.Fatalf("appendDecimal(%s, exponent %d) = %q, want %q", d.Coefficient(), d.Exponent(), got, want)
			}
		}
	}
	check()
	decimal.UseScientificNotation = true
	check()
	decimal.UseScientificNotation = false
	decimal.TrimTrailingZeros = false
	defer func() { decimal.TrimTrailingZeros = true }()
	check()
}

// cutMember removes a top-level member only: not one nested deeper, not
// text that looks like one inside a string, and never the last member (it
// says it could not, and the caller decodes the whole).
func TestCutMember(t *testing.T) {
	cases := []struct{ in, want string }{
		{`{"A":1,"Lines":[{"x":"a\"],"}],"B":2}`, `{"A":1,"B":2}`},
		{`{"Lines":null,"B":2}`, `{"B":2}`},
		{`{"X":{"Lines":1,"y":[2]},"Lines":3,"Z":4}`, `{"X":{"Lines":1,"y":[2]},"Z":4}`},
		{`{"A":"\"Lines\":1,","Lines":[],"B":null}`, `{"A":"\"Lines\":1,","B":null}`},
		{"{ \"A\" : true ,\n \"Lines\" : [1, 2.5e3, \"\\\\\"] ,\t\"B\" : false }", "{ \"A\" : true ,\n \"B\" : false }"},
		{`{"LinesX":1,"Lines":{"a":{"b":[]}},"C":"}"}`, `{"LinesX":1,"C":"}"}`},
		{`{"A":1,"Lines":[1]}`, ""},        // the last member
		{`{"A":1,"B":[1],"C":2}`, ""},      // none
		{`{"A":1,"Lines":[1,"]`, ""},       // cut short
		{`{"A":1,"Lines":[1],`, `{"A":1,`}, // the decoder refuses what is kept
		{`[{"Lines":1},2]`, ""},
		{``, ""},
		{`{"Li\u006ees":[1],"B":2}`, ""}, // escaped: not recognised (the decoder skips it)
	}
	for _, c := range cases {
		got, ok := cutMember([]byte(c.in), "Lines")
		if c.want == "" {
			assert.False(t, ok, c.in)
			continue
		}
		if assert.True(t, ok, c.in) {
			assert.Equal(t, c.want, string(got), c.in)
		}
	}
}

// On whole results, what cutMember keeps is the result's every member
// but its lines, byte for byte.
func TestCutMemberOfResults(t *testing.T) {
	for name, res := range map[string]*payout.Result{
		"oslo 2022-12": computeFolder(t, "../../fixtures/oslo", "2022-12"),
		"awkward":      awkwardResult(rand.New(rand.NewPCG(3, 5))),
	} {
		blob, err := encodeResult(res)
		require.NoError(t, err)
		cut, ok := cutMember(blob, "Lines")
		require.True(t, ok, name)
		var whole, kept map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(blob, &whole))
		require.NoError(t, json.Unmarshal(cut, &kept))
		delete(whole, "Lines")
		assert.Equal(t, whole, kept, name)
	}
}
