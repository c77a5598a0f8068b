-- Issue 16: a large imported file is kept in pieces of at most 1 MiB, so
-- that a run reads it a piece at a time as it parses it, as it reads a
-- file from a folder, instead of assembling the whole value first (a
-- national list_counts.csv is 22 MB: SQLite copied it into fresh memory
-- and the driver once more). A file's bytes are files.data (the whole
-- file, for one of up to 1 MiB and every file imported before this
-- migration) followed by its pieces in the order of n, from 1; their
-- total is files.bytes, and their SHA-256 files.sha256, checked whenever
-- the file is read. Pieces are append-only, as files are.
CREATE TABLE file_pieces (
    file_id INTEGER NOT NULL REFERENCES files(id),
    n       INTEGER NOT NULL CHECK (n >= 1),
    data    BLOB NOT NULL,
    PRIMARY KEY (file_id, n)
);

CREATE TRIGGER file_pieces_no_update BEFORE UPDATE ON file_pieces
BEGIN SELECT RAISE(ABORT, 'imported files are append-only'); END;
CREATE TRIGGER file_pieces_no_delete BEFORE DELETE ON file_pieces
BEGIN SELECT RAISE(ABORT, 'imported files are append-only'); END;
