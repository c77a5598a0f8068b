package main

import (
	"context"
	"path/filepath"

	"github.com/oslokommune/payout/payout/releasekey"
)

// keygenCommand makes a release signing key: DIR/release.key (0600, for the
// releaser alone) and DIR/release.pub (for everyone who checks releases).
type keygenCommand struct {
	base
	out string
}

func newKeygenCommand(env *Env) command {
	c := &keygenCommand{base: newBase("keygen", env)}
	c.fs.StringVar(&c.out, "out", "", "folder for release.key and release.pub (created 0700 if missing; an existing key is never overwritten)")
	c.help = helpText{
		synopsis: []string{"payout keygen --out DIR"},
		required: "--out",
		example:  "payout keygen --out keys",
	}
	return c
}

func (c *keygenCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	if c.out == "" {
		return usagef("--out DIR is required")
	}
	k, err := releasekey.Generate(c.out, nil)
	if err != nil {
		return err
	}
	priv, pub := filepath.Join(c.out, releasekey.PrivateFile), filepath.Join(c.out, releasekey.PublicFile)
	env := c.env
	printFields(env, []field{
		{"release key", k.ID()},
		{"private key", env.tr("%s (mode 0600: keep it in the releaser's account, never beside the store)", priv)},
		{"public key", env.tr("%s (give it to everyone who checks releases)", pub)},
	})
	env.outf("next: the releaser sets %s; the others set %s\n", "PAYOUT_RELEASE_KEY="+priv, "PAYOUT_RELEASE_PUB="+pub)
	return nil
}

var _ = messages(
	msg{"make a release signing key (release.key for the releaser, release.pub for the checkers)",
		"lag en nøkkel som signerer frigivelser (release.key for den som frigir, release.pub for dem som kontrollerer)"},
	msg{"folder for release.key and release.pub (created 0700 if missing; an existing key is never overwritten)",
		"mappe for release.key og release.pub (opprettes med 0700 om den mangler; en eksisterende nøkkel overskrives aldri)"},
	msg{"release key", "frigivelsesnøkkel"},
	msg{"private key", "privat nøkkel"},
	msg{"public key", "offentlig nøkkel"},
	msg{"%s (mode 0600: keep it in the releaser's account, never beside the store)", "%s (modus 0600: oppbevar den i kontoen til den som frigir, aldri ved siden av lageret)"},
	msg{"%s (give it to everyone who checks releases)", "%s (gi den til alle som kontrollerer frigivelser)"},
	msg{"next: the releaser sets %s; the others set %s\n", "neste: den som frigir setter %s; de andre setter %s\n"},
)
