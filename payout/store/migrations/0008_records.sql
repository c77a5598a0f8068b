-- Issue 16: compact records (package payout/record). Beside each bank
-- report, what the reader found in it (package bank's EncodeReport), so
-- that the ledger every run, bank import, status and due builds applies
-- the stored reports without reading their XML again (a year of national camt.054s is 90 MB, 2.2 s of CPU per
-- command). The report's bytes stay the source: the record's SHA-256 is
-- checked whenever it is read, and status --check reads each report again
-- and requires its record to be what the reader makes of it. Written with
-- the report, in the same transaction; a report imported before this
-- migration has none and is read from its bytes. Append-only, as the
-- reports.
CREATE TABLE bank_report_records (
    report_id INTEGER PRIMARY KEY REFERENCES bank_reports(id),
    record    BLOB NOT NULL,
    sha256    TEXT NOT NULL
);
CREATE TRIGGER bank_report_records_no_update BEFORE UPDATE ON bank_report_records
BEGIN SELECT RAISE(ABORT, 'bank reports are append-only'); END;
CREATE TRIGGER bank_report_records_no_delete BEFORE DELETE ON bank_report_records
BEGIN SELECT RAISE(ABORT, 'bank reports are append-only'); END;

-- Beside each release made since, what it paid (store.Paid: the period,
-- payment date, total, policy and each payment as the bank file carries
-- it), as the ledger reads it of every release for every run, bank import
-- and due; decoding a national result for it took 47 ms of CPU, a year of
-- releases 0.5 s. Written by the release in its transaction from the
-- result it stores; its SHA-256 checked whenever it is read; status
-- --check requires it to be what the released result pays. Append-only.
CREATE TABLE release_records (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    record BLOB NOT NULL,
    sha256 TEXT NOT NULL
);
CREATE TRIGGER release_records_no_update BEFORE UPDATE ON release_records
BEGIN SELECT RAISE(ABORT, 'a release is immutable'); END;
CREATE TRIGGER release_records_no_delete BEFORE DELETE ON release_records
BEGIN SELECT RAISE(ABORT, 'a release is immutable'); END;
