// Package manifest is the audit record of one period's outputs
// (FORMATS.md manifest.json): the period, as-of and payment dates, the engine
// version, the policy in force, SHA-256 of every input and output file, the
// totals and control results, and, once released, the release record.
//
// The manifest is written last, so its presence means every file it names is
// complete. Its bytes are deterministic: fields in a fixed order, files
// sorted by name, no wall-clock time except the release record's, which is
// an event the store recorded.
package manifest

import (
	"bytes"
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"

	"github.com/oslokommune/payout/payout"
)

// File is one input or output file and its digest.
type File struct {
	Name   string `json:"name"`
	SHA256 string `json:"sha256"`
	Bytes  int64  `json:"bytes,omitempty"`
	Rows   int    `json:"rows,omitempty"`
}

// Totals are the run's sums (amounts as decimal strings with two decimals).
type Totals struct {
	Lines       int    `json:"lines"`
	Payees      int    `json:"payees"`
	Agreements  int    `json:"agreements"`
	Net         string `json:"net"`
	Withheld    string `json:"withheld"`
	Released    string `json:"released"`
	Adjustments string `json:"adjustments"`
	CarriedOut  string `json:"carried_out"`
}

// Control is one control result.
type Control struct {
	ID     string `json:"id"`
	OK     bool   `json:"ok"`
	Detail string `json:"detail"`
}

// Release is the record of the release of payments.xml; the store keeps the
// same facts, and verify re-renders payments.xml from them.
//
// The release's signed statement (release.sig beside the manifest) names
// this manifest's SHA-256; the manifest carries the chain head the release
// extends: the previous release's manifest and chain hash and the audit
// log's head.
type Release struct {
	ReleasedAt     string `json:"released_at"` // RFC 3339, UTC, the real time of the release
	PinnedAt       string `json:"pinned_at,omitempty"`
	ReleasedBy     string `json:"released_by"` // accounts, "name (uid N)"
	AttestedBy     string `json:"attested_by"`
	ApprovedBy     string `json:"approved_by"`
	MsgID          string `json:"msg_id"`
	PreviousSHA256 string `json:"previous_release_sha256"` // hash chain; "" for the first
	PreviousChain  string `json:"previous_chain_sha256,omitempty"`
	EventsSHA256   string `json:"events_sha256,omitempty"`
	KeyID          string `json:"key_id,omitempty"` // the key that signs release.sig; "" unsigned
}

// Manifest is manifest.json.
type Manifest struct {
	Period string `json:"period"`
	AsOf   string `json:"as_of"`
	// AsOfByPeriod are the as-of dates of earlier released runs the run
	// used instead of pay(E) (RULEBOOK §6), "YYYY-MM" → "YYYY-MM-DD";
	// encoding/json writes map keys sorted.
	AsOfByPeriod map[string]string `json:"as_of_by_period,omitempty"`
	// KnowledgeByPeriod are the knowledge limits of the views the run
	// reconstructed from the store (the highest import sequence the run of
	// each period read: the released runs before it, and its own),
	// "YYYY-MM" → sequence; absent for a fixture folder's run.
	KnowledgeByPeriod map[string]int64 `json:"knowledge_by_period,omitempty"`
	// WhatIf says why the run could not be released: its as-of date lies
	// outside [1st of P, pay(P)] (a what-if from a fixture folder).
	WhatIf        string `json:"what_if,omitempty"`
	PaymentDate   string `json:"payment_date"`
	EngineVersion string `json:"engine_version"`
	// FormatVersion is the version of the outputs' layout (the workbooks'
	// bytes, excel.FormatVersion) that wrote the folder; absent (0) is
	// version 1, before the field existed.
	FormatVersion int `json:"format_version,omitempty"`
	// RunSHA256 is payout.RunDigest of the run the folder shows: what
	// attest and approve name, so the reviewer can see it is the run they
	// sign for.
	RunSHA256 string          `json:"run_sha256"`
	Policy    payout.Policy   `json:"policy"`
	Inputs    []File          `json:"inputs"`
	Outputs   []File          `json:"outputs"`
	Totals    Totals          `json:"totals"`
	Controls  []Control       `json:"controls"`
	Warnings  int             `json:"warnings"`
	Release   *Release        `json:"release,omitempty"`
	Extra     json.RawMessage `json:"-"`
}

// Marshal returns the manifest as indented JSON with a final newline.
func (m *Manifest) Marshal() ([]byte, error) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// Unmarshal parses manifest.json.
func Unmarshal(data []byte) (*Manifest, error) {
	var m Manifest
	if err := json.Unmarshal(data, &m); err != nil {
		return nil, err
	}
	return &m, nil
}

// Digest describes a file by its name, SHA-256 (hex) and size.
func Digest(name string, data []byte) File {
	sum := sha256.Sum256(data)
	return File{Name: name, SHA256: hex.EncodeToString(sum[:]), Bytes: int64(len(data))}
}

// Format is the manifest's format version: FormatVersion, 1 when absent.
func (m *Manifest) Format() int { return max(m.FormatVersion, 1) }

// Output returns the named output entry, or nil.
func (m *Manifest) Output(name string) *File {
	for i := range m.Outputs {
		if m.Outputs[i].Name == name {
			return &m.Outputs[i]
		}
	}
	return nil
}
