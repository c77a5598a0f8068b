package store

import (
	"database/sql"
	"errors"
	"sort"
)

func sortStrings(s []string) { sort.Strings(s) }

func isNoRows(err error) bool { return errors.Is(err, sql.ErrNoRows) }
