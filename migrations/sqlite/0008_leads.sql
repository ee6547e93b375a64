-- Leads (招商线索): tips from anyone with a business role, assigned by a leader to a unit and
-- officer, followed up, then dropped or converted into a project (which the lead keeps).
CREATE TABLE leads (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    title TEXT NOT NULL,
    investor_name TEXT NOT NULL,
    investor_id BIGINT REFERENCES investors(id),
    industry_code TEXT,
    amount_yuan BIGINT,
    currency TEXT,
    channel TEXT,
    source TEXT,
    contact TEXT,
    notes TEXT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    officer_id BIGINT REFERENCES users(id),
    status TEXT NOT NULL,
    drop_reason TEXT,
    project_id BIGINT REFERENCES projects(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX leads_unit ON leads(unit_id, status);
CREATE INDEX leads_creator ON leads(created_by);
CREATE INDEX leads_project ON leads(project_id);

-- Follow-ups of a lead, append-only.
CREATE TABLE lead_notes (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    lead_id BIGINT NOT NULL REFERENCES leads(id),
    body TEXT NOT NULL,
    noted_on TEXT NOT NULL,
    actor_id BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX lead_notes_lead ON lead_notes(lead_id, id);
