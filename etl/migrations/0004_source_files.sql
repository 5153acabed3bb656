-- Migration 0004: the files a refresh has read, by size and times (issue 8: "Fast at a million").
-- The next refresh takes a file whose size, mtime and ctime are unchanged as read again without
-- opening it: the reports it gave last time are seen. Only files whose every record became a
-- report are kept here (a file with a rejected input is read again each run, and rejected again).
-- One row per report record of the file.
CREATE TABLE IF NOT EXISTS source_files (
    path        VARCHAR NOT NULL,   -- the file, as the walk of its source named it
    size        BIGINT NOT NULL,    -- st_size when it was read
    mtime_ns    BIGINT NOT NULL,    -- st_mtime_ns when it was read
    ctime_ns    BIGINT NOT NULL,    -- st_ctime_ns when it was read
    read_with   VARCHAR NOT NULL,   -- reader version and options (CSV column mapping, date format)
    source_key  VARCHAR NOT NULL,   -- the record's reports.source_key
    report_id   VARCHAR NOT NULL,   -- the report the record gave
    record      INTEGER NOT NULL    -- the record's position among the file's reports (from 0)
);
