package store

// The few places where the two back ends differ, each choosing between
// sqlite.go and postgres.go. Everything else is the same SQL on both.

import (
	"crypto/sha256"
	"encoding/hex"
	"io/fs"
	"sort"
	"strings"

	"github.com/jackc/pgx/v5"
	"github.com/jmoiron/sqlx"
)

// hasMigrations counts the store's schema_migrations table (0 or 1).
func (s *Store) hasMigrations() (int, error) {
	q := `SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_migrations'`
	if s.pg {
		q = `SELECT count(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = 'schema_migrations'`
	}
	var n int
	err := s.db.Get(&n, q)
	return n, err
}

// rulesFile holds PostgreSQL's roles, grants and triggers; a store records
// the version it applied (its digest), so a changed file is applied again.
const rulesFile = "migrations/postgres/rules.sql"

// migrationNames lists the back end's migrations in the order they apply:
// the numbered files, then (PostgreSQL) the rules at their current digest.
func (s *Store) migrationNames() ([]string, error) {
	dir := "migrations"
	if s.pg {
		dir = "migrations/postgres"
	}
	names, err := fs.Glob(migrations, dir+"/0*.sql")
	if err != nil {
		return nil, err
	}
	sort.Strings(names)
	if s.pg {
		rules, err := migrations.ReadFile(rulesFile)
		if err != nil {
			return nil, err
		}
		sum := sha256.Sum256(rules)
		names = append(names, rulesFile+"@"+hex.EncodeToString(sum[:6]))
	}
	return names, nil
}

// migrationText is the SQL of a migration; the rules name the store's
// schema (current_schema()).
func (s *Store) migrationText(name string) (string, error) {
	file, _, rules := strings.Cut(name, "@")
	text, err := migrations.ReadFile(file)
	if err != nil || !rules {
		return string(text), err
	}
	var schema string
	if err := s.db.Get(&schema, `SELECT current_schema()`); err != nil {
		return "", err
	}
	return strings.ReplaceAll(string(text), "@schema@", pgx.Identifier{schema}.Sanitize()), nil
}

// lockMigrations makes two processes that upgrade one PostgreSQL store
// apply each migration once (SQLite's transaction holds the write lock).
func (s *Store) lockMigrations(tx *sqlx.Tx) error {
	if !s.pg {
		return nil
	}
	_, err := tx.Exec(`SELECT pg_advisory_xact_lock(?)`, releaseLockKey+1)
	return err
}
