-- Lists now filter, sort, count and search in memory (store::list_index), so the list indexes
-- and the search grams go; what remains is what keeps that copy in step: a change number on
-- every project row, taken from a counter by each write.

DROP TABLE project_grams;
DROP INDEX projects_unit_totals;
DROP INDEX projects_stage;
DROP INDEX projects_updated;
DROP INDEX projects_investment;
DROP INDEX projects_industry;
DROP INDEX projects_lead_on;
DROP INDEX projects_contracted_on;
DROP INDEX projects_construction_on;
DROP INDEX projects_production_on;
DROP INDEX projects_last_progress;

-- One row per kind of record whose changes in-memory copies follow; every write to such a
-- record takes the next value (and so waits for any other writer to commit first).
CREATE TABLE change_counters (
    name TEXT PRIMARY KEY,
    value BIGINT NOT NULL
);
-- Projects written before this migration all carry change 1.
INSERT INTO change_counters (name, value) VALUES ('projects', 1);

ALTER TABLE projects ADD COLUMN change_seq BIGINT NOT NULL DEFAULT 1;
CREATE INDEX projects_change_seq ON projects(change_seq);
CREATE INDEX projects_unit ON projects(unit_id);
