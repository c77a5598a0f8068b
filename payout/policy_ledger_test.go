package payout_test

import (
	"strings"
	"testing"

	"github.com/oslokommune/payout/payout"
)

// The ledger block of policy.json (issue 14): the defaults are valid, a
// partial block overrides only what it names, and a missing, unknown or
// malformed account, code or layout is refused with its name.
func TestParsePolicyLedger(t *testing.T) {
	tests := []struct {
		name    string
		json    string
		wantErr string // "" = valid
		check   func(t *testing.T, l payout.Ledger)
	}{
		{name: "defaults", json: `{}`, check: func(t *testing.T, l payout.Ledger) {
			if l.Kapittel != "317" || l.Fastlege.Accounts.Base == "" || l.Ansvar["05"] == "" || l.Ansvar["HEL"] == "" {
				t.Errorf("defaults: %+v", l)
			}
		}},
		{name: "one account overridden, the others kept",
			json: `{"ledger":{"fysio":{"accounts":{"base":"14700"}}, "ansvar":{"05":"3105"}}}`,
			check: func(t *testing.T, l payout.Ledger) {
				def := payout.DefaultLedger()
				if l.Fysio.Accounts.Base != "14700" || l.Fysio.Accounts.Withheld != def.Fysio.Accounts.Withheld ||
					l.Ansvar["05"] != "3105" || l.Ansvar["01"] != "01" {
					t.Errorf("override: %+v", l)
				}
			}},
		{name: "layout replaced", json: `{"ledger":{"layout":{"columns":[{"name":"ACCOUNT","field":"account"},{"name":"AMOUNT","field":"amount"},{"name":"INTERFACE","value":"BI"}],"separator":"\t","decimal_comma":false,"header":false,"date_format":"YYYYMMDD"}}}`,
			check: func(t *testing.T, l payout.Ledger) {
				if len(l.Layout.Columns) != 3 || l.Layout.Separator != "\t" || l.Layout.Header {
					t.Errorf("layout: %+v", l.Layout)
				}
			}},
		{name: "missing account", json: `{"ledger":{"fastlege":{"accounts":{"withheld":""}}}}`,
			wantErr: "ledger.fastlege.accounts.withheld is missing"},
		{name: "unknown posting kind", json: `{"ledger":{"fastlege":{"accounts":{"rent":"1234"}}}}`,
			wantErr: `ledger.fastlege.accounts.rent: unknown parameter "rent"`},
		{name: "account with a separator", json: `{"ledger":{"bank":{"account":"2100;1"}}}`,
			wantErr: `ledger.bank.account "2100;1" may hold only`},
		{name: "account beginning with a minus", json: `{"ledger":{"fastlege":{"accounts":{"base":"-1370"}}}}`,
			wantErr: `ledger.fastlege.accounts.base "-1370" may hold only`},
		{name: "unknown column key", json: `{"ledger":{"layout":{"columns":[{"name":"X","field":"account","width":3}]}}}`,
			wantErr: `ledger.layout.columns.width: unknown parameter "width"`},
		{name: "empty ansvar", json: `{"ledger":{"ansvar":{"07":""}}}`, wantErr: "ledger.ansvar.07 is missing"},
		{name: "missing kapittel", json: `{"ledger":{"kapittel":""}}`, wantErr: "ledger.kapittel is missing"},
		{name: "missing function", json: `{"ledger":{"fysio":{"function":""}}}`, wantErr: "ledger.fysio.function is missing"},
		{name: "bad separator", json: `{"ledger":{"layout":{"separator":"|"}}}`, wantErr: `ledger.layout.separator "|"`},
		{name: "decimal comma with comma", json: `{"ledger":{"layout":{"separator":","}}}`,
			wantErr: "decimal_comma needs a separator other than"},
		{name: "bad date format", json: `{"ledger":{"layout":{"date_format":"MM/DD/YYYY"}}}`,
			wantErr: `ledger.layout.date_format "MM/DD/YYYY"`},
		{name: "unknown column field", json: `{"ledger":{"layout":{"columns":[{"name":"X","field":"colour"}]}}}`,
			wantErr: `unknown field "colour"`},
		{name: "duplicate column name", json: `{"ledger":{"layout":{"columns":[{"name":"X","field":"account"},{"name":"X","field":"amount"}]}}}`,
			wantErr: `the name "X" is used twice`},
		{name: "no columns", json: `{"ledger":{"layout":{"columns":[]}}}`, wantErr: "ledger.layout.columns is empty"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			p, err := payout.ParsePolicy([]byte(tt.json))
			if tt.wantErr != "" {
				if err == nil || !strings.Contains(err.Error(), tt.wantErr) {
					t.Fatalf("error %v, want one containing %q", err, tt.wantErr)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			tt.check(t, p.Ledger)
		})
	}
}

// DefaultLedger returns a fresh map each time, so a policy.json that
// overrides an ansvar never changes another run's defaults.
func TestDefaultLedgerIsFresh(t *testing.T) {
	if _, err := payout.ParsePolicy([]byte(`{"ledger":{"ansvar":{"01":"9999"}}}`)); err != nil {
		t.Fatal(err)
	}
	if got := payout.DefaultLedger().Ansvar["01"]; got != "01" {
		t.Errorf("default ansvar of 01 is %q after a parse", got)
	}
}
