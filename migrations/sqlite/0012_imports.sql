-- Excel imports: what a previewed file held (valid rows as the inputs the rules accepted,
-- rejected rows with their reasons) until it is imported, and after, as the record of it.
CREATE TABLE imports (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    file_name TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    created_by BIGINT NOT NULL REFERENCES users(id),
    created_at TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    valid_json TEXT NOT NULL,
    rejected_json TEXT NOT NULL,
    rows_valid BIGINT NOT NULL,
    rows_rejected BIGINT NOT NULL,
    status TEXT NOT NULL,
    imported_at TEXT,
    first_id BIGINT,
    last_id BIGINT
);
CREATE INDEX imports_creator ON imports(created_by, id);
