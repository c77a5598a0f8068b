-- The server's rules of a PostgreSQL store (issue 12), re-stated after
-- every migration (it is idempotent; payout records which version of this
-- file a store has). @schema@ is the store's schema. What a hand-written
-- SQL session cannot skip:
--   * the six roles payout init creates (NOLOGIN; the administrator grants
--     them to the clerks' login roles) and their grants: SELECT for all,
--     each role only the writes its command makes; no role is granted
--     UPDATE or DELETE on the append-only tables;
--   * triggers refusing UPDATE, DELETE and TRUNCATE of imports, files (and
--     their pieces),
--     events, releases and bank reports, and any change of a released run;
--   * the lifecycle: attest only a computed run, approve only an attested
--     one and never by its attester, release only an approved run with the
--     approve's digest and people, never by its attester, never two of a
--     period (UNIQUE) nor one before a released later period;
--   * identity: every name a session records (events, the run's and
--     release's people, bank reports) is its session_user. A superuser is
--     above these rules as in any PostgreSQL database (it could drop the
--     triggers), so payout's clerks are never superusers.
-- The functions run with search_path = the store's schema, then pg_temp,
-- so that no session's temporary table can stand in for a store table.

DO $$
DECLARE r text;
BEGIN
    FOREACH r IN ARRAY ARRAY['payout_importer', 'payout_preparer', 'payout_attester',
                             'payout_approver', 'payout_releaser', 'payout_auditor'] LOOP
        IF NOT EXISTS (SELECT FROM pg_roles WHERE rolname = r) THEN
            BEGIN
                EXECUTE format('CREATE ROLE %I NOLOGIN', r);
            EXCEPTION WHEN duplicate_object OR unique_violation THEN
                NULL; -- another payout init created it meanwhile
            END;
        END IF;
    END LOOP;
END $$;

-- payout_is_session: name is the session's user (or the session is a
-- superuser's, which is above every rule anyway).
CREATE OR REPLACE FUNCTION payout_is_session(name text) RETURNS boolean
LANGUAGE sql STABLE SET search_path = @schema@, pg_temp AS $$
    SELECT name = session_user::text
        OR coalesce((SELECT rolsuper FROM pg_catalog.pg_roles WHERE rolname = session_user), false)
$$;

CREATE OR REPLACE FUNCTION payout_append_only() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
BEGIN
    RAISE EXCEPTION '%', TG_ARGV[0] USING ERRCODE = 'integrity_constraint_violation';
END $$;

-- payout_identity: the column TG_ARGV[0] of a new row names the session's
-- user.
CREATE OR REPLACE FUNCTION payout_identity() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
DECLARE who text := to_jsonb(NEW) ->> TG_ARGV[0];
BEGIN
    IF NOT payout_is_session(who) THEN
        RAISE EXCEPTION '% % names % as its %, but the session is %''s: the server records who is logged in',
            TG_TABLE_NAME, TG_OP, who, TG_ARGV[0], session_user USING ERRCODE = 'insufficient_privilege';
    END IF;
    RETURN NEW;
END $$;

-- payout_run_change: the lifecycle of a run, as the server sees it.
CREATE OR REPLACE FUNCTION payout_run_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
DECLARE same_run boolean;
BEGIN
    IF OLD.status = 'released' THEN
        RAISE EXCEPTION 'a released run is immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    same_run := NEW.period = OLD.period AND NEW.digest = OLD.digest AND NEW.input_digest = OLD.input_digest
        AND NEW.total = OLD.total AND NEW.computed_at = OLD.computed_at AND NEW.computed_by = OLD.computed_by;
    IF NEW.status = 'computed' THEN
        IF NOT payout_is_session(NEW.computed_by) THEN
            RAISE EXCEPTION 'the run of % is computed by %, not by the session''s user %', NEW.period, NEW.computed_by, session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NEW.status = 'attested' THEN
        IF OLD.status <> 'computed' OR NOT same_run OR NEW.attested_by = '' THEN
            RAISE EXCEPTION 'the run of % is %: only a computed run is attested, and attesting changes nothing else', NEW.period, OLD.status
                USING ERRCODE = 'check_violation';
        END IF;
        IF NOT payout_is_session(NEW.attested_by) THEN
            RAISE EXCEPTION 'the run of % would be attested by %, but the session is %''s', NEW.period, NEW.attested_by, session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NEW.status = 'approved' THEN
        IF OLD.status <> 'attested' OR NOT same_run OR NEW.attested_by <> OLD.attested_by OR NEW.approved_by = '' THEN
            RAISE EXCEPTION 'the run of % is %: only an attested run is approved, and approving changes nothing else', NEW.period, OLD.status
                USING ERRCODE = 'check_violation';
        END IF;
        IF lower(btrim(NEW.approved_by)) = lower(btrim(OLD.attested_by)) THEN
            RAISE EXCEPTION '% attested the run of % and cannot also approve it (two-person rule)', OLD.attested_by, NEW.period
                USING ERRCODE = 'check_violation';
        END IF;
        IF NOT payout_is_session(NEW.approved_by) THEN
            RAISE EXCEPTION 'the run of % would be approved by %, but the session is %''s', NEW.period, NEW.approved_by, session_user
                USING ERRCODE = 'insufficient_privilege';
        END IF;
    ELSIF NEW.status = 'released' THEN
        IF OLD.status <> 'approved' OR NOT same_run OR NEW.attested_by <> OLD.attested_by OR NEW.approved_by <> OLD.approved_by
            OR NOT EXISTS (SELECT FROM releases r WHERE r.run_id = NEW.id AND r.run_sha256 = NEW.digest) THEN
            RAISE EXCEPTION 'the run of % is %: only an approved run is released, with its release record', NEW.period, OLD.status
                USING ERRCODE = 'check_violation';
        END IF;
    END IF;
    RETURN NEW;
END $$;

-- payout_release_insert: a release names an approved run, its digest and
-- its people, by another person than the attester.
CREATE OR REPLACE FUNCTION payout_release_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
DECLARE run runs%ROWTYPE;
BEGIN
    SELECT * INTO run FROM runs WHERE id = NEW.run_id;
    IF NOT FOUND OR run.status <> 'approved' THEN
        RAISE EXCEPTION 'the run of % is not approved: nothing is released', NEW.period USING ERRCODE = 'check_violation';
    END IF;
    IF run.period <> NEW.period OR run.digest <> NEW.run_sha256 OR run.attested_by <> NEW.attested_by
        OR run.approved_by <> NEW.approved_by THEN
        RAISE EXCEPTION 'the release of % does not name the approved run (its period, digest, attester and approver)', NEW.period
            USING ERRCODE = 'check_violation';
    END IF;
    IF lower(btrim(NEW.released_by)) = lower(btrim(run.attested_by)) THEN
        RAISE EXCEPTION '% attested the run of % and cannot also release it', run.attested_by, NEW.period
            USING ERRCODE = 'check_violation';
    END IF;
    IF EXISTS (SELECT FROM releases WHERE period > NEW.period) THEN
        RAISE EXCEPTION 'a later period than % is released', NEW.period USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- payout_released_detail: the lines, payments, files and result of a
-- released run are part of what was released. Rows inserted or deleted are
-- checked once per statement (payout_released_detail_rows), on the rows the
-- statement changed: a run stores 20 000 lines and payments at national
-- scale, many to a statement, and a check per row cost the server more than
-- the rows (0.8 s of a Norway run). An update (payout makes one only of a
-- result, when its run is recomputed or released) is checked row by row.
CREATE OR REPLACE FUNCTION payout_released_detail() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
DECLARE rid bigint;
BEGIN
    IF TG_OP = 'DELETE' THEN rid := OLD.run_id; ELSE rid := NEW.run_id; END IF;
    IF (SELECT status FROM runs WHERE runs.id = rid) = 'released'
        OR (TG_OP = 'UPDATE' AND (SELECT status FROM runs WHERE runs.id = OLD.run_id) = 'released') THEN
        RAISE EXCEPTION 'a released run is immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN RETURN OLD; END IF;
    RETURN NEW;
END $$;

-- payout_released_detail_rows: the statement's rows (its transition table,
-- changed) are of no released run.
CREATE OR REPLACE FUNCTION payout_released_detail_rows() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
BEGIN
    IF EXISTS (SELECT FROM changed c JOIN runs r ON r.id = c.run_id WHERE r.status = 'released') THEN
        RAISE EXCEPTION 'a released run is immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN NULL;
END $$;

-- payout_supplement_change: the lifecycle of a supplement (issue 13), as
-- that of a run: never changed once released; attested by the session's
-- user, approved by another, released only with its release record.
CREATE OR REPLACE FUNCTION payout_supplement_change() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
DECLARE same boolean;
BEGIN
    IF OLD.status = 'released' THEN
        RAISE EXCEPTION 'a released supplement is immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    IF TG_OP = 'DELETE' THEN
        RETURN OLD;
    END IF;
    same := NEW.period = OLD.period AND NEW.n = OLD.n AND NEW.digest = OLD.digest AND NEW.body = OLD.body
        AND NEW.input_digest = OLD.input_digest AND NEW.total = OLD.total AND NEW.computed_by = OLD.computed_by;
    IF NOT same OR NEW.status = 'computed' THEN
        RAISE EXCEPTION 'supplement % of % is computed again as a new row, never changed', NEW.n, NEW.period USING ERRCODE = 'check_violation';
    ELSIF NEW.status = 'attested' AND (OLD.status <> 'computed' OR NOT payout_is_session(NEW.attested_by)) THEN
        RAISE EXCEPTION 'supplement % of %: only a computed supplement is attested, by the session''s user', NEW.n, NEW.period USING ERRCODE = 'check_violation';
    ELSIF NEW.status = 'approved' AND (OLD.status <> 'attested' OR NEW.attested_by <> OLD.attested_by
        OR lower(btrim(NEW.approved_by)) = lower(btrim(OLD.attested_by)) OR NOT payout_is_session(NEW.approved_by)) THEN
        RAISE EXCEPTION 'supplement % of %: only an attested supplement is approved, by another person than its attester (the session''s user)', NEW.n, NEW.period
            USING ERRCODE = 'check_violation';
    ELSIF NEW.status = 'released' AND (OLD.status <> 'approved' OR NEW.attested_by <> OLD.attested_by OR NEW.approved_by <> OLD.approved_by
        OR NOT EXISTS (SELECT FROM supplement_releases r WHERE r.supplement_id = NEW.id AND r.digest = NEW.digest)) THEN
        RAISE EXCEPTION 'supplement % of %: only an approved supplement is released, with its release record', NEW.n, NEW.period USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- payout_supplement_release_insert: a supplement release names an approved
-- supplement, its digest and people, by another person than the attester.
CREATE OR REPLACE FUNCTION payout_supplement_release_insert() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
DECLARE sup supplements%ROWTYPE;
BEGIN
    SELECT * INTO sup FROM supplements WHERE id = NEW.supplement_id;
    IF NOT FOUND OR sup.status <> 'approved' OR sup.digest <> NEW.digest OR sup.period <> NEW.period OR sup.n <> NEW.n
        OR sup.attested_by <> NEW.attested_by OR sup.approved_by <> NEW.approved_by THEN
        RAISE EXCEPTION 'the release of supplement % of % does not name the approved supplement', NEW.n, NEW.period USING ERRCODE = 'check_violation';
    END IF;
    IF lower(btrim(NEW.released_by)) = lower(btrim(sup.attested_by)) THEN
        RAISE EXCEPTION '% attested supplement % of % and cannot also release it', sup.attested_by, NEW.n, NEW.period USING ERRCODE = 'check_violation';
    END IF;
    RETURN NEW;
END $$;

-- payout_supplement_detail: what a supplement pays again is replaced with
-- the supplement, never changed, and never once it is released.
CREATE OR REPLACE FUNCTION payout_supplement_detail() RETURNS trigger
LANGUAGE plpgsql SET search_path = @schema@, pg_temp AS $$
BEGIN
    IF TG_OP = 'UPDATE' OR (SELECT status FROM supplements WHERE id = OLD.supplement_id) = 'released' THEN
        RAISE EXCEPTION 'a released supplement is immutable' USING ERRCODE = 'integrity_constraint_violation';
    END IF;
    RETURN OLD;
END $$;

DO $$
DECLARE t text; msg text;
BEGIN
    -- The same sentences as SQLite's triggers (../0001_init.sql …).
    FOR t, msg IN VALUES ('imports', 'imports are append-only: their ids are the knowledge time of the inputs'),
                         ('files', 'imported files are append-only'),
                         ('file_pieces', 'imported files are append-only'),
                         ('events', 'the audit log is append-only'),
                         ('releases', 'a release is immutable'),
                         ('release_records', 'a release is immutable'),
                         ('bank_reports', 'bank reports are append-only'),
                         ('bank_report_records', 'bank reports are append-only'),
                         ('bank_open_records', 'bank reports are append-only'),
                         ('supplement_releases', 'a supplement release is immutable') LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_append_only', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE OR DELETE ON %I FOR EACH ROW EXECUTE FUNCTION payout_append_only(%L)',
            t || '_append_only', t, msg);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_no_truncate', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE TRUNCATE ON %I FOR EACH STATEMENT EXECUTE FUNCTION payout_append_only(%L)',
            t || '_no_truncate', t, msg);
    END LOOP;
    FOREACH t IN ARRAY ARRAY['run_files', 'run_lines', 'run_payments', 'run_results'] LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_released', t);
        EXECUTE format('CREATE TRIGGER %I BEFORE UPDATE ON %I FOR EACH ROW EXECUTE FUNCTION payout_released_detail()',
            t || '_released', t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_released_insert', t);
        EXECUTE format('CREATE TRIGGER %I AFTER INSERT ON %I REFERENCING NEW TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payout_released_detail_rows()',
            t || '_released_insert', t);
        EXECUTE format('DROP TRIGGER IF EXISTS %I ON %I', t || '_released_delete', t);
        EXECUTE format('CREATE TRIGGER %I AFTER DELETE ON %I REFERENCING OLD TABLE AS changed FOR EACH STATEMENT EXECUTE FUNCTION payout_released_detail_rows()',
            t || '_released_delete', t);
    END LOOP;
END $$;

DROP TRIGGER IF EXISTS runs_lifecycle ON runs;
CREATE TRIGGER runs_lifecycle BEFORE UPDATE OR DELETE ON runs FOR EACH ROW EXECUTE FUNCTION payout_run_change();
DROP TRIGGER IF EXISTS runs_no_truncate ON runs;
CREATE TRIGGER runs_no_truncate BEFORE TRUNCATE ON runs FOR EACH STATEMENT EXECUTE FUNCTION payout_append_only('runs are never truncated');
DROP TRIGGER IF EXISTS runs_computed_by ON runs;
CREATE TRIGGER runs_computed_by BEFORE INSERT ON runs FOR EACH ROW EXECUTE FUNCTION payout_identity('computed_by');
DROP TRIGGER IF EXISTS releases_lifecycle ON releases;
CREATE TRIGGER releases_lifecycle BEFORE INSERT ON releases FOR EACH ROW EXECUTE FUNCTION payout_release_insert();
DROP TRIGGER IF EXISTS releases_released_by ON releases;
CREATE TRIGGER releases_released_by BEFORE INSERT ON releases FOR EACH ROW EXECUTE FUNCTION payout_identity('released_by');
DROP TRIGGER IF EXISTS events_user ON events;
CREATE TRIGGER events_user BEFORE INSERT ON events FOR EACH ROW EXECUTE FUNCTION payout_identity('user');
DROP TRIGGER IF EXISTS bank_reports_imported_by ON bank_reports;
CREATE TRIGGER bank_reports_imported_by BEFORE INSERT ON bank_reports FOR EACH ROW EXECUTE FUNCTION payout_identity('imported_by');

DROP TRIGGER IF EXISTS supplements_lifecycle ON supplements;
CREATE TRIGGER supplements_lifecycle BEFORE UPDATE OR DELETE ON supplements FOR EACH ROW EXECUTE FUNCTION payout_supplement_change();
DROP TRIGGER IF EXISTS supplements_computed_by ON supplements;
CREATE TRIGGER supplements_computed_by BEFORE INSERT ON supplements FOR EACH ROW EXECUTE FUNCTION payout_identity('computed_by');
DROP TRIGGER IF EXISTS supplements_no_truncate ON supplements;
CREATE TRIGGER supplements_no_truncate BEFORE TRUNCATE ON supplements FOR EACH STATEMENT EXECUTE FUNCTION payout_append_only('supplements are never truncated');
DROP TRIGGER IF EXISTS supplement_payments_released ON supplement_payments;
CREATE TRIGGER supplement_payments_released BEFORE UPDATE OR DELETE ON supplement_payments FOR EACH ROW EXECUTE FUNCTION payout_supplement_detail();
DROP TRIGGER IF EXISTS supplement_payments_no_truncate ON supplement_payments;
CREATE TRIGGER supplement_payments_no_truncate BEFORE TRUNCATE ON supplement_payments FOR EACH STATEMENT EXECUTE FUNCTION payout_append_only('supplement payments are never truncated');
DROP TRIGGER IF EXISTS supplement_releases_lifecycle ON supplement_releases;
CREATE TRIGGER supplement_releases_lifecycle BEFORE INSERT ON supplement_releases FOR EACH ROW EXECUTE FUNCTION payout_supplement_release_insert();
DROP TRIGGER IF EXISTS supplement_releases_released_by ON supplement_releases;
CREATE TRIGGER supplement_releases_released_by BEFORE INSERT ON supplement_releases FOR EACH ROW EXECUTE FUNCTION payout_identity('released_by');

-- Grants: reading for every payout role, each write to the role whose
-- command makes it, and nothing to anyone else.
REVOKE ALL ON ALL TABLES IN SCHEMA @schema@ FROM PUBLIC;
GRANT USAGE ON SCHEMA @schema@ TO payout_importer, payout_preparer, payout_attester, payout_approver, payout_releaser, payout_auditor;
GRANT SELECT ON ALL TABLES IN SCHEMA @schema@ TO payout_importer, payout_preparer, payout_attester, payout_approver, payout_releaser, payout_auditor;
GRANT INSERT ON imports, files, file_pieces, events, bank_reports, bank_report_records, bank_open_records TO payout_importer;
GRANT INSERT, UPDATE ON runs TO payout_preparer;
GRANT INSERT, DELETE ON run_files, run_lines, run_payments TO payout_preparer;
GRANT INSERT, UPDATE ON run_results TO payout_preparer;
GRANT INSERT ON events TO payout_preparer;
GRANT UPDATE (status, attested_by, attested_uid, attested_at) ON runs TO payout_attester;
GRANT INSERT ON events TO payout_attester;
GRANT UPDATE (status, approved_by, approved_uid, approved_at) ON runs TO payout_approver;
GRANT INSERT ON events TO payout_approver;
GRANT UPDATE (status, result_sha256) ON runs TO payout_releaser;
GRANT UPDATE (result) ON run_results TO payout_releaser;
GRANT INSERT ON releases, release_records, events TO payout_releaser;
GRANT INSERT, DELETE ON supplements, supplement_payments TO payout_preparer;
GRANT UPDATE (status, attested_by, attested_uid, attested_at) ON supplements TO payout_attester;
GRANT UPDATE (status, approved_by, approved_uid, approved_at) ON supplements TO payout_approver;
GRANT UPDATE (status) ON supplements TO payout_releaser;
GRANT INSERT ON supplement_releases TO payout_releaser;
