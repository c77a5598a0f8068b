package main

import (
	"flag"
	"path/filepath"
	"strings"

	"github.com/oslokommune/payout/payout/releasekey"
)

// The release key: the private key signs releases (--key FILE or
// PAYOUT_RELEASE_KEY), the public keys check them (--pub FILE, repeatable,
// or PAYOUT_RELEASE_PUB, a list separated by colons, and the public half of
// PAYOUT_RELEASE_KEY when it is set). After a rotation the old public key
// stays on the list, so the releases it signed are still checked.

// releaseKey loads the signing key, or nil when none is given.
func (e *Env) releaseKey(flagPath string) (*releasekey.Private, error) {
	path := flagPath
	if path == "" {
		path = e.getenv("PAYOUT_RELEASE_KEY")
	}
	if path == "" {
		return nil, nil
	}
	return releasekey.LoadPrivate(path)
}

// trustedKeys is the ring of public keys signatures are checked against.
func (e *Env) trustedKeys(pubs []string) (releasekey.Ring, error) {
	var ring releasekey.Ring
	paths := append([]string{}, pubs...)
	if list := e.getenv("PAYOUT_RELEASE_PUB"); list != "" {
		paths = append(paths, filepath.SplitList(list)...)
	}
	for _, p := range paths {
		k, err := releasekey.LoadPublic(p)
		if err != nil {
			return nil, err
		}
		ring = append(ring, k)
	}
	if path := e.getenv("PAYOUT_RELEASE_KEY"); path != "" {
		k, err := releasekey.LoadPrivate(path)
		if err != nil {
			return nil, err
		}
		ring = append(ring, k.Public())
	}
	return ring, nil
}

// listFlag is a repeatable string flag.
type listFlag []string

func (l *listFlag) String() string     { return strings.Join(*l, ",") }
func (l *listFlag) Set(s string) error { *l = append(*l, s); return nil }

func pubFlag(fs *flag.FlagSet, l *listFlag) {
	fs.Var(l, "pub", "a trusted public release key (release.pub); repeat for the keys of earlier years (default: PAYOUT_RELEASE_PUB, a colon-separated list)")
}

func describeRing(env *Env, ring releasekey.Ring) string {
	if len(ring) == 0 {
		return env.tr("no trusted public key given")
	}
	return env.tr("trusted key(s) %s", strings.Join(ring.IDs(), ", "))
}

var _ = messages(
	msg{"a trusted public release key (release.pub); repeat for the keys of earlier years (default: PAYOUT_RELEASE_PUB, a colon-separated list)",
		"en betrodd offentlig frigivelsesnøkkel (release.pub); gjenta for nøklene fra tidligere år (standard: PAYOUT_RELEASE_PUB, en liste skilt med kolon)"},
	msg{"no trusted public key given", "ingen betrodd offentlig nøkkel er oppgitt"},
	msg{"trusted key(s) %s", "betrodd(e) nøkkel(er) %s"},
)
