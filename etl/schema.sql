-- The database contract (DESIGN.md "Public contract: the database"): the full schema, to read.
-- The database is built and upgraded by the numbered migrations in etl/migrations/ (recorded in
-- `schema_version`, one row per migration applied); this file is what they add up to, and
-- tests/test_schema_and_reference.py checks that they agree. A schema change is a new
-- migration plus the same change here (new columns go last: ALTER TABLE appends them).
-- Column meanings: ../CODEBOOK.md and etl/models.py.

CREATE TABLE IF NOT EXISTS schema_version (
    version     INTEGER NOT NULL,
    applied_at  TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS reports (
    report_id          VARCHAR PRIMARY KEY,   -- hash of the normalised title and text
    source             VARCHAR,
    url                VARCHAR,
    title              VARCHAR,
    published          DATE NOT NULL,
    path               VARCHAR,               -- file it was read from
    source_key         VARCHAR,               -- path + record key: a changed report there replaces this one
    reader             VARCHAR,               -- text | html | json | csv
    sha256             VARCHAR NOT NULL,      -- of the stored text
    text               VARCHAR NOT NULL,
    ingested_at        TIMESTAMP NOT NULL,
    extractor_version  VARCHAR NOT NULL,
    n_observations     INTEGER NOT NULL,
    removed_at         TIMESTAMP              -- gone from its source (tombstone); NULL while present
);

CREATE TABLE IF NOT EXISTS observations (
    observation_id        VARCHAR PRIMARY KEY,
    report_id             VARCHAR NOT NULL,
    indicator             VARCHAR NOT NULL,
    change                VARCHAR NOT NULL,
    actor                 VARCHAR NOT NULL,
    counterpart           VARCHAR,
    manner                VARCHAR,
    place_id              VARCHAR,
    place_name            VARCHAR,
    admin1                VARCHAR,
    country               VARCHAR,
    latitude              DOUBLE,
    longitude             DOUBLE,
    place_precision       VARCHAR,               -- town | district | admin1 | country
    origin_place_id       VARCHAR,
    destination_place_id  VARCHAR,
    origin_name           VARCHAR,
    destination_name      VARCHAR,
    date_start            DATE,
    date_end              DATE,
    date_precision        VARCHAR,               -- day | week | month | year
    quantity_low          INTEGER,
    quantity_high         INTEGER,
    unit                  VARCHAR,
    hedged                BOOLEAN NOT NULL,
    negated               BOOLEAN NOT NULL,
    attribution           VARCHAR,
    sentence              VARCHAR NOT NULL,
    span_start            INTEGER NOT NULL,      -- sentence span in reports.text
    span_end              INTEGER NOT NULL,
    trigger               VARCHAR NOT NULL,      -- the words that triggered it
    trigger_start         INTEGER NOT NULL,      -- trigger span in reports.text
    trigger_end           INTEGER NOT NULL,
    confidence            DOUBLE NOT NULL,
    extractor_version     VARCHAR NOT NULL
);

-- v1: one event per observation; issue 7 merges observations of one happening.
CREATE TABLE IF NOT EXISTS events (
    event_id          VARCHAR PRIMARY KEY,
    indicator         VARCHAR NOT NULL,
    change            VARCHAR NOT NULL,
    actor             VARCHAR NOT NULL,
    counterpart       VARCHAR,
    place_id          VARCHAR,
    place_name        VARCHAR,
    admin1            VARCHAR,
    place_precision   VARCHAR,
    latitude          DOUBLE,
    longitude         DOUBLE,
    date_start        DATE,
    date_end          DATE,
    date_precision    VARCHAR,
    quantity_best     INTEGER,
    quantity_low      INTEGER,
    quantity_high     INTEGER,
    hedged            BOOLEAN NOT NULL,
    negated           BOOLEAN NOT NULL,
    n_reports         INTEGER NOT NULL,
    n_sources         INTEGER NOT NULL,
    first_reported    DATE,
    last_reported     DATE,
    is_summary        BOOLEAN,   -- a province-level or multi-week tally: kept apart from town series
    corroboration     VARCHAR,   -- single source | several sources | contested
    n_observations    INTEGER,
    confidence        DOUBLE,    -- the best confidence among its observations
    country           VARCHAR
);

CREATE TABLE IF NOT EXISTS event_observations (
    event_id        VARCHAR NOT NULL,
    observation_id  VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS places (
    place_id    VARCHAR PRIMARY KEY,
    name        VARCHAR NOT NULL,
    admin1      VARCHAR,
    admin2      VARCHAR,
    country     VARCHAR NOT NULL,
    latitude    DOUBLE,
    longitude   DOUBLE,
    kind        VARCHAR NOT NULL,    -- town | landmark | district | admin1 | country
    population  INTEGER,
    source      VARCHAR              -- geonames | curated | reference
);

CREATE TABLE IF NOT EXISTS place_aliases (
    place_id    VARCHAR NOT NULL,
    alias       VARCHAR NOT NULL,
    language    VARCHAR NOT NULL     -- en (Latin script) | ar (Arabic script)
);

CREATE TABLE IF NOT EXISTS unresolved_places (
    report_id   VARCHAR NOT NULL,
    name        VARCHAR NOT NULL,
    sentence    VARCHAR NOT NULL
);

CREATE TABLE IF NOT EXISTS refresh_runs (
    run_id               VARCHAR PRIMARY KEY,
    started_at           TIMESTAMP NOT NULL,
    finished_at          TIMESTAMP,
    status               VARCHAR NOT NULL,   -- ok | failed
    reports_seen         INTEGER NOT NULL,
    reports_new          INTEGER NOT NULL,
    reports_unchanged    INTEGER NOT NULL,
    reports_replaced     INTEGER NOT NULL,
    reports_failed       INTEGER NOT NULL,   -- rejected inputs
    observations_added   INTEGER NOT NULL,
    extractor_version    VARCHAR NOT NULL,
    error                VARCHAR,
    duration_seconds     DOUBLE,
    reports_removed      INTEGER DEFAULT 0,   -- tombstoned this run
    reports_reextracted  INTEGER DEFAULT 0,   -- re-extracted from reports.text (new extractor, --reextract)
    reports_pruned       INTEGER DEFAULT 0,   -- deleted by --prune
    events_rebuilt       INTEGER DEFAULT 0,   -- events written for the groups the run touched
    unresolved_names     INTEGER DEFAULT 0    -- place names in new reports that nothing resolved
);

CREATE TABLE IF NOT EXISTS rejected_inputs (
    run_id       VARCHAR NOT NULL,
    path         VARCHAR NOT NULL,
    record       VARCHAR NOT NULL,   -- record key within the file ("" for a whole file)
    reason       VARCHAR NOT NULL,   -- short, stable: "no report date", "empty", "binary", ...
    detail       VARCHAR,
    rejected_at  TIMESTAMP NOT NULL
);

CREATE TABLE IF NOT EXISTS feed_state (
    feed           VARCHAR PRIMARY KEY,   -- URL or file path, as configured
    etag           VARCHAR,
    last_modified  VARCHAR,               -- the server's Last-Modified header, verbatim
    last_status    INTEGER,               -- HTTP status of the last request (0: a file; NULL: no answer)
    checked_at     TIMESTAMP NOT NULL,
    changed_at     TIMESTAMP              -- last time it answered with content
);

-- Files already read (size and times), so that a refresh skips the unchanged ones unread.
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
