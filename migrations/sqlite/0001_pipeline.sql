-- Units, accounts, sessions, projects with their append-only history, the search index,
-- and the audit log. Dates are TEXT 'YYYY-MM-DD'; instants are TEXT RFC 3339 UTC; money is
-- BIGINT yuan with a currency code beside it.

CREATE TABLE units (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    code TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    parent_id BIGINT REFERENCES units(id),
    path TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE INDEX units_path ON units(path);

CREATE TABLE users (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    login TEXT NOT NULL UNIQUE,
    name TEXT NOT NULL,
    role TEXT NOT NULL,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    password_hash TEXT NOT NULL,
    active INTEGER NOT NULL DEFAULT 1,
    must_change_password INTEGER NOT NULL DEFAULT 0,
    created_at TEXT NOT NULL
);

CREATE TABLE sessions (
    token_hash TEXT PRIMARY KEY,
    user_id BIGINT NOT NULL REFERENCES users(id),
    created_at BIGINT NOT NULL,
    last_seen_at BIGINT NOT NULL,
    expires_at BIGINT NOT NULL
);
CREATE INDEX sessions_user ON sessions(user_id);

CREATE TABLE projects (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    name TEXT NOT NULL,
    investor_name TEXT NOT NULL,
    search_text TEXT NOT NULL,
    industry_code TEXT NOT NULL,
    channel TEXT,
    total_investment_yuan BIGINT NOT NULL,
    currency TEXT NOT NULL,
    land_area_m2 BIGINT,
    building_area_m2 BIGINT,
    expected_output_yuan BIGINT,
    expected_tax_yuan BIGINT,
    jobs BIGINT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    officer_id BIGINT REFERENCES users(id),
    leader_id BIGINT REFERENCES users(id),
    referrer TEXT,
    notes TEXT,
    stage TEXT NOT NULL,
    paused_from TEXT,
    stage_since TEXT NOT NULL,
    lead_on TEXT NOT NULL,
    intent_on TEXT,
    contracted_on TEXT,
    contract_amount_yuan BIGINT,
    contract_currency TEXT,
    landed_on TEXT,
    credit_code TEXT,
    land_grant_date TEXT,
    construction_on TEXT,
    production_on TEXT,
    at_capacity_on TEXT,
    last_progress_on TEXT NOT NULL,
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
-- The list's filters and sorts; the covering index serves the counts and sums of a unit's set.
CREATE INDEX projects_unit_totals ON projects(unit_id, stage, currency, total_investment_yuan);
CREATE INDEX projects_stage ON projects(stage, unit_id);
CREATE INDEX projects_updated ON projects(updated_at);
CREATE INDEX projects_investment ON projects(total_investment_yuan);
CREATE INDEX projects_industry ON projects(industry_code);
CREATE INDEX projects_lead_on ON projects(lead_on);
CREATE INDEX projects_contracted_on ON projects(contracted_on);
CREATE INDEX projects_construction_on ON projects(construction_on);
CREATE INDEX projects_production_on ON projects(production_on);
CREATE INDEX projects_last_progress ON projects(last_progress_on);

-- Append-only: the application never updates or deletes a row here.
CREATE TABLE project_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    kind TEXT NOT NULL,
    from_stage TEXT,
    to_stage TEXT,
    effective_date TEXT NOT NULL,
    body TEXT,
    facts TEXT,
    actor_id BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX project_events_project ON project_events(project_id, effective_date, id);
CREATE INDEX project_events_stage ON project_events(to_stage, effective_date);

CREATE TABLE project_grams (
    gram BIGINT NOT NULL,
    project_id BIGINT NOT NULL,
    PRIMARY KEY (gram, project_id)
) WITHOUT ROWID;
CREATE INDEX project_grams_project ON project_grams(project_id);

CREATE TABLE audit_log (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    actor_id BIGINT,
    actor_login TEXT,
    action TEXT NOT NULL,
    entity TEXT NOT NULL,
    entity_id TEXT,
    before_json TEXT,
    after_json TEXT,
    client_addr TEXT
);
CREATE INDEX audit_log_entity ON audit_log(entity, entity_id);
