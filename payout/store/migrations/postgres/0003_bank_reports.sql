-- PostgreSQL's twin of ../0003_bank_reports.sql.
CREATE TABLE bank_reports (
    id              bigint PRIMARY KEY,
    name            text COLLATE "C" NOT NULL,
    path            text COLLATE "C" NOT NULL,
    kind            text COLLATE "C" NOT NULL,
    version         text COLLATE "C" NOT NULL,
    msg_id          text COLLATE "C" NOT NULL,
    created         text COLLATE "C" NOT NULL,
    periods         text COLLATE "C" NOT NULL,
    sha256          text COLLATE "C" NOT NULL UNIQUE,
    bytes           bigint NOT NULL,
    data            bytea NOT NULL,
    imported_at     text COLLATE "C" NOT NULL,
    imported_by     text COLLATE "C" NOT NULL,
    imported_uid    bigint NOT NULL,
    release_chain   text COLLATE "C" NOT NULL,
    previous_chain  text COLLATE "C" NOT NULL,
    chain_sha256    text COLLATE "C" NOT NULL
);
