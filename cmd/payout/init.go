package main

import (
	"context"
	"fmt"
	"os/user"
	"strconv"
	"strings"

	"github.com/oslokommune/payout/importers"
	"github.com/oslokommune/payout/payout/store"
)

// initCommand creates a store. Every other command refuses a missing
// store, so a typo in --db never starts a new, empty one. With --group the
// store is shared by the clerks of that group: mode 0660, the group's, in
// a group folder (2770), and the output folders and files written for it
// are shared the same way.
type initCommand struct {
	base
	shared
	group string
}

func newInitCommand(env *Env) command {
	c := &initCommand{base: newBase("init", env)}
	c.dbFlag(c.fs, "the store file to create (never overwritten)")
	c.fs.StringVar(&c.group, "group", "", "share the store with this group (mode 0660; its folder must be the group's, mode 2770)")
	c.help = helpText{
		synopsis: []string{"payout init --db FILE [--group NAME]"},
		required: "--db",
		example:  "payout init --db payout.db",
	}
	return c
}

func (c *initCommand) Run(_ context.Context, args []string) error {
	if err := c.parseOnly(args); err != nil {
		return err
	}
	if c.db == "" {
		return usagef("--db FILE is required")
	}
	if store.IsPostgres(c.db) {
		return c.initPostgres()
	}
	gid, err := lookupGroup(c.group)
	if err != nil {
		return err
	}
	s, err := store.Create(c.db, importers.ReadFile, store.CreateOptions{GID: gid})
	if err != nil {
		return err
	}
	defer s.Close()
	env := c.env
	if gid != store.NoGroup {
		env.outf("created store %s (mode 0660, shared with group %s)\n", c.dbShown(), c.group)
	} else {
		env.outf("created store %s (mode 0600, for you alone)\n", c.dbShown())
	}
	env.outf("next: %s\n", fmt.Sprintf("payout import --db %s FOLDER", c.dbShown()))
	return nil
}

// initPostgres creates the store's schema in the database (its current
// schema) and the payout roles, which the administrator then grants.
func (c *initCommand) initPostgres() error {
	if c.group != "" {
		return usagef("--group is for a store file: on PostgreSQL the roles payout init creates say who may do what")
	}
	s, err := store.Create(c.db, importers.ReadFile, store.CreateOptions{GID: store.NoGroup})
	if err != nil {
		return err
	}
	defer s.Close()
	env := c.env
	env.outf("created store %s (PostgreSQL) and the roles %s\n", s.Path(), strings.Join(store.Roles(), ", "))
	env.outf("next: %s\n", "GRANT payout_importer TO a clerk (see README: the department's store on PostgreSQL)")
	return nil
}

func lookupGroup(name string) (int, error) {
	if name == "" {
		return store.NoGroup, nil
	}
	g, err := user.LookupGroup(name)
	if err != nil {
		return 0, usagef("--group %s: %w", name, err)
	}
	gid, err := strconv.Atoi(g.Gid)
	if err != nil {
		return 0, errorf("--group %s: gid %q", name, g.Gid)
	}
	return gid, nil
}

var _ = messages(
	msg{"create a store (--group: shared by the clerks of a group)", "opprett et lager (--group: delt av saksbehandlerne i en gruppe)"},
	msg{"the store file to create (never overwritten)", "lagerfilen som skal opprettes (overskrives aldri)"},
	msg{"share the store with this group (mode 0660; its folder must be the group's, mode 2770)",
		"del lageret med denne gruppen (modus 0660; mappen må tilhøre gruppen, modus 2770)"},
	msg{"created store %s (mode 0660, shared with group %s)\n", "opprettet lageret %s (modus 0660, delt med gruppen %s)\n"},
	msg{"created store %s (mode 0600, for you alone)\n", "opprettet lageret %s (modus 0600, bare for deg)\n"},
	msg{"next: %s\n", "neste: %s\n"},
	msg{"--group is for a store file: on PostgreSQL the roles payout init creates say who may do what",
		"--group gjelder en lagerfil: på PostgreSQL sier rollene payout init oppretter hvem som kan gjøre hva"},
	msg{"created store %s (PostgreSQL) and the roles %s\n", "opprettet lageret %s (PostgreSQL) og rollene %s\n"},
	msg{"GRANT payout_importer TO a clerk (see README: the department's store on PostgreSQL)",
		"GRANT payout_importer TO en saksbehandler (se README: avdelingens lager på PostgreSQL)"},
	msg{"--group %s: %w", "--group %s: %w"},
	msg{"--group %s: gid %q", "--group %s: gid %q"},
)
