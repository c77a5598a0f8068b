package store

import (
	"fmt"
	"strings"
	"time"
)

// Actor is who does something: an authenticated account, never a typed
// name. With the embedded store it is the operating-system account that
// runs the command (cmd reads it from the process); a shared database back
// end gives its session user (UID NoUID).
type Actor struct {
	UID  int64  // the operating-system user id; NoUID when there is none
	Name string // the account name
}

// NoUID marks an actor without an operating-system user id (events
// recorded before identities were authenticated, or a database user).
const NoUID = -1

// String is "kari (uid 1001)", or the name alone without a uid.
func (a Actor) String() string {
	if a.UID == NoUID {
		return a.Name
	}
	return fmt.Sprintf("%s (uid %d)", a.Name, a.UID)
}

// Same reports whether a and b may be the same person: the same user id,
// or the same name (ignoring case and surrounding spaces). The two-person
// rule asks for different people, so either match counts as the same.
func (a Actor) Same(b Actor) bool {
	if a.UID != NoUID && a.UID == b.UID {
		return true
	}
	return strings.EqualFold(strings.TrimSpace(a.Name), strings.TrimSpace(b.Name))
}

func (a Actor) valid() error {
	if strings.TrimSpace(a.Name) == "" {
		return refusef(ErrNoUser, "no user: the account running payout has no name")
	}
	return nil
}

// When is the time of an event. Real is the time it happened (the system
// clock, always); Pinned is the time the command was told it is
// (PAYOUT_NOW) when the clock is pinned, else zero. Periods and lateness
// follow the pinned time; the audit log records both, so a pinned clock can
// never back-date an event.
type When struct {
	Real   time.Time
	Pinned time.Time
}

// At is a When of a real time only.
func At(t time.Time) When { return When{Real: t} }

func (w When) pinnedStamp() string {
	if w.Pinned.IsZero() {
		return ""
	}
	return stamp(w.Pinned)
}
