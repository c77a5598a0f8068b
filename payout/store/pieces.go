package store

import (
	"cmp"
	"crypto/sha256"
	"database/sql"
	"encoding/hex"
	"errors"
	"io"
	"sync"

	"github.com/jmoiron/sqlx"

	"github.com/oslokommune/payout/payout"
)

// A stored file's bytes are files.data followed by its pieces in
// file_pieces, in the order of n (migration 0006): a file of up to
// pieceSize bytes, and every file imported before the migration, is all in
// files.data; a larger one has its first pieceSize bytes there and the
// rest in pieces of pieceSize. A run then reads a large file a piece at a
// time as it parses it (StreamFunc), as it reads a file from a folder: a
// whole value of 22 MB was assembled by SQLite in fresh memory and copied
// by the driver into more, and those page faults, and the wait for the
// whole value before its parse could start, were most of what a run from
// the store paid over a run from files (issue 16). The pieces' lengths are
// checked against files.bytes before a file is read, and what is read
// against files.sha256 after.

// pieceSize is the size of a stored file's pieces (Store.piece: another
// in tests).
const pieceSize = 1 << 20

// StreamFunc is ParseFunc for a stored file read a piece at a time while it
// is parsed (importers.ReadStored): size is the file's length, lines a
// hint of its number of lines (at most size/2 + 1), and open starts a
// reader of the file from its start (it may be called again, when the
// file has to be read whole after all).
type StreamFunc func(name string, size int64, lines int, open func() io.Reader) (*payout.Inputs, error)

// StreamWith makes the store parse its stored files of more than one
// piece with f instead of its ParseFunc on their whole bytes.
func (s *Store) StreamWith(f StreamFunc) { s.stream = f }

// insertFile stores one imported file: its row, with the first piece, and
// the other pieces.
func (s *Store) insertFile(tx *sqlx.Tx, importID int64, o *FileOutcome, kind string, data []byte) error {
	size := cmp.Or(s.piece, pieceSize)
	head := data[:min(len(data), size)]
	var id int64
	if err := tx.Get(&id, `INSERT INTO files (id, import_id, name, path, kind, sha256, rows, bytes, data)
		VALUES ((SELECT coalesce(max(id), 0) + 1 FROM files), ?, ?, ?, ?, ?, ?, ?, ?) RETURNING id`,
		importID, o.Name, o.Path, kind, o.SHA256, o.Rows, len(data), head); err != nil {
		return err
	}
	for n, at := 1, len(head); at < len(data); n, at = n+1, at+size {
		piece := data[at:min(len(data), at+size)]
		if _, err := tx.Exec(`INSERT INTO file_pieces (file_id, n, data) VALUES (?, ?, ?)`, id, n, piece); err != nil {
			return err
		}
	}
	return nil
}

// storedFile is one stored file, without its bytes: Head is the length of
// files.data, Rest the total of its pieces'.
type storedFile struct {
	ID       int64  `db:"id"`
	ImportID int64  `db:"import_id"`
	Name     string `db:"name"`
	SHA256   string `db:"sha256"`
	Bytes    int64  `db:"bytes"`
	Rows     int64  `db:"rows"`
	Head     int64  `db:"head"`
	Rest     int64  `db:"rest"`
}

// storedFileColumns selects a storedFile from files. length() reads no
// value's bytes on either back end.
const storedFileColumns = `id, import_id, name, sha256, bytes, rows, length(data) AS head,
	(SELECT coalesce(sum(length(p.data)), 0) FROM file_pieces p WHERE p.file_id = files.id) AS rest`

// storedFiles lists the stored files in import order.
func storedFiles(q sqlx.Queryer) ([]storedFile, error) {
	var files []storedFile
	err := sqlx.Select(q, &files, `SELECT `+storedFileColumns+` FROM files ORDER BY id`)
	return files, err
}

// checkLength refuses a stored file whose bytes and pieces do not add up
// to the length recorded at import, before any of it is read.
func (f *storedFile) checkLength() error {
	if f.Head+f.Rest == f.Bytes {
		return nil
	}
	return refusef(ErrInconsistent, "stored file %s (id %d) is not the file imported: it holds %d bytes, the import recorded %d; the store was changed outside payout (payout status --check lists every problem)",
		f.Name, f.ID, f.Head+f.Rest, f.Bytes)
}

// lines is the hint of the file's number of lines given to a StreamFunc:
// its rows and header, at most one per two bytes (a line and its end).
func (f *storedFile) lines() int {
	return int(min(max(f.Rows, 0)+1, f.Bytes/2+1))
}

// pieceReader reads stored files over one connection (a transaction's
// queries may not overlap), for the parsers of several files at once: one
// value at a time, under mu. The first read that fails ends the reading:
// on PostgreSQL every later query of the transaction fails too, and would
// hide the cause; every later read returns the first failure.
type pieceReader struct {
	q   sqlx.Queryer
	pg  bool
	mu  sync.Mutex
	err error
}

// value reads one stored value (files.data or a piece). On SQLite it is
// the driver's own copy (sql.RawBytes), not copied once more by Scan:
// go-sqlite3 makes a new slice of every value it reads (C.GoBytes) and
// never writes it again, so the bytes stay as read when the rows are
// closed (TestStoredDataIsNotReused holds it to that); a driver that
// reused them would change bytes not yet parsed, which the digest check
// of what was parsed refuses. PostgreSQL's driver may reuse its buffers:
// there the bytes are copied.
func (r *pieceReader) value(query string, args ...any) ([]byte, error) {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.err != nil {
		return nil, r.err
	}
	data, err := readValue(r.q, r.pg, query, args...)
	r.err = err
	return data, err
}

// failed is the first read that failed, if any.
func (r *pieceReader) failed() error {
	r.mu.Lock()
	defer r.mu.Unlock()
	return r.err
}

func readValue(q sqlx.Queryer, pg bool, query string, args ...any) ([]byte, error) {
	return readRow(q, pg, nil, query, args...)
}

// errDigest is readDigested's refusal of a value that does not match the
// SHA-256 stored with it.
var errDigest = errors.New("does not match its digest")

// readDigested is readValue of a query whose second column is the value's
// SHA-256, both read by one query: errDigest when they do not match.
func readDigested(q sqlx.Queryer, pg bool, query string, args ...any) ([]byte, error) {
	var sum string
	data, err := readRow(q, pg, []any{&sum}, query, args...)
	if err == nil && sha(data) != sum {
		return nil, errDigest
	}
	return data, err
}

// readRow is readValue for a row whose first column is the value and whose
// other columns are scanned into more: sql.ErrNoRows when there is none.
func readRow(q sqlx.Queryer, pg bool, more []any, query string, args ...any) ([]byte, error) {
	rows, err := q.Query(query, args...)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	if !rows.Next() {
		if err := rows.Err(); err != nil {
			return nil, err
		}
		return nil, sql.ErrNoRows
	}
	var data []byte
	if pg {
		err = rows.Scan(append([]any{&data}, more...)...)
	} else {
		var raw sql.RawBytes
		err = rows.Scan(append([]any{&raw}, more...)...)
		data = raw
	}
	if err != nil {
		return nil, err
	}
	return data, rows.Close()
}

// piece reads a stored file's value n: files.data for 0, else its piece
// n, which must be there and not empty.
func (r *pieceReader) piece(f *storedFile, n int) ([]byte, error) {
	if n == 0 {
		return r.value(`SELECT data FROM files WHERE id = ?`, f.ID)
	}
	data, err := r.value(`SELECT data FROM file_pieces WHERE file_id = ? AND n = ?`, f.ID, n)
	switch {
	case errors.Is(err, sql.ErrNoRows):
		return nil, r.fail(refusef(ErrInconsistent, "stored file %s (id %d) is not the file imported: its piece %d is missing; the store was changed outside payout", f.Name, f.ID, n))
	case err == nil && len(data) == 0:
		return nil, r.fail(refusef(ErrInconsistent, "stored file %s (id %d) is not the file imported: its piece %d is empty; the store was changed outside payout", f.Name, f.ID, n))
	}
	return data, err
}

// fail records err as the reading's failure and returns it.
func (r *pieceReader) fail(err error) error {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.err = err
	return err
}

// whole reads a stored file's bytes at once.
func (r *pieceReader) whole(f *storedFile) ([]byte, error) {
	data, err := r.piece(f, 0)
	if err != nil || f.Rest == 0 {
		return data, err
	}
	all := make([]byte, len(data), f.Bytes)
	copy(all, data)
	for n := 1; int64(len(all)) < f.Bytes; n++ {
		p, err := r.piece(f, n)
		if err != nil {
			return nil, err
		}
		all = append(all, p...)
	}
	return all, nil
}

// open is a reader of a stored file from its start, a piece at a time.
func (r *pieceReader) open(f *storedFile) io.Reader { return &fileReader{r: r, f: f} }

// fileReader is one pass over a stored file's pieces.
type fileReader struct {
	r    *pieceReader
	f    *storedFile
	n    int    // the next piece
	left []byte // what is left of the piece read
	read int64  // bytes read so far
}

func (fr *fileReader) Read(p []byte) (int, error) {
	for len(fr.left) == 0 {
		if fr.n > 0 && fr.read >= fr.f.Bytes {
			return 0, io.EOF
		}
		piece, err := fr.r.piece(fr.f, fr.n)
		if err != nil {
			return 0, err
		}
		fr.n++
		fr.left = piece
		fr.read += int64(len(piece))
	}
	k := copy(p, fr.left)
	fr.left = fr.left[k:]
	return k, nil
}

// digest is the SHA-256 of a stored file, read once more (a file whose
// parse failed, or whose parser did not hash it).
func (r *pieceReader) digest(f *storedFile) (string, error) {
	h := sha256.New()
	if _, err := io.Copy(h, r.open(f)); err != nil {
		return "", err
	}
	return hex.EncodeToString(h.Sum(nil)), nil
}
