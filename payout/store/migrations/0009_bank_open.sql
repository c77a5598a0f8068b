-- Issue 16: the bank ledger's open items after each import (package
-- bank's OpenItems: the payments neither booked nor paid again), so that
-- every run and due answers "what did the bank reject that nobody paid
-- again, and what is still unbooked" from a few payments rather than by
-- replaying every release and report since the store began (a year of
-- national releases is 120 000 payments, ≈ 0.3 s of CPU per command, and
-- growing). Written by bank import, which builds the whole ledger, in the
-- import's transaction, beside the last report it stores; read only when
-- it belongs to the latest report, its SHA-256 checked; status --check
-- requires it to be what the whole ledger says. Append-only.
CREATE TABLE bank_open_records (
    report_id INTEGER PRIMARY KEY REFERENCES bank_reports(id),
    record    BLOB NOT NULL,
    sha256    TEXT NOT NULL
);
CREATE TRIGGER bank_open_records_no_update BEFORE UPDATE ON bank_open_records
BEGIN SELECT RAISE(ABORT, 'bank reports are append-only'); END;
CREATE TRIGGER bank_open_records_no_delete BEFORE DELETE ON bank_open_records
BEGIN SELECT RAISE(ABORT, 'bank reports are append-only'); END;
