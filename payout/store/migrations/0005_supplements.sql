-- Issue 13: supplements. A supplement pays the rejected payments of a
-- released period again (payments-supplement-N.xml): the same amounts, the
-- payee's corrected account, a new MsgId and new EndToEndIds naming the
-- originals. It has the lifecycle of a run (computed, attested, approved,
-- released, by different accounts) and is identified by its digest, the
-- SHA-256 of its canonical body.
CREATE TABLE supplements (
    id           INTEGER PRIMARY KEY,
    period       TEXT NOT NULL,
    n            INTEGER NOT NULL,
    status       TEXT NOT NULL CHECK (status IN ('computed', 'attested', 'approved', 'released')),
    as_of        TEXT NOT NULL,
    pay_date     TEXT NOT NULL,
    msg_id       TEXT NOT NULL UNIQUE,
    input_digest TEXT NOT NULL,
    total        TEXT NOT NULL,
    payments     INTEGER NOT NULL,
    body         BLOB NOT NULL,
    digest       TEXT NOT NULL,
    computed_at  TEXT NOT NULL,
    computed_by  TEXT NOT NULL,
    computed_uid INTEGER NOT NULL,
    attested_by  TEXT NOT NULL DEFAULT '',
    attested_uid INTEGER NOT NULL DEFAULT -1,
    attested_at  TEXT NOT NULL DEFAULT '',
    approved_by  TEXT NOT NULL DEFAULT '',
    approved_uid INTEGER NOT NULL DEFAULT -1,
    approved_at  TEXT NOT NULL DEFAULT '',
    UNIQUE (period, n)
);

-- What each supplement pays again. A payment is re-paid by one supplement
-- at most (repays is unique over every supplement), so nothing is paid
-- twice by two supplements, whatever the caller checked.
CREATE TABLE supplement_payments (
    supplement_id INTEGER NOT NULL REFERENCES supplements(id),
    repays        TEXT NOT NULL UNIQUE,
    end_to_end_id TEXT NOT NULL UNIQUE,
    payee_id      TEXT NOT NULL,
    account       TEXT NOT NULL,
    amount        TEXT NOT NULL,
    PRIMARY KEY (supplement_id, repays)
);

-- The release of a supplement: who, when, the file's digest and the
-- signed statement. release_chain is the chain hash of the period's own
-- release; previous_chain that of the supplement release before (so the
-- supplements form a chain of their own beside the releases').
CREATE TABLE supplement_releases (
    id             INTEGER PRIMARY KEY,
    supplement_id  INTEGER NOT NULL UNIQUE REFERENCES supplements(id),
    period         TEXT NOT NULL,
    n              INTEGER NOT NULL,
    released_at    TEXT NOT NULL,
    pinned_at      TEXT NOT NULL,
    released_by    TEXT NOT NULL,
    released_uid   INTEGER NOT NULL,
    attested_by    TEXT NOT NULL,
    attested_uid   INTEGER NOT NULL,
    approved_by    TEXT NOT NULL,
    approved_uid   INTEGER NOT NULL,
    msg_id         TEXT NOT NULL UNIQUE,
    digest         TEXT NOT NULL,
    total          TEXT NOT NULL,
    payments       INTEGER NOT NULL,
    out_dir        TEXT NOT NULL,
    file_sha256    TEXT NOT NULL,
    release_chain  TEXT NOT NULL,
    previous_chain TEXT NOT NULL,
    events_sha256  TEXT NOT NULL,
    key_id         TEXT NOT NULL,
    signature      TEXT NOT NULL,
    chain_sha256   TEXT NOT NULL
);

CREATE TRIGGER supplement_releases_no_update BEFORE UPDATE ON supplement_releases
BEGIN SELECT RAISE(ABORT, 'a supplement release is immutable'); END;
CREATE TRIGGER supplement_releases_no_delete BEFORE DELETE ON supplement_releases
BEGIN SELECT RAISE(ABORT, 'a supplement release is immutable'); END;
CREATE TRIGGER supplements_released_no_update BEFORE UPDATE ON supplements WHEN OLD.status = 'released'
BEGIN SELECT RAISE(ABORT, 'a released supplement is immutable'); END;
CREATE TRIGGER supplements_released_no_delete BEFORE DELETE ON supplements WHEN OLD.status = 'released'
BEGIN SELECT RAISE(ABORT, 'a released supplement is immutable'); END;
CREATE TRIGGER supplement_payments_released_delete BEFORE DELETE ON supplement_payments
WHEN (SELECT status FROM supplements WHERE id = OLD.supplement_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released supplement is immutable'); END;
CREATE TRIGGER supplement_payments_no_update BEFORE UPDATE ON supplement_payments
BEGIN SELECT RAISE(ABORT, 'a supplement''s payments are replaced, never changed'); END;
