package bundle

// ReleaseSig is the released folder's signed release statement (the store's
// statement and its ed25519 signature, payout/store Release.SignatureFile).
// The statement names the SHA-256 of manifest.json, so the file cannot be
// one of the manifest's outputs: it sits beside them, written (renamed)
// just before the manifest, so that a folder with a manifest is complete.
const ReleaseSig = "release.sig"

// WithSignature returns a copy of the rendered release folder with
// release.sig (data) inserted before manifest.json.
func (b *Bundle) WithSignature(data []byte) *Bundle {
	out := &Bundle{Manifest: b.Manifest}
	for _, f := range b.Files {
		if f.Name == ManifestJSON {
			out.Files = append(out.Files, Output{Name: ReleaseSig, Data: data})
		}
		if f.Name != ReleaseSig {
			out.Files = append(out.Files, f)
		}
	}
	return out
}
