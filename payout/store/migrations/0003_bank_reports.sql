-- Issue 13: the bank's answers to released payment files (pain.002 status
-- reports, camt.054 debit notifications), byte for byte and append-only.
-- Each report is linked into the release hash chain: release_chain is the
-- chain hash of the latest release it answers, and chain_sha256 covers the
-- report's digest, that link and the previous report's chain hash.
CREATE TABLE bank_reports (
    id              INTEGER PRIMARY KEY,
    name            TEXT NOT NULL,
    path            TEXT NOT NULL,
    kind            TEXT NOT NULL,
    version         TEXT NOT NULL,
    msg_id          TEXT NOT NULL,
    created         TEXT NOT NULL,
    periods         TEXT NOT NULL,
    sha256          TEXT NOT NULL UNIQUE,
    bytes           INTEGER NOT NULL,
    data            BLOB NOT NULL,
    imported_at     TEXT NOT NULL,
    imported_by     TEXT NOT NULL,
    imported_uid    INTEGER NOT NULL,
    release_chain   TEXT NOT NULL,
    previous_chain  TEXT NOT NULL,
    chain_sha256    TEXT NOT NULL
);
CREATE TRIGGER bank_reports_no_update BEFORE UPDATE ON bank_reports
BEGIN SELECT RAISE(ABORT, 'bank reports are append-only'); END;
CREATE TRIGGER bank_reports_no_delete BEFORE DELETE ON bank_reports
BEGIN SELECT RAISE(ABORT, 'bank reports are append-only'); END;
