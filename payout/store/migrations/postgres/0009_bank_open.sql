-- PostgreSQL's twin of ../0009_bank_open.sql: the ledger's open items
-- after each import, append-only (rules.sql), written by the importer
-- beside the last report it stores.
CREATE TABLE bank_open_records (
    report_id bigint PRIMARY KEY REFERENCES bank_reports(id),
    record    bytea NOT NULL,
    sha256    text COLLATE "C" NOT NULL
);
