package bundle

import (
	"bytes"
	"sort"

	"github.com/oslokommune/payout/exporters/excel"
	"github.com/oslokommune/payout/exporters/journal"
	"github.com/oslokommune/payout/exporters/manifest"
	"github.com/oslokommune/payout/payout"
	"github.com/shopspring/decimal"
)

// newManifest records the run: dates, engine, policy, the input digests
// (as the importers computed them), the digest of every output, the totals
// and the controls, the voucher's after the run's.
func newManifest(res *payout.Result, in *payout.Inputs, outs []described, rel *ReleaseFile, j *journal.Journal, runSHA256 string) *manifest.Manifest {
	m := &manifest.Manifest{
		Period:        res.Period.String(),
		AsOf:          res.AsOf.String(),
		PaymentDate:   res.PayDate.String(),
		EngineVersion: payout.EngineVersion,
		FormatVersion: excel.FormatVersion,
		RunSHA256:     runSHA256,
		Policy:        res.Policy,
		Inputs:        []manifest.File{},
		Outputs:       []manifest.File{},
		Totals:        totals(res),
		Controls:      []manifest.Control{},
		Warnings:      len(res.Warnings),
	}
	for e, d := range res.AsOfByPeriod {
		if m.AsOfByPeriod == nil {
			m.AsOfByPeriod = map[string]string{}
		}
		m.AsOfByPeriod[e.String()] = d.String()
	}
	for e, k := range res.KnowledgeByPeriod {
		if m.KnowledgeByPeriod == nil {
			m.KnowledgeByPeriod = map[string]int64{}
		}
		m.KnowledgeByPeriod[e.String()] = k
	}
	m.WhatIf = payout.WhatIf(res.Period, res.AsOf)
	if in != nil {
		for _, f := range in.Files {
			m.Inputs = append(m.Inputs, manifest.File{Name: f.Name, SHA256: f.SHA256, Rows: f.Rows})
		}
		sort.Slice(m.Inputs, func(i, j int) bool { return m.Inputs[i].Name < m.Inputs[j].Name })
	}
	for _, o := range outs {
		m.Outputs = append(m.Outputs, o.entry)
	}
	for _, c := range res.Controls {
		m.Controls = append(m.Controls, manifest.Control{ID: c.ID, OK: c.OK, Detail: c.Detail})
	}
	for _, c := range j.Controls {
		m.Controls = append(m.Controls, manifest.Control{ID: c.ID, OK: c.OK, Detail: c.Detail})
	}
	if rel != nil {
		r := rel.Record
		m.Release = &r
	}
	return m
}

// describe is an output's manifest entry: its digest and size, and a
// CSV's data rows.
func describe(o Output, j *journal.Journal) manifest.File {
	f := manifest.Digest(o.Name, o.Data)
	switch {
	case o.Name == JournalCSV:
		f.Rows = len(j.Postings) // its header row is optional
	case isCSV(o.Name):
		f.Rows = bytes.Count(o.Data, []byte("\n")) - 1 // data rows, without the header
	}
	return f
}

func isCSV(name string) bool { return len(name) > 4 && name[len(name)-4:] == ".csv" }

func totals(res *payout.Result) manifest.Totals {
	var withheld, released, adjustments, carriedOut decimal.Decimal
	agreements := make(map[string]bool, len(res.Payments)) // about one agreement a payee: made to size, not grown
	for _, l := range res.Lines {
		withheld, released = withheld.Add(l.Withheld), released.Add(l.Released)
		adjustments, carriedOut = adjustments.Add(l.Adjustments), carriedOut.Add(l.CarriedOut)
		agreements[l.AgreementID] = true
	}
	return manifest.Totals{
		Lines:       len(res.Lines),
		Payees:      len(res.Payments),
		Agreements:  len(agreements),
		Net:         res.Total.StringFixed(2),
		Withheld:    withheld.StringFixed(2),
		Released:    released.StringFixed(2),
		Adjustments: adjustments.StringFixed(2),
		CarriedOut:  carriedOut.StringFixed(2),
	}
}
