-- PostgreSQL's twin of ../0006_file_pieces.sql (issue 16): the pieces of a
-- large imported file after its first, in the order of n. The append-only
-- rules and grants are in rules.sql.
CREATE TABLE file_pieces (
    file_id bigint NOT NULL REFERENCES files(id),
    n       bigint NOT NULL CHECK (n >= 1),
    data    bytea NOT NULL,
    PRIMARY KEY (file_id, n)
);
