-- An import's valid rows live beside the import, not in its row: marking the import done then
-- touches a few bytes instead of rewriting tens of megabytes (SQLite rewrites a whole row).
CREATE TABLE import_payloads (
    import_id INTEGER PRIMARY KEY REFERENCES imports(id),
    valid_json TEXT NOT NULL
);
INSERT INTO import_payloads (import_id, valid_json) SELECT id, valid_json FROM imports;
ALTER TABLE imports DROP COLUMN valid_json;
