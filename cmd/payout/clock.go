package main

import (
	"os"
	"time"
	_ "time/tzdata" // Europe/Oslo without the system's zone files

	"github.com/oslokommune/payout/payout/store"
)

// The clock. PAYOUT_NOW pins the time the commands see for periods
// (current, next) and lateness, so a scheduled job or a test can ask "what
// if it were the 22nd"; it never pins the audit log, whose events always
// carry the real time (and the pinned one beside it).

// oslo is where the clerks are: times are shown in Europe/Oslo, and a
// PAYOUT_NOW that is a date only is 08:00 there (time/tzdata is linked in,
// so it needs no zone files).
var oslo = mustZone("Europe/Oslo")

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err) // time/tzdata is linked in: this cannot fail
	}
	return loc
}

// parseClock reads PAYOUT_NOW: RFC 3339 (2026-11-22T08:00:00Z), or a date
// (2026-11-22) meaning 08:00 in Europe/Oslo. "" is not pinned. Anything
// else is an error naming the expected form: a typo never falls back to
// the real clock silently.
func parseClock(value string) (pinned time.Time, ok bool, err error) {
	if value == "" {
		return time.Time{}, false, nil
	}
	if t, err := time.Parse(time.RFC3339, value); err == nil {
		return t, true, nil
	}
	if d, err := time.ParseInLocation("2006-01-02", value, oslo); err == nil {
		return d.Add(8 * time.Hour), true, nil
	}
	return time.Time{}, false, errorf("PAYOUT_NOW=%q is not a time: give RFC 3339 (2026-11-22T08:00:00Z) or a date (2026-11-22, meaning 08:00 Europe/Oslo), or unset it", value)
}

// envFromOS is the binary's Env: the system clock, pinned for periods by
// PAYOUT_NOW, and the operating-system account.
func envFromOS() (*Env, error) {
	env := &Env{Stdout: os.Stdout, Stderr: os.Stderr, Now: time.Now, Real: time.Now, Actor: osActor, Getenv: os.Getenv,
		Lang: localeLanguage(os.Getenv)}
	pinned, ok, err := parseClock(os.Getenv("PAYOUT_NOW"))
	if err != nil {
		return nil, err
	}
	if ok {
		env.Now, env.Pinned = func() time.Time { return pinned }, true
	}
	if fi, err := os.Stderr.Stat(); err == nil && fi.Mode()&os.ModeCharDevice != 0 {
		env.StderrIsTerminal = true
	}
	return env, nil
}

// when is the time of an event the command records: the real time, and
// the pinned one when the clock is pinned.
func (e *Env) when() store.When {
	w := store.When{Real: e.realNow()}
	if e.Pinned {
		w.Pinned = e.Now()
	}
	return w
}

func (e *Env) realNow() time.Time {
	if e.Real != nil {
		return e.Real()
	}
	return time.Now()
}

func (e *Env) getenv(name string) string {
	if e.Getenv != nil {
		return e.Getenv(name)
	}
	return ""
}

var _ = messages(
	msg{"PAYOUT_NOW=%q is not a time: give RFC 3339 (2026-11-22T08:00:00Z) or a date (2026-11-22, meaning 08:00 Europe/Oslo), or unset it",
		"PAYOUT_NOW=%q er ikke et tidspunkt: oppgi RFC 3339 (2026-11-22T08:00:00Z) eller en dato (2026-11-22, som betyr 08:00 Europe/Oslo), eller fjern den"},
)
