// Package pgtest gives tests a PostgreSQL store of their own on the server
// PAYOUT_TEST_POSTGRES names (scripts/pg-local.sh starts one; .ci/run does
// for CI): a fresh schema per test, dropped when the test ends, and login
// roles for the clerks a test needs. Without a server the tests that need
// one skip, or fail when PAYOUT_REQUIRE_POSTGRES=1 (CI), so that a
// missing server never passes for a tested back end.
package pgtest

import (
	"crypto/rand"
	"encoding/hex"
	"net/url"
	"os"
	"strings"
	"testing"

	_ "github.com/jackc/pgx/v5/stdlib" // the database/sql driver "pgx"
	"github.com/jmoiron/sqlx"
)

// Server is the URL of the test server (an administrator's session: it
// creates schemas and roles). It skips t without one, or fails it when
// PAYOUT_REQUIRE_POSTGRES=1.
func Server(t testing.TB) string {
	t.Helper()
	u := os.Getenv("PAYOUT_TEST_POSTGRES")
	if u == "" {
		if os.Getenv("PAYOUT_REQUIRE_POSTGRES") == "1" {
			t.Fatal("PAYOUT_TEST_POSTGRES is not set, but PAYOUT_REQUIRE_POSTGRES=1: start a server with scripts/pg-local.sh")
		}
		t.Skip("no PostgreSQL server (PAYOUT_TEST_POSTGRES; scripts/pg-local.sh run go test ...)")
	}
	return u
}

// Admin is an administrator's connection to the test server.
func Admin(t testing.TB) *sqlx.DB {
	t.Helper()
	db, err := sqlx.Open("pgx", Server(t))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { db.Close() })
	return db
}

// Unique is a fresh lower-case name with the prefix.
func Unique(prefix string) string {
	b := make([]byte, 5)
	_, _ = rand.Read(b)
	return prefix + hex.EncodeToString(b)
}

// Schema makes an empty schema for t and returns the URL of an
// administrator's session whose search_path is it (where payout init
// creates the store). The schema is dropped when t ends.
func Schema(t testing.TB) (storeURL, schema string) {
	t.Helper()
	db := Admin(t)
	schema = Unique("t_")
	if _, err := db.Exec(`CREATE SCHEMA ` + schema); err != nil {
		t.Fatalf("create schema: %v", err)
	}
	t.Cleanup(func() { _, _ = db.Exec(`DROP SCHEMA ` + schema + ` CASCADE`) })
	return WithSchema(Server(t), schema), schema
}

// WithSchema is the URL u with search_path set to schema.
func WithSchema(u, schema string) string {
	p, err := url.Parse(u)
	if err != nil {
		return u
	}
	q := p.Query()
	q.Set("search_path", schema)
	p.RawQuery = q.Encode()
	return p.String()
}

// Login creates a login role named name (password = name) holding roles,
// allowed into schema, and returns its URL for storeURL's database and
// schema. The role is dropped when t ends.
func Login(t testing.TB, storeURL, name string, roles ...string) string {
	t.Helper()
	db := Admin(t)
	if _, err := db.Exec(`CREATE ROLE ` + name + ` LOGIN PASSWORD '` + name + `'`); err != nil {
		t.Fatalf("create role %s: %v", name, err)
	}
	t.Cleanup(func() { _, _ = db.Exec(`DROP ROLE IF EXISTS ` + name) })
	if len(roles) > 0 {
		if _, err := db.Exec(`GRANT ` + strings.Join(roles, ", ") + ` TO ` + name); err != nil {
			t.Fatalf("grant %v to %s: %v", roles, name, err)
		}
	}
	p, err := url.Parse(storeURL)
	if err != nil {
		t.Fatal(err)
	}
	p.User = url.UserPassword(name, name)
	return p.String()
}

// Database makes an empty database for t (the store then lives in its
// public schema) and returns the administrator's URL of it; a database,
// unlike a schema, can be copied (CopyDatabase). Dropped when t ends.
func Database(t testing.TB) string {
	t.Helper()
	name := Unique("d_")
	return createDatabase(t, name, `CREATE DATABASE `+name)
}

// CopyDatabase makes a copy of the database of u (nobody may be connected
// to it) and returns the administrator's URL of the copy.
func CopyDatabase(t testing.TB, u string) string {
	t.Helper()
	p, err := url.Parse(u)
	if err != nil {
		t.Fatal(err)
	}
	name := Unique("d_")
	return createDatabase(t, name, `CREATE DATABASE `+name+` TEMPLATE `+strings.TrimPrefix(p.Path, "/"))
}

func createDatabase(t testing.TB, name, stmt string) string {
	t.Helper()
	db := Admin(t)
	if _, err := db.Exec(stmt); err != nil {
		t.Fatalf("%s: %v", stmt, err)
	}
	t.Cleanup(func() { _, _ = db.Exec(`DROP DATABASE IF EXISTS ` + name + ` WITH (FORCE)`) })
	p, err := url.Parse(Server(t))
	if err != nil {
		t.Fatal(err)
	}
	p.Path = "/" + name
	return p.String()
}

// SchemaOf is the search_path of a URL Schema made.
func SchemaOf(u string) string {
	p, err := url.Parse(u)
	if err != nil {
		return ""
	}
	return p.Query().Get("search_path")
}
