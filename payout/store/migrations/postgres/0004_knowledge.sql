-- PostgreSQL's twin of ../0004_knowledge.sql: imports are append-only
-- (their trigger is in rules.sql with the others).
SELECT 1;
