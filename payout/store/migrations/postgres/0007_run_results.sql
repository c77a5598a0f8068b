-- Issue 16: a run's result (its JSON, 7 MB at national scale) in a table
-- of its own, beside its run's row (as ../0007_run_results.sql). Every
-- UPDATE of a run's row made a new version of the row; the result is
-- stored when the run is and replaced only when the run is recomputed or
-- released, and its SHA-256 stays in the run's row. The rules
-- (rules.sql, applied after this) guard it as a released run's lines.
CREATE TABLE run_results (
    run_id bigint PRIMARY KEY REFERENCES runs(id),
    result bytea NOT NULL
);
INSERT INTO run_results (run_id, result) SELECT id, result FROM runs;
ALTER TABLE runs DROP COLUMN result;
