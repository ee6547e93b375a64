-- The 客商库: investors with their contacts. A record belongs to the unit that keeps it; a
-- merged record stays (history points at it) and names the record it was merged into.
CREATE TABLE investors (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    -- Names that differ only in width, brackets, spaces or company-form suffix share a key.
    name_key TEXT NOT NULL,
    credit_code TEXT,
    kind TEXT NOT NULL,
    country TEXT NOT NULL,
    origin_city TEXT,
    fortune_global_500 BIGINT NOT NULL DEFAULT 0,
    fortune_china_500 BIGINT NOT NULL DEFAULT 0,
    listed BIGINT NOT NULL DEFAULT 0,
    industry_code TEXT,
    website TEXT,
    notes TEXT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    merged_into BIGINT REFERENCES investors(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- One live record per credit code; merged records keep theirs for history.
CREATE UNIQUE INDEX investors_credit_code ON investors(credit_code)
    WHERE credit_code IS NOT NULL AND merged_into IS NULL;
CREATE INDEX investors_name_key ON investors(name_key);
CREATE INDEX investors_unit ON investors(unit_id);

CREATE TABLE investor_contacts (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    investor_id BIGINT NOT NULL REFERENCES investors(id),
    position BIGINT NOT NULL,
    name TEXT NOT NULL,
    title TEXT,
    phone TEXT,
    email TEXT,
    wechat TEXT
);
CREATE INDEX investor_contacts_investor ON investor_contacts(investor_id, position);

-- A project may name its investor record; an enterprise account is the investor it speaks for.
ALTER TABLE projects ADD COLUMN investor_id BIGINT REFERENCES investors(id);
CREATE INDEX projects_investor ON projects(investor_id);
ALTER TABLE users ADD COLUMN investor_id BIGINT REFERENCES investors(id);
