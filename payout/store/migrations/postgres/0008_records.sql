-- PostgreSQL's twin of ../0008_records.sql: each bank
-- report's record, append-only (rules.sql), written by the importer with
-- the report.
CREATE TABLE bank_report_records (
    report_id bigint PRIMARY KEY REFERENCES bank_reports(id),
    record    bytea NOT NULL,
    sha256    text COLLATE "C" NOT NULL
);

-- Each release's record of what it paid (as ../0008_records.sql),
-- append-only (rules.sql), written by the releaser in the release.
CREATE TABLE release_records (
    run_id bigint PRIMARY KEY REFERENCES runs(id),
    record bytea NOT NULL,
    sha256 text COLLATE "C" NOT NULL
);
