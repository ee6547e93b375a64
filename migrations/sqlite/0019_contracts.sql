-- Contract performance: the terms a signed project agreed to (append-only: a correction or a
-- supplementary agreement is a new row, dated from when it applies), capital increases, funds
-- arrived and delays, each dated, so every figure can be computed as of any date.
CREATE TABLE contract_terms (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    effective_from TEXT NOT NULL,
    start_deadline TEXT NOT NULL,
    production_deadline TEXT NOT NULL,
    intensity_yuan_per_m2 BIGINT,
    tax_yuan_per_mu BIGINT,
    land_area_m2 BIGINT,
    land_price_yuan BIGINT,
    land_price_currency TEXT,
    incentives_json TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX contract_terms_project ON contract_terms(project_id, effective_from, id);
CREATE TABLE capital_increases (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    on_date TEXT NOT NULL,
    amount_yuan BIGINT NOT NULL,
    currency TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX capital_increases_project ON capital_increases(project_id, on_date);
CREATE TABLE funds_arrived (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    on_date TEXT NOT NULL,
    amount_yuan BIGINT NOT NULL,
    currency TEXT NOT NULL,
    source TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX funds_arrived_project ON funds_arrived(project_id, on_date);
CREATE TABLE project_delays (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    project_id BIGINT NOT NULL REFERENCES projects(id),
    from_date TEXT NOT NULL,
    to_date TEXT NOT NULL,
    reason TEXT NOT NULL,
    recorded_by BIGINT REFERENCES users(id),
    recorded_at TEXT NOT NULL
);
CREATE INDEX project_delays_project ON project_delays(project_id, from_date);
