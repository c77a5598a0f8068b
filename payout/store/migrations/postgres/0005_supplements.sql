-- PostgreSQL's twin of ../0005_supplements.sql (issue 13): the supplements,
-- what each pays again (a payment at most once: repays is unique) and their
-- releases. The immutability rules and grants are in rules.sql.
CREATE TABLE supplements (
    id           bigint PRIMARY KEY,
    period       text COLLATE "C" NOT NULL,
    n            bigint NOT NULL,
    status       text COLLATE "C" NOT NULL CHECK (status IN ('computed', 'attested', 'approved', 'released')),
    as_of        text COLLATE "C" NOT NULL,
    pay_date     text COLLATE "C" NOT NULL,
    msg_id       text COLLATE "C" NOT NULL UNIQUE,
    input_digest text COLLATE "C" NOT NULL,
    total        text COLLATE "C" NOT NULL,
    payments     bigint NOT NULL,
    body         bytea NOT NULL,
    digest       text COLLATE "C" NOT NULL,
    computed_at  text COLLATE "C" NOT NULL,
    computed_by  text COLLATE "C" NOT NULL,
    computed_uid bigint NOT NULL,
    attested_by  text COLLATE "C" NOT NULL DEFAULT '',
    attested_uid bigint NOT NULL DEFAULT -1,
    attested_at  text COLLATE "C" NOT NULL DEFAULT '',
    approved_by  text COLLATE "C" NOT NULL DEFAULT '',
    approved_uid bigint NOT NULL DEFAULT -1,
    approved_at  text COLLATE "C" NOT NULL DEFAULT '',
    UNIQUE (period, n)
);

-- What each supplement pays again. A payment is re-paid by one supplement
-- at most (repays is unique over every supplement), so nothing is paid
-- twice by two supplements, whatever the caller checked.
CREATE TABLE supplement_payments (
    supplement_id bigint NOT NULL REFERENCES supplements(id),
    repays        text COLLATE "C" NOT NULL UNIQUE,
    end_to_end_id text COLLATE "C" NOT NULL UNIQUE,
    payee_id      text COLLATE "C" NOT NULL,
    account       text COLLATE "C" NOT NULL,
    amount        text COLLATE "C" NOT NULL,
    PRIMARY KEY (supplement_id, repays)
);

-- The release of a supplement: who, when, the file's digest and the
-- signed statement. release_chain is the chain hash of the period's own
-- release; previous_chain that of the supplement release before (so the
-- supplements form a chain of their own beside the releases').
CREATE TABLE supplement_releases (
    id             bigint PRIMARY KEY,
    supplement_id  bigint NOT NULL UNIQUE REFERENCES supplements(id),
    period         text COLLATE "C" NOT NULL,
    n              bigint NOT NULL,
    released_at    text COLLATE "C" NOT NULL,
    pinned_at      text COLLATE "C" NOT NULL,
    released_by    text COLLATE "C" NOT NULL,
    released_uid   bigint NOT NULL,
    attested_by    text COLLATE "C" NOT NULL,
    attested_uid   bigint NOT NULL,
    approved_by    text COLLATE "C" NOT NULL,
    approved_uid   bigint NOT NULL,
    msg_id         text COLLATE "C" NOT NULL UNIQUE,
    digest         text COLLATE "C" NOT NULL,
    total          text COLLATE "C" NOT NULL,
    payments       bigint NOT NULL,
    out_dir        text COLLATE "C" NOT NULL,
    file_sha256    text COLLATE "C" NOT NULL,
    release_chain  text COLLATE "C" NOT NULL,
    previous_chain text COLLATE "C" NOT NULL,
    events_sha256  text COLLATE "C" NOT NULL,
    key_id         text COLLATE "C" NOT NULL,
    signature      text COLLATE "C" NOT NULL,
    chain_sha256   text COLLATE "C" NOT NULL
);
