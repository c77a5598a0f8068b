package banktext

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestFit(t *testing.T) {
	tests := []struct {
		name, in string
		max      int
		want     string
		changes  []Change
		cut      bool
	}{
		{"plain ASCII", "Lege Eide AS", 70, "Lege Eide AS", nil, false},
		{"Norwegian letters are in the set", "Åse Ødegård Æsir", 70, "Åse Ødegård Æsir", nil, false},
		{"Latin-9 letters kept", "Strauß Šimić Žan «Œuvre» €", 70, "Strauß Šimic Žan «Œuvre» €", []Change{{'ć', "c"}}, false},
		{"decomposed Å is composed, not a change", "A\u030ase", 70, "Åse", nil, false},
		{"North Sámi", "Máret Čoavddát Đuolbba Ŋuvttes Ŧ", 70, "Máret Coavddát Duolbba Nuvttes T",
			[]Change{{'Č', "C"}, {'Đ', "D"}, {'Ŋ', "N"}, {'Ŧ', "T"}}, false},
		{"Skolt Sámi", "Ǩiõll ǯǥ Ʒ", 70, "Kiõll zg Z", []Change{{'Ǩ', "K"}, {'ǯ', "z"}, {'ǥ', "g"}, {'Ʒ', "Z"}}, false},
		{"typographic dashes and quotes", "Basistilskudd 2022-09–11 “inkl.” ‘x’ — ok…", 140,
			`Basistilskudd 2022-09-11 "inkl." 'x' - ok...`,
			[]Change{{'–', "-"}, {'“', `"`}, {'”', `"`}, {'‘', "'"}, {'’', "'"}, {'—', "-"}, {'…', "..."}}, false},
		{"no-break and thin spaces", "Lege\u00a0Eide\u2009AS", 70, "Lege Eide AS", []Change{{'\u00a0', " "}, {'\u2009', " "}}, false},
		{"zero-width space and soft hyphen removed", "Lege\u200bEi\u00adde", 70, "LegeEide", []Change{{'\u200b', ""}, {'\u00ad', ""}}, false},
		{"Latin-1 only characters", "½ ¼", 70, "1/2 1/4", []Change{{'½', "1/2"}, {'¼', "1/4"}}, false},
		{"no transliteration", "Dr 王", 70, "Dr ?", []Change{{'王', "?"}}, false},
		{"cut to the field", "Fysioterapeut Fysioterapeut", 14, "Fysioterapeut", nil, true},
		{"cut counts characters, not bytes", "ÆØÅæøå", 4, "ÆØÅæ", nil, true},
		{"no limit", "abc", 0, "abc", nil, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := Fit(tt.in, tt.max)
			assert.Equal(t, tt.want, got.Text)
			assert.Equal(t, tt.changes, got.Changes)
			assert.Equal(t, tt.cut, got.Cut)
			assert.Equal(t, tt.cut || len(tt.changes) > 0, got.Changed())
			for _, r := range got.Text {
				assert.True(t, Allowed(r), "%q left in the text", r)
			}
		})
	}
}

func TestAllowed(t *testing.T) {
	for _, r := range "aZ09 ~!ÆØÅæøåéüßÞþ€ŠšŽžŒœŸ«»§" {
		assert.True(t, Allowed(r), "%q", r)
	}
	for _, r := range "\x00\t\n\x7f\u0085\u00a0\u00ad¤¦¨´¸¼½¾–—“”\u200bČŊ王" {
		assert.False(t, Allowed(r), "%q", r)
	}
}

func TestControl(t *testing.T) {
	for _, tt := range []struct {
		in   string
		want int
	}{{"Lege Eide", -1}, {"Lege\x00Eide", 4}, {"Å\tB", 2}, {"x\u0085", 1}, {"x\x7f", 1}, {"Lege–Eide", -1}} {
		assert.Equal(t, tt.want, FirstControl(tt.in), "%q", tt.in)
	}
}

func TestDescribe(t *testing.T) {
	assert.Equal(t, "«Č»→«C», U+200B→(fjernet), U+00A0→« »",
		Describe([]Change{{'Č', "C"}, {'\u200b', ""}, {'\u00a0', " "}}))
}

// Every character of the Basic Multilingual Plane that is not a control
// character fits: the output is in the set, and fitting it again changes
// nothing.
func TestFitClosesOverBMP(t *testing.T) {
	for r := rune(0x20); r < 0x10000; r++ {
		if IsControl(r) || r >= 0xd800 && r <= 0xdfff {
			continue
		}
		got := Fit("a"+string(r)+"b", 0)
		for _, c := range got.Text {
			if !Allowed(c) {
				t.Fatalf("%U gives %q, which holds %U", r, got.Text, c)
			}
		}
		if again := Fit(got.Text, 0); again.Text != got.Text || again.Changed() {
			t.Fatalf("%U: fitting %q again gives %q", r, got.Text, again.Text)
		}
	}
}
