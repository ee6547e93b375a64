-- Referrers (引荐人): people or organisations who bring projects; rewarded by a rule in
-- configuration. A project may name its referrer record (the free-text name stays).
CREATE TABLE referrers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    name TEXT NOT NULL,
    affiliation TEXT,
    contact TEXT,
    notes TEXT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX referrers_unit ON referrers(unit_id);
ALTER TABLE projects ADD COLUMN referrer_id BIGINT REFERENCES referrers(id);
CREATE INDEX projects_referrer ON projects(referrer_id);
