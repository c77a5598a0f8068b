-- Issue 10: who (authenticated accounts), what (the run's digest) and when
-- (the real time, and the pinned one) of every event; hash-chained events;
-- signed releases that record the folder they were written to.

-- Runs: the digest of the canonical lines and payments (payout.RunDigest),
-- the manifest and folder the run's files were written to, and the
-- accounts behind each step (uid -1: recorded before accounts were).
ALTER TABLE runs ADD COLUMN digest TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN manifest_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN out_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN computed_by TEXT NOT NULL DEFAULT '';
ALTER TABLE runs ADD COLUMN computed_uid INTEGER NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN attested_uid INTEGER NOT NULL DEFAULT -1;
ALTER TABLE runs ADD COLUMN approved_uid INTEGER NOT NULL DEFAULT -1;

-- Events: the account (uid), the pinned time when the clock was pinned
-- (at is always the real time), the run and digest an event is about, and
-- a hash chain: hash = SHA-256(previous hash, this event).
ALTER TABLE events ADD COLUMN uid INTEGER NOT NULL DEFAULT -1;
ALTER TABLE events ADD COLUMN pinned_at TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN run_id INTEGER NOT NULL DEFAULT 0;
ALTER TABLE events ADD COLUMN run_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN total TEXT NOT NULL DEFAULT '';
ALTER TABLE events ADD COLUMN hash TEXT NOT NULL DEFAULT '';
CREATE TRIGGER events_hashed BEFORE INSERT ON events WHEN NEW.hash = ''
BEGIN SELECT RAISE(ABORT, 'an event must carry its chain hash'); END;

-- Releases (version 2): the signed release statement's fields. chain_sha256
-- is the SHA-256 of the statement, which names the previous release's
-- chain hash, the event chain's head and the manifest's digest; signature
-- is ed25519 over the statement by the key key_id ('' when unsigned, which
-- only policy unsigned_releases allows). Version 1 rows are releases made
-- before, with the old chain hash.
ALTER TABLE releases ADD COLUMN version INTEGER NOT NULL DEFAULT 1;
ALTER TABLE releases ADD COLUMN released_uid INTEGER NOT NULL DEFAULT -1;
ALTER TABLE releases ADD COLUMN attested_uid INTEGER NOT NULL DEFAULT -1;
ALTER TABLE releases ADD COLUMN approved_uid INTEGER NOT NULL DEFAULT -1;
ALTER TABLE releases ADD COLUMN pinned_at TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN run_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN total TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN payments INTEGER NOT NULL DEFAULT 0;
ALTER TABLE releases ADD COLUMN out_dir TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN events_sha256 TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN previous_chain TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN key_id TEXT NOT NULL DEFAULT '';
ALTER TABLE releases ADD COLUMN signature TEXT NOT NULL DEFAULT '';

-- A released run's input files are part of what was released.
CREATE TRIGGER run_files_released_delete BEFORE DELETE ON run_files
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER run_files_released_insert BEFORE INSERT ON run_files
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
