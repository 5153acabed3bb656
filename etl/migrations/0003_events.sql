-- Migration 0003: events merge observations of one happening across reports (issue 7).
-- Summary tallies (province-level, or spans of more than two weeks) are flagged so town
-- series never add them to the town events they restate; corroboration grades the sources.
ALTER TABLE events ADD COLUMN IF NOT EXISTS is_summary BOOLEAN;
ALTER TABLE events ADD COLUMN IF NOT EXISTS corroboration VARCHAR;
ALTER TABLE events ADD COLUMN IF NOT EXISTS n_observations INTEGER;
ALTER TABLE events ADD COLUMN IF NOT EXISTS confidence DOUBLE;
ALTER TABLE events ADD COLUMN IF NOT EXISTS country VARCHAR;
ALTER TABLE refresh_runs ADD COLUMN IF NOT EXISTS events_rebuilt INTEGER DEFAULT 0;
ALTER TABLE refresh_runs ADD COLUMN IF NOT EXISTS unresolved_names INTEGER DEFAULT 0;
