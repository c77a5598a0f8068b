-- Issue 16: a run's result (its JSON, 7 MB at national scale) in a table
-- of its own, beside its run's row. Kept in the row, every change of the
-- row rewrote it: SQLite writes a row whole, so the run's digest and
-- manifest, set after the files are rendered, cost a read of the whole
-- result on the path the clerk waits on, and attest and approve each
-- wrote it again. The result is stored when the run is (payout run) and
-- replaced only when the run is recomputed or released (release stores
-- the recomputed result it pays); its SHA-256 stays in the run's row
-- (runs.result_sha256), checked whenever the result is read.
CREATE TABLE run_results (
    run_id INTEGER PRIMARY KEY REFERENCES runs(id),
    result BLOB NOT NULL
);
INSERT INTO run_results (run_id, result) SELECT id, result FROM runs;
ALTER TABLE runs DROP COLUMN result;

-- A released run's result is part of what was released.
CREATE TRIGGER run_results_released_insert BEFORE INSERT ON run_results
WHEN (SELECT status FROM runs WHERE id = NEW.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER run_results_released_update BEFORE UPDATE ON run_results
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'released'
  OR (SELECT status FROM runs WHERE id = NEW.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
CREATE TRIGGER run_results_released_delete BEFORE DELETE ON run_results
WHEN (SELECT status FROM runs WHERE id = OLD.run_id) = 'released'
BEGIN SELECT RAISE(ABORT, 'a released run is immutable'); END;
