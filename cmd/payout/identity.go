package main

import (
	"os"
	"os/user"
	"strconv"

	"github.com/oslokommune/payout/payout/store"
)

// Who acts is the operating-system account that runs the command (its
// real user id and that user's name), never a name typed on the command
// line: the store records it for every import, run, attest, approve and
// release, and the two-person rule compares accounts.

// osActor is the account running this process.
func osActor() (store.Actor, error) {
	uid := os.Getuid()
	u, err := user.LookupId(strconv.Itoa(uid))
	if err != nil {
		return store.Actor{}, errorf("your account (uid %d) has no name in the user database (%w): payout records who acts by account, so run it as a named user", uid, err)
	}
	return store.Actor{UID: int64(uid), Name: u.Username}, nil
}

// actor is the account running the command. --user NAME, when given, must
// be that account: a guard against typing in the wrong terminal, never a
// way to act as someone else (exit 2).
func (e *Env) actor(typed string) (store.Actor, error) {
	if e.Actor == nil {
		return store.Actor{}, errorf("no account: this command must know who runs it")
	}
	a, err := e.Actor()
	if err != nil {
		return store.Actor{}, err
	}
	if typed != "" && typed != a.Name {
		return store.Actor{}, usagef("--user %s is not you: this terminal runs as %s, and payout records the account that runs it (log in as %s, or leave --user out)", typed, a, typed)
	}
	return a, nil
}

// actorFor is actor for a command on the store db: on PostgreSQL the
// server says who acts (storeActor, once the store is open), so the
// operating-system account is not asked.
func (e *Env) actorFor(db, typed string) (store.Actor, error) {
	if store.IsPostgres(db) {
		return store.Actor{UID: store.NoUID}, nil
	}
	return e.actor(typed)
}

// storeActor is who acts on the open store s: on PostgreSQL the session
// user the server authenticated (session_user), which --user, when given,
// must be; on SQLite by, the account actorFor found.
func storeActor(s *store.Store, by store.Actor, typed string) (store.Actor, error) {
	a, ok := s.SessionActor()
	if !ok {
		return by, nil
	}
	if a.Name == "" {
		return store.Actor{}, errorf("the database did not say who you are (session_user)")
	}
	if typed != "" && typed != a.Name {
		return store.Actor{}, usagef("--user %s is not you: the database authenticated you as %s, and payout records who the database authenticated (connect as %s, or leave --user out)", typed, a.Name, typed)
	}
	return a, nil
}

// userUsage is the --user flag's text.
const userUsage = "optional: your account name, checked against the account running payout (a guard against the wrong terminal)"

var _ = messages(
	msg{"your account (uid %d) has no name in the user database (%w): payout records who acts by account, so run it as a named user",
		"kontoen din (uid %d) har ikke noe navn i brukerdatabasen (%w): payout registrerer hvem som handler etter konto, så kjør den som en navngitt bruker"},
	msg{"no account: this command must know who runs it", "ingen konto: denne kommandoen må vite hvem som kjører den"},
	msg{"--user %s is not you: this terminal runs as %s, and payout records the account that runs it (log in as %s, or leave --user out)",
		"--user %s er ikke deg: denne terminalen kjører som %s, og payout registrerer kontoen som kjører den (logg inn som %s, eller utelat --user)"},
	msg{"the database did not say who you are (session_user)", "databasen sa ikke hvem du er (session_user)"},
	msg{"--user %s is not you: the database authenticated you as %s, and payout records who the database authenticated (connect as %s, or leave --user out)",
		"--user %s er ikke deg: databasen autentiserte deg som %s, og payout registrerer den databasen autentiserte (koble til som %s, eller utelat --user)"},
	msg{userUsage, "valgfritt: kontonavnet ditt, kontrollert mot kontoen som kjører payout (et vern mot feil terminal)"},
)
