-- The store of the payout batch: imported input files (append-only), runs
-- and their lifecycle, releases (hash-chained) and an audit log.

CREATE TABLE imports (
    id          INTEGER PRIMARY KEY,
    imported_at TEXT NOT NULL
);

-- Every imported file, byte for byte: the records are re-read from here, so
-- each keeps the file and line it came from.
CREATE TABLE files (
    id        INTEGER PRIMARY KEY,
    import_id INTEGER NOT NULL REFERENCES imports(id),
    name      TEXT NOT NULL,
    path      TEXT NOT NULL,
    kind      TEXT NOT NULL,
    sha256    TEXT NOT NULL UNIQUE,
    rows      INTEGER NOT NULL,
    bytes     INTEGER NOT NULL,
    data      BLOB NOT NULL
);

-- One current run per period. A computed or attested run may be replaced by
-- a new computation; a released run never changes.
CREATE TABLE runs (
    id            INTEGER PRIMARY KEY,
    period        TEXT NOT NULL UNIQUE,
    status        TEXT NOT NULL CHECK (status IN ('computed', 'attested', 'approved', 'released')),
    as_of         TEXT NOT NULL,
    pay_date      TEXT NOT NULL,
    input_digest  TEXT NOT NULL,
    computed_at   TEXT NOT NULL,
    computations  INTEGER NOT NULL,
    total         TEXT NOT NULL,
    agreements    INTEGER NOT NULL,
    payees        INTEGER NOT NULL,
    lines         INTEGER NOT NULL,
    warnings      INTEGER NOT NULL,
    result        BLOB NOT NULL,
    result_sha256 TEXT NOT NULL,
    attested_by   TEXT NOT NULL DEFAULT '',
    attested_at   TEXT NOT NULL DEFAULT '',
    approved_by   TEXT NOT NULL DEFAULT '',
    approved_at   TEXT NOT NULL DEFAULT ''
);

CREATE TABLE run_files (
    run_id  INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    file_id INTEGER NOT NULL REFERENCES files(id),
    PRIMARY KEY (run_id, file_id)
);

CREATE TABLE run_lines (
    run_id       INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    bydel        TEXT NOT NULL,
    agreement_id TEXT NOT NULL,
    role         TEXT NOT NULL,
    payee_id     TEXT NOT NULL,
    entitlement  TEXT NOT NULL,
    withheld     TEXT NOT NULL,
    released     TEXT NOT NULL,
    adjustments  TEXT NOT NULL,
    net          TEXT NOT NULL,
    carried_out  TEXT NOT NULL,
    PRIMARY KEY (run_id, agreement_id, role, payee_id)
);

CREATE TABLE run_payments (
    run_id        INTEGER NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    payee_id      TEXT NOT NULL,
    name          TEXT NOT NULL,
    account       TEXT NOT NULL,
    amount        TEXT NOT NULL,
    end_to_end_id TEXT NOT NULL,
    PRIMARY KEY (run_id, payee_id)
);

-- Releases form a hash chain: previous_sha256 is the manifest digest of the
-- release before, chain_sha256 covers this row and the previous chain hash.
CREATE TABLE releases (
    id              INTEGER PRIMARY KEY,
    run_id          INTEGER NOT NULL UNIQUE REFERENCES runs(id),
    period          TEXT NOT NULL UNIQUE,
    released_at     TEXT NOT NULL,
    released_by     TEXT NOT NULL,
    attested_by     TEXT NOT NULL,
    approved_by     TEXT NOT NULL,
    msg_id          TEXT NOT NULL,
    manifest_sha256 TEXT NOT NULL,
    previous_sha256 TEXT NOT NULL,
    result_sha256   TEXT NOT NULL,
    chain_sha256    TEXT NOT NULL
);

-- The audit log: every state change, who and when.
CREATE TABLE events (
    id     INTEGER PRIMARY KEY,
    at     TEXT NOT NULL,
    period TEXT NOT NULL,
    action TEXT NOT NULL,
    user   TEXT NOT NULL,
    detail TEXT NOT NULL
);

-- Append-only and immutable parts, enforced by the database itself.
CREATE TRIGGER files_no_update BEFORE UPDATE ON files
BEGIN SELECT RAISE(ABORT, 'imported files are append-only'); END;
CREATE TRIGGER files_no_delete BEFORE DELETE ON files
BEGIN SELECT RAISE(ABORT, 'imported files are append-only'); END;
CREATE TRIGGER releases_no_update BEFORE UPDATE ON releases
BEGIN SELECT RAISE(ABORT, 'a release is immutable'); END;
CREATE TRIGGER releases_no_delete BEFORE DELETE ON releases
BEGIN SELECT RAISE(ABORT, 'a release is immutable'); END;
CREATE TRIGGER runs_released_no_update BEFORE UPDATE ON runs WHEN OLD.status = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER runs_released_no_delete BEFORE DELETE ON runs WHEN OLD.status = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER run_lines_released BEFORE DELETE ON run_lines
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER run_payments_released BEFORE DELETE ON run_payments
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
