package payout

import "github.com/shopspring/decimal"

// Scheme is the grant scheme of an agreement and of a rate table.
type Scheme string

// The schemes of RULEBOOK §1 and §7.
const (
	SchemeFastlege Scheme = "fastlege"
	SchemeFysio    Scheme = "fysio"
)

// Version is what every input record carries (FORMATS.md "Records are
// versions"): when it became known, and whether it removes the record.
type Version struct {
	// RecordedOn is when the version became known; Beginning when empty.
	RecordedOn Date
	Cancelled  bool
	Src        Source
	// Import is the store's import sequence of the file the version came
	// from: the transaction time at which payout learnt it (DESIGN.md
	// "When"). 0 for a fixture folder's own records, which are known by
	// recorded_on alone; an exported folder carries it in column import.
	// 32 bits (two thousand million imports) make Version 24 bytes, not
	// 32, in each of the millions of versions of a national set.
	Import int32
	// seenOn is set only inside Compute and Explain, for a version the store
	// imported after a release that did not know it: the first as-of date at
	// which the run sees it (knownInputs). Versions stay ordered by
	// RecordedOn, the source's own date; seenOn only gates visibility.
	seenOn Date
}

// Rate is one tier of a rate table (key: scheme, valid_from, tier_from).
type Rate struct {
	Scheme    Scheme
	ValidFrom Date
	TierFrom  int // list position where this rate starts; 1 for the first tier
	// AnnualNOK is per listed inhabitant per year (fastlege), or per 100 %
	// agreement per year (fysio).
	AnnualNOK decimal.Decimal
	Source    string // the legal source, e.g. "Statsavtalen 2022 §2.1"
	Version
}

// Payee receives money (key: payee_id).
type Payee struct {
	ID      string
	Name    string
	Account string // 11 digits, normalised (no spaces or dots)
	OrgNr   string // 9 digits when a company, else ""
	Address Address
	Version
}

// Address is a payee's optional structured postal address (payees.csv
// street, postcode, town, country; issue 13). The zero value is no address;
// a set address has at least Town and Country.
type Address struct {
	Street   string `json:",omitempty"`
	PostCode string `json:",omitempty"`
	Town     string `json:",omitempty"`
	Country  string `json:",omitempty"` // ISO 3166 alpha-2, upper case
}

// IsZero reports whether no address is given.
func (a Address) IsZero() bool { return a == Address{} }

// Field limits of the structured address (pain.001 PostalAddress6: StrtNm
// Max70Text, PstCd Max16Text, TwnNm Max35Text).
const (
	MaxStreetLen   = 70
	MaxPostCodeLen = 16
	MaxTownLen     = 35
)

// Agreement is one individual agreement (key: agreement_id).
type Agreement struct {
	ID             string
	Scheme         Scheme
	Name           string
	HPR            string
	Bydel          string
	ValidFrom      Date
	ValidTo        Date // Forever when open ended
	PayeeID        string
	ListID         string          // fastlege only
	SharePercent   decimal.Decimal // 100 unless a shared list (§10.7)
	HjemmelPercent decimal.Decimal // fysio only, 1–100
	ListCeiling    int             // 0 when not given
	BirthDate      Date            // fastlege: required; NoDate otherwise
	ExtensionTo    Date            // NoDate when none (§16)
	PracticeID     string
	// PayeeFrom is the day a changed PayeeID takes effect (RULEBOOK §6);
	// NoDate: the version's recorded_on (see agrInputs.payeeSpans).
	PayeeFrom Date
	Version
}

// ListCount is the number of inhabitants on a list on a 1st (key: list_id,
// as_of).
type ListCount struct {
	ListID string
	AsOf   Date
	// HasWeighted tells an explicit 0 of Weighted, Helfo's patient-adjusted
	// count (from 2023), from an empty cell. It sits beside AsOf, in the
	// room the alignment of Count leaves: a national set has 3 M counts.
	HasWeighted bool
	Count       int
	Weighted    decimal.Decimal
	Version
}

// AbsenceKind is the kind of an absence record (RULEBOOK §3). The kinds
// and covers are bytes, not strings (16 bytes each, in every one of the
// million absences of a national set; enums.go): numbered in the order of
// their names, so they sort as the names did, and read and written as
// their names (String, MarshalText). The zero value is no kind ("").
type AbsenceKind uint8

// The absence kinds.
const (
	KindChildSickness AbsenceKind = iota + 1
	KindEducation
	KindMilitaryService
	KindParental
	KindSickness
	KindUnionPublic
)

// Cover is who covers an absence (RULEBOOK §3); a byte, as AbsenceKind.
type Cover uint8

// The covers.
const (
	CoverColleagues Cover = iota + 1
	CoverMunicipalVikar
	CoverNone
	CoverOwnVikar
)

// Absence is one absence record (key: absence_id).
type Absence struct {
	ID           string
	AgreementID  string
	Kind         AbsenceKind
	From, To     Date // inclusive
	Cover        Cover
	VikarPayeeID string // required for municipal_vikar
	Version
}

// Caregiver holds the facts behind the child-sickness quota (key:
// agreement_id, year).
type Caregiver struct {
	AgreementID       string
	Year              int
	Children          int
	ChronicOrDisabled bool
	SoleCaregiver     bool
	Version
}

// Breach is a written decision to withhold (key: breach_id), §15.1.
type Breach struct {
	ID           string
	AgreementID  string
	DecisionRef  string
	NoticeOn     Date
	WithholdFrom Period
	Percent      decimal.Decimal // 0 < p ≤ 20
	RectifiedOn  Date            // NoDate until rectified
	Version
}

// Takeover redirects an agreement's days to a group-practice colleague (key:
// takeover_id), §7.7.
type Takeover struct {
	ID               string
	AgreementID      string
	From, To         Date
	PayeeAgreementID string
	SharePercent     decimal.Decimal
	Version
}

// InputFile describes one file an input set was read from; its digest goes
// FileKind is the kind of an input file: one of the eight kinds of record
// (the file's name without extension) or the policy.
type FileKind string

const (
	FileRates      FileKind = "rates"
	FilePayees     FileKind = "payees"
	FileAgreements FileKind = "agreements"
	FileListCounts FileKind = "list_counts"
	FileAbsences   FileKind = "absences"
	FileCaregivers FileKind = "caregivers"
	FileBreaches   FileKind = "breaches"
	FileTakeovers  FileKind = "takeovers"
	FilePolicy     FileKind = "policy"
)

// into the manifest.
type InputFile struct {
	Name   string // base name, e.g. "list_counts.csv"
	Kind   FileKind
	SHA256 string // hex
	Rows   int
}

// Inputs is everything a run may see: every version of every record.
// Order within a slice does not matter to the engine.
type Inputs struct {
	Policy     Policy
	Rates      []Rate
	Payees     []Payee
	Agreements []Agreement
	ListCounts []ListCount
	Absences   []Absence
	Caregivers []Caregiver
	Breaches   []Breach
	Takeovers  []Takeover
	Files      []InputFile
}

// Append adds the records of o to in (for imports of several folders or
// files). The policy of o replaces in's when o has one from a file.
func (in *Inputs) Append(o *Inputs) {
	for _, k := range RecordKinds {
		k.AppendAll(in, o)
	}
	for _, f := range o.Files {
		if f.Kind == FilePolicy {
			in.Policy = o.Policy
		}
	}
	in.Files = append(in.Files, o.Files...)
}
