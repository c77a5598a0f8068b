package importers

import (
	"errors"
	"os"
	"path/filepath"
	"sort"
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// brokenCases is the catalogue of broken files: each folder of
// testdata/broken holds the files that replace those of testdata/valid
// (a file REMOVE lists files to delete), and breaks exactly one rule.
var brokenCases = map[string]string{
	"account-mod11": `payees.csv:2 (account): "1503.01.00008" is not a valid Norwegian account number (11 digits with a correct MOD11 check digit); check it against the payee's bank details
payees.csv:3 (account): "1503020000" is not a valid Norwegian account number (11 digits with a correct MOD11 check digit); check it against the payee's bank details`,
	"agreement-share": `agreements.csv:3 (share_percent): 0 is outside the allowed range (expected more than 0 and at most 100)
agreements.csv:4 (share_percent): 120 is outside the allowed range (expected more than 0 and at most 100)`,
	"as-of-not-first": `list_counts.csv:2 (as_of): 2015-03-15 is not the 1st of a month; a list count is as of the 1st (e.g. 2015-03-01)`,
	"bare-quote":      `payees.csv:2: a quote (") inside a value that does not start with a quote; put the whole value in quotes and double the inner quote ("")`,
	"boolean":         `absences.csv:2 (cancelled): "kanskje" is not a yes/no value (expected ja or nei, or true or false)`,
	"bydel-code": `agreements.csv:2 (bydel): "16" is not a bydel code (expected 01 to 15, or HEL for Helseetaten)
agreements.csv:4 (bydel): "Sagene" is not a bydel code (expected 01 to 15, or HEL for Helseetaten)`,
	"caregiver-year": `caregivers.csv:2 (year): 15 is not a year (expected YYYY, e.g. 2015)`,
	"count-not-whole": `list_counts.csv:2 (count): "1200.5" is not a whole number (expected digits, e.g. 1200)
list_counts.csv:3 (count): "-3" is negative (expected a whole number 0 or more)
list_counts.csv:4 (count): "mange" is not a whole number (expected digits, e.g. 1200)`,
	"decimal-comma-with-comma-delimiter": `list_counts.csv:2 (weighted_count): "1250,5" is not a number (expected digits with a point as decimal separator, e.g. 1234.50)`,
	"duplicate-version":                  `list_counts.csv:4: duplicate version: list_id L1, as_of 2015-03-01 with recorded_on (empty) is already at line 2; give the newer version a later recorded_on, or delete one`,
	"duplicate-version-recorded":         `absences.csv:3: duplicate version: absence_id S1 with recorded_on 2015-03-01 is already at line 2; give the newer version a later recorded_on, or delete one`,
	"duplicated-column":                  `absences.csv:1 (Kind): column kind appears twice in the header; keep one`,
	"empty-file":                         `caregivers.csv: the file is empty; the first line must be the header with the column names`,
	"empty-required-cell":                `absences.csv:2 (to): required but empty; fill in a date (YYYY-MM-DD)`,
	"enumerations": `absences.csv:2 (cover): "kolleger" is not a valid cover; use one of none, colleagues, own_vikar or municipal_vikar
absences.csv:2 (kind): "sick" is not a valid kind; use one of sickness, child_sickness, parental, education, union_public or military_service`,
	"extension-past-75": `agreements.csv:3 (extension_to): 2025-02-10 is on or after the 75th birthday (2025-02-10); an extension past 70 must end before it (§16)`,
	"fastlege-list-and-birth": `agreements.csv:2 (birth_date): empty, but a fastlege agreement needs the doctor's birth_date (it ends at 70, §16); fill it in
agreements.csv:2 (list_id): empty, but a fastlege agreement needs its list_id; fill it in`,
	"field-count":   `absences.csv:2: has 6 values but the header has 7 columns; check for a missing or extra delimiter, and put values that contain one in quotes`,
	"from-after-to": `absences.csv:2 (to): 2015-03-02 is before from 2015-03-25; to must be on or after from`,
	"fysio-share":   `agreements.csv:5 (share_percent): 50 on a fysio agreement: a driftsavtale has no shared list (RULEBOOK §7); leave share_percent empty or 100 and give the size in hjemmel_percent`,
	"hjemmel-fysio": `agreements.csv:5 (hjemmel_percent): empty, but a fysio agreement needs its hjemmel_percent (1 to 100); fill it in
agreements.csv:6 (hjemmel_percent): 0.5 is outside the allowed range (expected 1 to 100)
agreements.csv:7 (hjemmel_percent): 101 is outside the allowed range (expected 1 to 100)`,
	"hpr-digits":     `agreements.csv:2 (hpr): "HPR-1000001" is not an HPR number (expected digits only)`,
	"missing-column": `absences.csv:1 (to): required column to is missing from the header; add it`,
	"missing-file": `DIR: rates.csv (or rates.xlsx) is missing; every fixture folder needs one
DIR: list_counts.csv (or list_counts.xlsx) is missing; every fixture folder needs one`,
	"not-a-date": `absences.csv:2 (from): "2015-02-30" is not a date (expected YYYY-MM-DD)
absences.csv:3 (to): "02/04/2015" is not a date (expected YYYY-MM-DD)`,
	"not-a-period": `breaches.csv:2 (withhold_from): "2015-02-01" is not a month (expected YYYY-MM, e.g. 2015-02)
breaches.csv:3 (withhold_from): "feb-15" is not a period (expected YYYY-MM)`,
	"not-utf8":               `absences.csv:4: not valid UTF-8 text (perhaps Windows-1252 or Latin-1); save the file as "CSV UTF-8" in Excel and try again`,
	"orgnr-mod11":            `payees.csv:2 (orgnr): "910007867" is not a valid organisation number (9 digits with a correct MOD11 check digit); check it in Brønnøysundregistrene`,
	"parental-over-52-weeks": `absences.csv:2 (to): a parental absence of 365 days is longer than 52 weeks (364 days); split it into records of at most 52 weeks`,
	"percent-range": `breaches.csv:2 (percent): 0 is outside the allowed range (expected more than 0 and at most 20)
breaches.csv:3 (percent): 25 is outside the allowed range (expected more than 0 and at most 20)`,
	"scheme-enum":           `rates.csv:2 (scheme): "lege" is not a valid scheme; use one of fastlege or fysio`,
	"semicolon-bad-decimal": `list_counts.csv:2 (weighted_count): "1.250,5" is not a number (expected digits with one decimal comma or point and no thousands dots, e.g. 1234,50)`,
	"takeover-self":         `takeovers.csv:2 (payee_agreement_id): is the agreement taken over itself; name the agreement of the colleague who takes over`,
	"takeover-share": `takeovers.csv:2 (share_percent): 0 is outside the allowed range (expected more than 0 and at most 100)
takeovers.csv:3 (share_percent): 100.5 is outside the allowed range (expected more than 0 and at most 100)`,
	"tier-from-zero": `rates.csv:2 (tier_from): 0 is not a list position (expected 1 or more)
rates.csv:3 (annual_amount): -427 is negative (expected an amount 0 or more)`,
	"unclosed-quote": `payees.csv:3: a quoted value starts here but its closing quote (") is missing; add it`,
	"unknown-absence-refs": `absences.csv:2 (agreement_id): unknown agreement "A9": no row of the agreements file has this ID; fix the ID or add the agreement there
absences.csv:3 (vikar_payee_id): unknown payee "P9": no row of the payees file has this ID; fix the ID or add the payee there`,
	"unknown-breach-agreement":    `breaches.csv:2 (agreement_id): unknown agreement "A9": no row of the agreements file has this ID; fix the ID or add the agreement there`,
	"unknown-caregiver-agreement": `caregivers.csv:2 (agreement_id): unknown agreement "A9": no row of the agreements file has this ID; fix the ID or add the agreement there`,
	"unknown-column":              `absences.csv:1 (merknad): unknown column "merknad" in absences; the columns are absence_id, agreement_id, kind, from, to, cover, vikar_payee_id, recorded_on, cancelled (remove it or fix its name)`,
	"unknown-payee":               `agreements.csv:2 (payee_id): unknown payee "P9": no row of the payees file has this ID; fix the ID or add the payee there`,
	"unknown-policy":              `policy.json: policy: unknown field "colleague_days"; see the policy names in RULEBOOK.md`,
	"unknown-takeover-refs": `takeovers.csv:2 (agreement_id): unknown agreement "A9": no row of the agreements file has this ID; fix the ID or add the agreement there
takeovers.csv:2 (payee_agreement_id): unknown agreement "A8": no row of the agreements file has this ID; fix the ID or add the agreement there`,
	"unnamed-column":          `caregivers.csv:2: the value "ja" stands in a column without a name in the header; name the column or delete the value`,
	"valid-to-before-from":    `agreements.csv:2 (valid_to): 2009-12-31 is before valid_from 2010-01-01; valid_to must be on or after valid_from`,
	"vikar-payee-required":    `absences.csv:2 (vikar_payee_id): empty, but cover municipal_vikar needs the vikar's payee_id; fill it in`,
	"vikar-payee-wrong-cover": `absences.csv:2 (vikar_payee_id): is set but cover is own_vikar; use cover municipal_vikar to pay the vikar, or leave vikar_payee_id empty`,
	"weighted-negative":       `list_counts.csv:2 (weighted_count): -0.5 is negative (expected a number 0 or more)`,
	"withhold-before-notice":  `breaches.csv:2 (withhold_from): 2015-01 starts before the written notice on 2015-01-15; withholding may start at the earliest in 2015-02`,
}

func TestBrokenCatalogue(t *testing.T) {
	dirs, err := os.ReadDir("testdata/broken")
	require.NoError(t, err)
	var names []string
	for _, d := range dirs {
		names = append(names, d.Name())
	}
	var want []string
	for name := range brokenCases {
		want = append(want, name)
	}
	sort.Strings(want)
	require.Equal(t, want, names, "every broken folder has exactly one case")

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := overlayBroken(t, filepath.Join("testdata/broken", name))
			in, _, err := LoadFolder(dir)
			assert.Nil(t, in, "nothing may be returned (and so stored) from a broken folder")
			require.Error(t, err)
			assert.True(t, errors.Is(err, payout.ErrInvalidInput))
			var list payout.ErrorList
			require.True(t, errors.As(err, &list))
			assert.Equal(t, brokenCases[name], strings.ReplaceAll(err.Error(), dir, "DIR"))
		})
	}
}

// overlayBroken copies testdata/valid and applies one broken folder.
func overlayBroken(t *testing.T, broken string) string {
	t.Helper()
	files := map[string]string{}
	entries, err := os.ReadDir(broken)
	require.NoError(t, err)
	for _, e := range entries {
		data, err := os.ReadFile(filepath.Join(broken, e.Name()))
		require.NoError(t, err)
		if e.Name() == "REMOVE" {
			for _, name := range strings.Fields(string(data)) {
				files[name] = removed
			}
			continue
		}
		files[e.Name()] = string(data)
	}
	return overlay(t, files)
}
