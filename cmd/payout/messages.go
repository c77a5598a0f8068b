package main

// The message catalogue: every sentence the command line shows a person
// (summaries, errors, next-step hints, help) in English and in bokmål, one
// golang.org/x/text catalogue for both. The language is the locale's
// (LC_ALL, LC_MESSAGES, LANG, the first one set): bokmål for nb, nn and no,
// English otherwise.
//
// How to add a message:
//
//  1. Write the English text as the format in the code, through one of the
//     catalogue's functions: env.outf / env.errf (print a line), env.tr
//     (a string), errorf (an error, %w allowed) or usagef (a usage error,
//     exit 2). Flag usage strings are messages too.
//  2. Add a row {English, bokmål} with the same verbs, in the same order
//     (or indexed, %[2]s), to a messages(...) table: the one in the
//     command's file, or msgCommon below for sentences several commands
//     share.
//
// TestCatalogue fails for a format used in the code without a row, for a
// row without both languages or whose verbs differ, and for a fmt print or
// error of a literal sentence that bypasses the catalogue. Formatting is
// fmt's (a %d is not grouped by locale): pass amounts and counts already
// formatted (formatKroner, formatCount) as %s.
//
// Input problems from the importers and the engine (file, line, column,
// value) are not catalogue messages: they are printed as they are, so a
// problem reads the same in every log and every test.

import (
	"fmt"
	"strings"
	"sync"
	"time"

	"github.com/oslokommune/payout/payout"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

// msg is one catalogue row: the English text (also the key) and bokmål.
type msg struct{ en, nb string }

var (
	catMu    sync.Mutex
	catRows  []msg // every row registered, duplicates included (the test finds them)
	catBuilt *catalog.Builder
	bokmal   = language.MustParse("nb")
)

// messages registers rows in the catalogue; call it as a package variable's
// initialiser (var _ = messages(...)) beside the code that uses them.
func messages(rows ...msg) struct{} {
	catMu.Lock()
	defer catMu.Unlock()
	catRows = append(catRows, rows...)
	catBuilt = nil
	return struct{}{}
}

func builtCatalogue() *catalog.Builder {
	catMu.Lock()
	defer catMu.Unlock()
	if catBuilt == nil {
		b := catalog.NewBuilder(catalog.Fallback(language.English))
		for _, r := range catRows {
			_ = b.SetString(language.English, r.en, r.en) // errors only for malformed tags
			_ = b.SetString(bokmal, r.en, r.nb)
		}
		catBuilt = b
	}
	return catBuilt
}

// collect is a catalogue renderer that keeps the message's text, so the
// arguments are formatted by fmt, not by the catalogue's number rules.
type collect struct{ s strings.Builder }

func (c *collect) Render(s string)     { c.s.WriteString(s) }
func (c *collect) Arg(int) interface{} { return nil }

// translate is the format of key in tag's language; a key without a row is
// shown as it is (in English), and the test makes sure there is none.
func translate(tag language.Tag, key string) string {
	if tag != bokmal {
		return key
	}
	var c collect
	if err := builtCatalogue().Context(tag, &c).Execute(key); err != nil {
		return key
	}
	return c.s.String()
}

// localeLanguage is the language of the locale the environment names:
// LC_ALL, else LC_MESSAGES, else LANG (POSIX precedence; "" is unset).
func localeLanguage(getenv func(string) string) language.Tag {
	for _, name := range []string{"LC_ALL", "LC_MESSAGES", "LANG"} {
		if v := getenv(name); v != "" {
			return localeTag(v)
		}
	}
	return language.English
}

// localeTag reads a POSIX locale name (nb_NO.UTF-8, no_NO@euro, C).
func localeTag(v string) language.Tag {
	v, _, _ = strings.Cut(v, ".")
	v, _, _ = strings.Cut(v, "@")
	lang, _, _ := strings.Cut(v, "_")
	switch strings.ToLower(lang) {
	case "nb", "nn", "no":
		return bokmal
	}
	return language.English
}

// sprintf formats key's text in tag's language. Errors among the arguments
// are written in that language too, and %w reads as %v.
func sprintf(tag language.Tag, key string, args ...any) string {
	format := strings.ReplaceAll(translate(tag, key), "%w", "%v")
	shown := make([]any, len(args))
	for i, a := range args {
		shown[i] = a
		switch v := a.(type) {
		case error:
			shown[i] = localize(tag, v)
		case time.Time:
			shown[i] = when(v) // a recorded time, in Oslo's time
		case payout.Text:
			shown[i] = sprintf(tag, v.Format, v.Args...)
		}
	}
	return fmt.Sprintf(format, shown...)
}

// localize writes err in tag's language: a catalogue error (or one wrapped
// by a catalogue error) is translated, any other error is its own text.
func localize(tag language.Tag, err error) string {
	switch e := err.(type) {
	case *msgError:
		return sprintf(tag, e.key, e.args...)
	case *usageError:
		return sprintf(tag, e.key, e.args...)
	case storeMessage:
		key, args := e.Message()
		return sprintf(tag, key, args...)
	case payout.ErrorList:
		return e.In(translator(tag))
	case *payout.InputError:
		return e.In(translator(tag))
	}
	return translate(tag, err.Error()) // a sentinel's text has a row; another error is its own text
}

// translator writes the importers' and the engine's problem texts in tag's
// language (nil, their own English, for English).
func translator(tag language.Tag) payout.Translator {
	if tag != bokmal {
		return nil
	}
	return func(t payout.Text) string { return sprintf(tag, t.Format, t.Args...) }
}

// storeMessage is an error that keeps its English format and arguments
// (the store's refusals): its format is a catalogue key.
type storeMessage interface{ Message() (string, []any) }

// msgError is an error whose text is a catalogue message. Error() is the
// English text (logs, tests); Main prints it in the user's language.
type msgError struct {
	key  string
	args []any
}

// errorf is fmt.Errorf through the catalogue: %w wraps as fmt's does.
func errorf(key string, args ...any) error { return &msgError{key, args} }

func (e *msgError) Error() string { return sprintf(language.English, e.key, e.args...) }

func (e *msgError) Unwrap() []error { return wrapped(e.args) }

func wrapped(args []any) []error {
	var errs []error
	for _, a := range args {
		if err, ok := a.(error); ok {
			errs = append(errs, err)
		}
	}
	return errs
}

// tr is key's text in the user's language.
func (e *Env) tr(key string, args ...any) string { return sprintf(e.Lang, key, args...) }

// outf prints key's text on stdout; errf on stderr. Neither adds a newline.
func (e *Env) outf(key string, args ...any) { fmt.Fprint(e.Stdout, e.tr(key, args...)) }

func (e *Env) errf(key string, args ...any) { fmt.Fprint(e.Stderr, e.tr(key, args...)) }

// errText is err in the user's language.
func (e *Env) errText(err error) string { return localize(e.Lang, err) }

// msgCommon holds the sentences several commands share.
var _ = messages(
	msg{"%s", "%s"},
	msg{"%s\n", "%s\n"},
	msg{"%s: %w", "%s: %w"},
)
