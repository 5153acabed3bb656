-- Migration 0002: scheduled refresh (issue 6).
-- Tombstones for reports whose file is gone, run duration and counts, conditional feed requests.

-- When a refresh found the report's file (or its record) gone from a source it read; NULL while
-- the report is still there. Cleared when the report comes back; `refresh --prune` deletes them.
ALTER TABLE reports ADD COLUMN IF NOT EXISTS removed_at TIMESTAMP;

ALTER TABLE refresh_runs ADD COLUMN IF NOT EXISTS duration_seconds DOUBLE;
ALTER TABLE refresh_runs ADD COLUMN IF NOT EXISTS reports_removed INTEGER DEFAULT 0;      -- tombstoned this run
ALTER TABLE refresh_runs ADD COLUMN IF NOT EXISTS reports_reextracted INTEGER DEFAULT 0;  -- from reports.text, new extractor
ALTER TABLE refresh_runs ADD COLUMN IF NOT EXISTS reports_pruned INTEGER DEFAULT 0;       -- deleted by --prune

-- What the last request for each feed got back, for conditional requests next time
-- (If-None-Match / If-Modified-Since). Written in the same transaction as the feed's reports.
CREATE TABLE IF NOT EXISTS feed_state (
    feed           VARCHAR PRIMARY KEY,   -- URL or file path, as configured
    etag           VARCHAR,
    last_modified  VARCHAR,               -- the server's Last-Modified header, verbatim
    last_status    INTEGER,               -- HTTP status of the last request (0: a file; NULL: no answer)
    checked_at     TIMESTAMP NOT NULL,
    changed_at     TIMESTAMP              -- last time it answered with content
);
