package store

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"strconv"
	"strings"
	"time"
)

// StatementVersion heads a release statement; Release.Version 2.
const StatementVersion = "payout-release-statement/2"

// Statement is the text a release signs and its chain hash covers: what was
// released (period, run digest, total, number of payments, message id, the
// manifest's SHA-256 and the folder), by whom and when (the three accounts,
// the real and the pinned time), the head of the audit log's hash chain
// just before the release, the previous release's chain hash and the key.
// One field per line, "name value", values quoted with strconv.Quote.
//
// The chain: ChainSHA256 is the SHA-256 of this text, and the next
// release's statement names it, so rewriting any release (or the audit log
// before it) means signing every later statement again, which needs the
// key. An auditor checks one statement with openssl alone (README).
func (r *Release) Statement() []byte {
	b := newStatement(StatementVersion)
	b.field("period", r.Period.String())
	b.field("run_sha256", r.RunSHA256)
	b.field("total", r.Total)
	b.field("payments", strconv.Itoa(r.Payments))
	b.field("msg_id", r.MsgID)
	b.released(r.ReleasedAt, r.PinnedAt, r.ReleasedBy, r.AttestedBy, r.ApprovedBy, r.OutDir)
	b.field("manifest_sha256", r.ManifestSHA256)
	b.field("previous_manifest_sha256", r.PreviousSHA256)
	b.chained(r.PreviousChain, r.EventsSHA256, r.KeyID)
	return b.bytes()
}

// statement writes a signed statement: its version line, then one line per
// field, the name and its values quoted as Go quotes them.
type statement struct{ b strings.Builder }

func newStatement(version string) *statement {
	s := &statement{}
	s.b.WriteString(version + "\n")
	return s
}

func (s *statement) field(name string, values ...string) {
	s.b.WriteString(name)
	for _, v := range values {
		s.b.WriteString(" " + strconv.Quote(v))
	}
	s.b.WriteByte('\n')
}

func (s *statement) actor(name string, a Actor) { s.field(name, a.Name, strconv.FormatInt(a.UID, 10)) }

// released writes the fields every release statement has, in their order:
// when (the real and the pinned time), by whom (the three accounts) and
// where (the folder).
func (s *statement) released(at, pinned time.Time, releasedBy, attestedBy, approvedBy Actor, outDir string) {
	s.field("released_at", stamp(at))
	s.field("pinned_at", stampOrEmpty(pinned))
	s.actor("released_by", releasedBy)
	s.actor("attested_by", attestedBy)
	s.actor("approved_by", approvedBy)
	s.field("out_dir", outDir)
}

// chained writes the last fields every release statement has: the chain
// hash before it, the audit log's head and the key.
func (s *statement) chained(previousChain, events, keyID string) {
	s.field("previous_chain_sha256", previousChain)
	s.field("events_sha256", events)
	s.field("key_id", keyID)
}

func (s *statement) bytes() []byte { return []byte(s.b.String()) }

// SignatureFile is the text of the folder's release.sig: the statement and
// a last line "signature ed25519 BASE64" ("signature none" when unsigned).
func (r *Release) SignatureFile() []byte { return signatureFile(r.Statement(), r.Signature) }

// signatureFile is a statement and its signature line.
func signatureFile(statement []byte, signature string) []byte {
	sig := "signature none\n"
	if signature != "" {
		sig = "signature ed25519 " + signature + "\n"
	}
	return append(statement, sig...)
}

// ParseSignatureFile splits a release.sig into its statement and signature
// ("" when unsigned).
func ParseSignatureFile(data []byte) (statement []byte, signature string, err error) {
	text := string(data)
	if !strings.HasPrefix(text, StatementVersion+"\n") || !strings.HasSuffix(text, "\n") {
		return nil, "", fmt.Errorf("not a %s file", StatementVersion)
	}
	body := strings.TrimSuffix(text, "\n")
	cut := strings.LastIndexByte(body, '\n')
	last := body[cut+1:]
	switch {
	case last == "signature none":
		return []byte(body[:cut+1]), "", nil
	case strings.HasPrefix(last, "signature ed25519 "):
		return []byte(body[:cut+1]), strings.TrimPrefix(last, "signature ed25519 "), nil
	}
	return nil, "", fmt.Errorf("the last line is not a signature")
}

// StatementField returns one field's first value from a statement ("" when
// absent): what the folder check compares with the folder.
func StatementField(statement []byte, name string) string {
	for _, line := range strings.Split(string(statement), "\n") {
		if rest, ok := strings.CutPrefix(line, name+" "); ok {
			if v, err := strconv.QuotedPrefix(rest); err == nil {
				s, _ := strconv.Unquote(v)
				return s
			}
		}
	}
	return ""
}

func stampOrEmpty(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return stamp(t)
}

func statementHash(statement []byte) string {
	sum := sha256.Sum256(statement)
	return hex.EncodeToString(sum[:])
}
