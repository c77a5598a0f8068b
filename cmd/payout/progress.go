package main

import (
	"fmt"
	"io"
	"sync"
	"time"
)

// progress is the terminal's progress line for long work (issue 6): shown
// only when stderr is a terminal and only once the work has taken about two
// seconds, redrawn at most ten times a second, and erased when done. It
// reads the real clock: it never reaches an output file.
type progress struct {
	mu      sync.Mutex
	env     *Env
	w       io.Writer
	on      bool
	start   time.Time
	drawn   time.Time
	stage   string
	printed bool
}

const progressAfter = 2 * time.Second

func newProgress(env *Env) *progress {
	return &progress{env: env, w: env.Stderr, on: env.StderrIsTerminal, start: time.Now()}
}

// Stage names the step now under way ("reading inputs", …).
func (p *progress) Stage(name string) {
	p.mu.Lock()
	defer p.mu.Unlock()
	p.stage = name
	p.draw(name, true)
}

// Count reports done of total units of the current stage.
func (p *progress) Count(done, total int) {
	if !p.on { // nothing is drawn, so nothing is formatted: the chains count every agreement
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	p.draw(p.env.tr("%s: %s of %s", p.stage, formatCount(done), formatCount(total)), done == total)
}

// Done erases the line.
func (p *progress) Done() {
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.printed {
		fmt.Fprint(p.w, "\r\033[K")
		p.printed = false
	}
}

func (p *progress) draw(text string, force bool) {
	if !p.on {
		return
	}
	now := time.Now()
	if now.Sub(p.start) < progressAfter || (!force && now.Sub(p.drawn) < 100*time.Millisecond) {
		return
	}
	p.drawn = now
	p.printed = true
	fmt.Fprintf(p.w, "\r\033[K%s (%s)", text, now.Sub(p.start).Round(time.Second))
}

var _ = messages(msg{"%s: %s of %s", "%s: %s av %s"})
