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

// brokenWant is one problem a broken folder must raise: where (file, line,
// column as LoadFolder reports them) and its kind (a payout.Err… sentinel,
// matched with errors.Is).
type brokenWant struct {
	file   string
	line   int
	column string
	kind   error
}

// brokenCases is the catalogue of broken files: each folder of
// testdata/broken holds the files that replace those of testdata/valid
// (a file REMOVE lists files to delete), and breaks exactly one rule. The
// problems are listed in the order LoadFolder reports them; DIR stands for
// the folder.
var brokenCases = map[string][]brokenWant{
	"account-mod11":                      {{"payees.csv", 2, "account", payout.ErrCheckDigit}, {"payees.csv", 3, "account", payout.ErrCheckDigit}},
	"agreement-share":                    {{"agreements.csv", 3, "share_percent", payout.ErrOutOfRange}, {"agreements.csv", 4, "share_percent", payout.ErrOutOfRange}},
	"as-of-not-first":                    {{"list_counts.csv", 2, "as_of", payout.ErrInconsistent}},
	"bare-quote":                         {{"payees.csv", 2, "", payout.ErrQuote}},
	"boolean":                            {{"absences.csv", 2, "cancelled", payout.ErrNotABool}},
	"bydel-code":                         {{"agreements.csv", 2, "bydel", payout.ErrNotAllowed}, {"agreements.csv", 4, "bydel", payout.ErrNotAllowed}},
	"caregiver-year":                     {{"caregivers.csv", 2, "year", payout.ErrOutOfRange}},
	"count-not-whole":                    {{"list_counts.csv", 2, "count", payout.ErrNotANumber}, {"list_counts.csv", 3, "count", payout.ErrNotANumber}, {"list_counts.csv", 4, "count", payout.ErrNotANumber}},
	"decimal-comma-with-comma-delimiter": {{"list_counts.csv", 2, "weighted_count", payout.ErrNotANumber}},
	"duplicate-version":                  {{"list_counts.csv", 4, "", payout.ErrDuplicateVersion}},
	"duplicate-version-recorded":         {{"absences.csv", 3, "", payout.ErrDuplicateVersion}},
	"duplicated-column":                  {{"absences.csv", 1, "Kind", payout.ErrHeader}},
	"empty-file":                         {{"caregivers.csv", 0, "", payout.ErrEmptyFile}},
	"empty-required-cell":                {{"absences.csv", 2, "to", payout.ErrRequired}},
	"enumerations":                       {{"absences.csv", 2, "cover", payout.ErrNotAllowed}, {"absences.csv", 2, "kind", payout.ErrNotAllowed}},
	"extension-past-75":                  {{"agreements.csv", 3, "extension_to", payout.ErrInconsistent}},
	"fastlege-list-and-birth":            {{"agreements.csv", 2, "birth_date", payout.ErrRequired}, {"agreements.csv", 2, "list_id", payout.ErrRequired}},
	"field-count":                        {{"absences.csv", 2, "", payout.ErrFieldCount}},
	"from-after-to":                      {{"absences.csv", 2, "to", payout.ErrInconsistent}},
	"fysio-share":                        {{"agreements.csv", 5, "share_percent", payout.ErrInconsistent}},
	"hjemmel-fysio":                      {{"agreements.csv", 5, "hjemmel_percent", payout.ErrRequired}, {"agreements.csv", 6, "hjemmel_percent", payout.ErrOutOfRange}, {"agreements.csv", 7, "hjemmel_percent", payout.ErrOutOfRange}},
	"hpr-digits":                         {{"agreements.csv", 2, "hpr", payout.ErrFormat}},
	"missing-column":                     {{"absences.csv", 1, "to", payout.ErrHeader}},
	"missing-file":                       {{"DIR", 0, "", payout.ErrMissingFile}, {"DIR", 0, "", payout.ErrMissingFile}},
	"not-a-date":                         {{"absences.csv", 2, "from", payout.ErrNotADate}, {"absences.csv", 3, "to", payout.ErrNotADate}},
	"not-a-period":                       {{"breaches.csv", 2, "withhold_from", payout.ErrNotAPeriod}, {"breaches.csv", 3, "withhold_from", payout.ErrNotAPeriod}},
	"not-utf8":                           {{"absences.csv", 4, "", payout.ErrEncoding}},
	"orgnr-mod11":                        {{"payees.csv", 2, "orgnr", payout.ErrCheckDigit}},
	"parental-over-52-weeks":             {{"absences.csv", 2, "to", payout.ErrInconsistent}},
	"percent-range":                      {{"breaches.csv", 2, "percent", payout.ErrOutOfRange}, {"breaches.csv", 3, "percent", payout.ErrOutOfRange}},
	"scheme-enum":                        {{"rates.csv", 2, "scheme", payout.ErrNotAllowed}},
	"semicolon-bad-decimal":              {{"list_counts.csv", 2, "weighted_count", payout.ErrNotANumber}},
	"takeover-self":                      {{"takeovers.csv", 2, "payee_agreement_id", payout.ErrInconsistent}},
	"takeover-share":                     {{"takeovers.csv", 2, "share_percent", payout.ErrOutOfRange}, {"takeovers.csv", 3, "share_percent", payout.ErrOutOfRange}},
	"tier-from-zero":                     {{"rates.csv", 2, "tier_from", payout.ErrOutOfRange}, {"rates.csv", 3, "annual_amount", payout.ErrOutOfRange}},
	"unclosed-quote":                     {{"payees.csv", 3, "", payout.ErrQuote}},
	"unknown-absence-refs":               {{"absences.csv", 2, "agreement_id", payout.ErrUnknownRef}, {"absences.csv", 3, "vikar_payee_id", payout.ErrUnknownRef}},
	"unknown-breach-agreement":           {{"breaches.csv", 2, "agreement_id", payout.ErrUnknownRef}},
	"unknown-caregiver-agreement":        {{"caregivers.csv", 2, "agreement_id", payout.ErrUnknownRef}},
	"unknown-column":                     {{"absences.csv", 1, "merknad", payout.ErrHeader}},
	"unknown-payee":                      {{"agreements.csv", 2, "payee_id", payout.ErrUnknownRef}},
	"unknown-policy":                     {{"policy.json", 1, "colleague_days", payout.ErrPolicy}},
	"duplicate-policy":                   {{"policy.json", 3, "retro_window_months", payout.ErrPolicy}},
	"trailing-policy":                    {{"policy.json", 3, "", payout.ErrPolicy}},
	"replaced-policy":                    {{"policy.json", 0, "", payout.ErrPolicy}},
	"unknown-takeover-refs":              {{"takeovers.csv", 2, "agreement_id", payout.ErrUnknownRef}, {"takeovers.csv", 2, "payee_agreement_id", payout.ErrUnknownRef}},
	"unnamed-column":                     {{"caregivers.csv", 2, "", payout.ErrFieldCount}},
	"valid-to-before-from":               {{"agreements.csv", 2, "valid_to", payout.ErrInconsistent}},
	"vikar-payee-required":               {{"absences.csv", 2, "vikar_payee_id", payout.ErrRequired}},
	"vikar-payee-wrong-cover":            {{"absences.csv", 2, "vikar_payee_id", payout.ErrInconsistent}},
	"weighted-negative":                  {{"list_counts.csv", 2, "weighted_count", payout.ErrOutOfRange}},
	"withhold-before-notice":             {{"breaches.csv", 2, "withhold_from", payout.ErrInconsistent}},
}

// brokenSentences pins the exact text for a few cases of each sort (a cell,
// a line, a file, a reference, a version): the sentences are for people and
// the rest of the catalogue asserts only where and what.
var brokenSentences = map[string]string{
	"account-mod11": `payees.csv:2 (account): "1503.01.00008" is not a valid Norwegian account number (11 digits with a correct MOD11 check digit); check it against the payee's bank details
payees.csv:3 (account): "1503020000" is not a valid Norwegian account number (11 digits with a correct MOD11 check digit); check it against the payee's bank details`,
	"bare-quote":        `payees.csv:2: a quote (") inside a value that does not start with a quote; put the whole value in quotes and double the inner quote ("")`,
	"duplicate-version": `list_counts.csv:4: duplicate version: list_id L1, as_of 2015-03-01 with recorded_on (empty) is already at line 2; give the newer version a later recorded_on, or delete one`,
	"field-count":       `absences.csv:2: has 6 values but the header has 7 columns; check for a missing or extra delimiter, and put values that contain one in quotes`,
	"missing-file": `DIR: rates.csv (or rates.xlsx) is missing; every fixture folder needs one
DIR: list_counts.csv (or list_counts.xlsx) is missing; every fixture folder needs one`,
	"not-a-date": `absences.csv:2 (from): "2015-02-30" is not a date (expected YYYY-MM-DD)
absences.csv:3 (to): "02/04/2015" is not a date (expected YYYY-MM-DD)`,
	"not-utf8":         `absences.csv:4: not valid UTF-8 text (perhaps Windows-1252 or Latin-1); save the file as "CSV UTF-8" in Excel and try again`,
	"unknown-column":   `absences.csv:1 (merknad): unknown column "merknad" in absences; the columns are absence_id, agreement_id, kind, from, to, cover, vikar_payee_id, recorded_on, cancelled, import (remove it or fix its name)`,
	"unknown-payee":    `agreements.csv:2 (payee_id): unknown payee "P9": no row of the payees file has this ID; fix the ID or add the payee there`,
	"duplicate-policy": `policy.json:3 (retro_window_months): column 3: the name is given twice; give each parameter once; see the policy names in RULEBOOK.md`,
	"trailing-policy":  `policy.json:3: column 2: more text after the end of the JSON object; the file is one object; see the policy names in RULEBOOK.md`,
	"replaced-policy":  `policy.json: policy: payee_changes was replaced: payee changes now take effect on a date: set payee_from in agreements.csv (RULEBOOK §6, FORMATS.md); remove payee_changes from policy.json; see the policy names in RULEBOOK.md`,
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
	for name := range brokenSentences {
		require.Contains(t, brokenCases, name)
	}

	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			dir := overlayBroken(t, filepath.Join("testdata/broken", name))
			in, _, err := LoadFolder(dir)
			assert.Nil(t, in, "nothing may be returned (and so stored) from a broken folder")
			require.Error(t, err)
			assert.True(t, errors.Is(err, payout.ErrInvalidInput))
			var list payout.ErrorList
			require.True(t, errors.As(err, &list))
			want := brokenCases[name]
			require.Len(t, list, len(want), "%s", err)
			for i, e := range list {
				w := want[i]
				assert.Equal(t, brokenWant{w.file, w.line, w.column, nil},
					brokenWant{strings.ReplaceAll(e.File, dir, "DIR"), e.Line, e.Column, nil}, "%s", e)
				assert.ErrorIs(t, e, w.kind, "%s", e)
				assert.ErrorIs(t, e, payout.ErrInvalidInput)
			}
			if sentence, ok := brokenSentences[name]; ok {
				assert.Equal(t, sentence, strings.ReplaceAll(err.Error(), dir, "DIR"))
			}
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
