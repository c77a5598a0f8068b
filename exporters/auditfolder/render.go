package auditfolder

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"

	"github.com/shopspring/decimal"

	"github.com/oslokommune/payout/payout"
)

// The columns of FORMATS.md, each file ending with the version columns.
var versionHeader = []string{"recorded_on", "cancelled", "import"}

// table is one file being written.
type table struct {
	header []string
	rows   [][]string
}

func (t *table) add(v payout.Version, cells ...string) {
	rec := v.RecordedOn
	on := ""
	if rec > payout.Beginning {
		on = rec.String()
	}
	imp := ""
	if v.Import > 0 {
		imp = strconv.FormatInt(int64(v.Import), 10)
	}
	t.rows = append(t.rows, append(cells, on, boolCell(v.Cancelled), imp))
}

func (t *table) bytes() ([]byte, error) {
	var buf bytes.Buffer
	w := csv.NewWriter(&buf)
	if err := w.Write(append(append([]string{}, t.header...), versionHeader...)); err != nil {
		return nil, err
	}
	if err := w.WriteAll(t.rows); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func date(d payout.Date) string {
	if d == payout.NoDate || d == payout.Forever {
		return ""
	}
	return d.String()
}

func boolCell(b bool) string {
	if b {
		return "true"
	}
	return "false"
}

func intCell(n int) string {
	if n == 0 {
		return ""
	}
	return strconv.Itoa(n)
}

func decCell(d decimal.Decimal) string { return d.String() }

// render makes every file of the folder: one CSV per kind (the four
// required ones even when empty) and policy.json.
func render(in *payout.Inputs) (map[string][]byte, error) {
	tables := map[string]*table{
		"rates":       {header: []string{"scheme", "valid_from", "tier_from", "annual_amount", "source"}},
		"payees":      {header: []string{"payee_id", "name", "account", "orgnr"}},
		"agreements":  {header: []string{"agreement_id", "scheme", "name", "hpr", "bydel", "valid_from", "valid_to", "payee_id", "list_id", "share_percent", "hjemmel_percent", "list_ceiling", "birth_date", "extension_to", "practice_id", "payee_from"}},
		"list_counts": {header: []string{"list_id", "as_of", "count", "weighted_count"}},
	}
	for _, r := range in.Rates {
		tables["rates"].add(r.Version, string(r.Scheme), date(r.ValidFrom), strconv.Itoa(r.TierFrom), decCell(r.AnnualNOK), r.Source)
	}
	for _, r := range in.Payees {
		tables["payees"].add(r.Version, r.ID, r.Name, r.Account, r.OrgNr)
	}
	for _, r := range in.Agreements {
		hj := ""
		if r.Scheme == payout.SchemeFysio || !r.HjemmelPercent.IsZero() {
			hj = decCell(r.HjemmelPercent)
		}
		tables["agreements"].add(r.Version, r.ID, string(r.Scheme), r.Name, r.HPR, r.Bydel, date(r.ValidFrom), date(r.ValidTo),
			r.PayeeID, r.ListID, decCell(r.SharePercent), hj, intCell(r.ListCeiling), date(r.BirthDate), date(r.ExtensionTo), r.PracticeID, date(r.PayeeFrom))
	}
	for _, r := range in.ListCounts {
		w := ""
		if r.HasWeighted {
			w = decCell(r.Weighted)
		}
		tables["list_counts"].add(r.Version, r.ListID, date(r.AsOf), strconv.Itoa(r.Count), w)
	}
	optional(tables, in)
	out := map[string][]byte{}
	for kind, t := range tables {
		b, err := t.bytes()
		if err != nil {
			return nil, err
		}
		out[kind+".csv"] = b
	}
	pol, err := json.MarshalIndent(in.Policy, "", "  ")
	if err != nil {
		return nil, err
	}
	out["policy.json"] = append(pol, '\n')
	return out, nil
}

// optional adds the kinds a folder may leave out, when they have records.
func optional(tables map[string]*table, in *payout.Inputs) {
	get := func(kind string, header ...string) *table {
		if tables[kind] == nil {
			tables[kind] = &table{header: header}
		}
		return tables[kind]
	}
	for _, r := range in.Absences {
		get("absences", "absence_id", "agreement_id", "kind", "from", "to", "cover", "vikar_payee_id").
			add(r.Version, r.ID, r.AgreementID, r.Kind.String(), date(r.From), date(r.To), r.Cover.String(), r.VikarPayeeID)
	}
	for _, r := range in.Caregivers {
		get("caregivers", "agreement_id", "year", "children", "chronic_or_disabled", "sole_caregiver").
			add(r.Version, r.AgreementID, strconv.Itoa(r.Year), strconv.Itoa(r.Children), boolCell(r.ChronicOrDisabled), boolCell(r.SoleCaregiver))
	}
	for _, r := range in.Breaches {
		get("breaches", "breach_id", "agreement_id", "decision_ref", "notice_on", "withhold_from", "percent", "rectified_on").
			add(r.Version, r.ID, r.AgreementID, r.DecisionRef, date(r.NoticeOn), r.WithholdFrom.String(), decCell(r.Percent), date(r.RectifiedOn))
	}
	for _, r := range in.Takeovers {
		get("takeovers", "takeover_id", "agreement_id", "from", "to", "payee_agreement_id", "share_percent").
			add(r.Version, r.ID, r.AgreementID, date(r.From), date(r.To), r.PayeeAgreementID, decCell(r.SharePercent))
	}
}
