-- Issue 11: the id of an import is the store's import sequence, the
-- knowledge time of every version its files hold (DESIGN.md "When"); a
-- run's knowledge is the highest import sequence among the files it read
-- (run_files). Imports are therefore append-only, like the files.
-- (Numbered 0004 after 0003_bank_reports; IF NOT EXISTS, so a store that
-- applied it as 0003_knowledge.sql upgrades cleanly.)
CREATE TRIGGER IF NOT EXISTS imports_no_update BEFORE UPDATE ON imports
BEGIN SELECT RAISE(ABORT, 'imports are append-only: their ids are the knowledge time of the inputs'); END;
CREATE TRIGGER IF NOT EXISTS imports_no_delete BEFORE DELETE ON imports
BEGIN SELECT RAISE(ABORT, 'imports are append-only: their ids are the knowledge time of the inputs'); END;
