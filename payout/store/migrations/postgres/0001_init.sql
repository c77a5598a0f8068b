-- PostgreSQL's twin of ../0001_init.sql (issue 12): the same tables and
-- columns, text in byte order (COLLATE "C", as SQLite compares), bytea for
-- BLOB. Ids are bigint keys that payout gives as max(id) + 1, as SQLite's
-- rowid does, so both back ends number alike (no sequence gaps from
-- rolled-back transactions). The append-only rules are in rules.sql.

CREATE TABLE imports (
    id          bigint PRIMARY KEY,
    imported_at text COLLATE "C" NOT NULL
);

CREATE TABLE files (
    id        bigint PRIMARY KEY,
    import_id bigint NOT NULL REFERENCES imports(id),
    name      text COLLATE "C" NOT NULL,
    path      text COLLATE "C" NOT NULL,
    kind      text COLLATE "C" NOT NULL,
    sha256    text COLLATE "C" NOT NULL UNIQUE,
    rows      bigint NOT NULL,
    bytes     bigint NOT NULL,
    data      bytea NOT NULL
);

CREATE TABLE runs (
    id            bigint PRIMARY KEY,
    period        text COLLATE "C" NOT NULL UNIQUE,
    status        text COLLATE "C" NOT NULL CHECK (status IN ('computed', 'attested', 'approved', 'released')),
    as_of         text COLLATE "C" NOT NULL,
    pay_date      text COLLATE "C" NOT NULL,
    input_digest  text COLLATE "C" NOT NULL,
    computed_at   text COLLATE "C" NOT NULL,
    computations  bigint NOT NULL,
    total         text COLLATE "C" NOT NULL,
    agreements    bigint NOT NULL,
    payees        bigint NOT NULL,
    lines         bigint NOT NULL,
    warnings      bigint NOT NULL,
    result        bytea NOT NULL,
    result_sha256 text COLLATE "C" NOT NULL,
    attested_by   text COLLATE "C" NOT NULL DEFAULT '',
    attested_at   text COLLATE "C" NOT NULL DEFAULT '',
    approved_by   text COLLATE "C" NOT NULL DEFAULT '',
    approved_at   text COLLATE "C" NOT NULL DEFAULT ''
);

CREATE TABLE run_files (
    run_id  bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    file_id bigint NOT NULL REFERENCES files(id),
    PRIMARY KEY (run_id, file_id)
);

CREATE TABLE run_lines (
    run_id       bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    bydel        text COLLATE "C" NOT NULL,
    agreement_id text COLLATE "C" NOT NULL,
    role         text COLLATE "C" NOT NULL,
    payee_id     text COLLATE "C" NOT NULL,
    entitlement  text COLLATE "C" NOT NULL,
    withheld     text COLLATE "C" NOT NULL,
    released     text COLLATE "C" NOT NULL,
    adjustments  text COLLATE "C" NOT NULL,
    net          text COLLATE "C" NOT NULL,
    carried_out  text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, agreement_id, role, payee_id)
);

CREATE TABLE run_payments (
    run_id        bigint NOT NULL REFERENCES runs(id) ON DELETE CASCADE,
    payee_id      text COLLATE "C" NOT NULL,
    name          text COLLATE "C" NOT NULL,
    account       text COLLATE "C" NOT NULL,
    amount        text COLLATE "C" NOT NULL,
    end_to_end_id text COLLATE "C" NOT NULL,
    PRIMARY KEY (run_id, payee_id)
);

CREATE TABLE releases (
    id              bigint PRIMARY KEY,
    run_id          bigint NOT NULL UNIQUE REFERENCES runs(id),
    period          text COLLATE "C" NOT NULL UNIQUE,
    released_at     text COLLATE "C" NOT NULL,
    released_by     text COLLATE "C" NOT NULL,
    attested_by     text COLLATE "C" NOT NULL,
    approved_by     text COLLATE "C" NOT NULL,
    msg_id          text COLLATE "C" NOT NULL,
    manifest_sha256 text COLLATE "C" NOT NULL,
    previous_sha256 text COLLATE "C" NOT NULL,
    result_sha256   text COLLATE "C" NOT NULL,
    chain_sha256    text COLLATE "C" NOT NULL
);

CREATE TABLE events (
    id     bigint PRIMARY KEY,
    at     text COLLATE "C" NOT NULL,
    period text COLLATE "C" NOT NULL,
    action text COLLATE "C" NOT NULL,
    "user" text COLLATE "C" NOT NULL,
    detail text COLLATE "C" NOT NULL
);
