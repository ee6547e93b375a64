-- Promotion events (推介会, 洽谈会, 恳谈会, 展会), the investors met there and the projects signed.
CREATE TABLE promotion_events (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    kind TEXT NOT NULL,
    title TEXT NOT NULL,
    held_on TEXT NOT NULL,
    city TEXT NOT NULL,
    organiser TEXT,
    delegation TEXT,
    notes TEXT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX promotion_events_unit ON promotion_events(unit_id, held_on);

CREATE TABLE event_investors (
    event_id BIGINT NOT NULL REFERENCES promotion_events(id),
    investor_id BIGINT NOT NULL REFERENCES investors(id),
    PRIMARY KEY (event_id, investor_id)
);
CREATE INDEX event_investors_investor ON event_investors(investor_id);

-- A project signed at the event, with the amount signed there.
CREATE TABLE event_signings (
    event_id BIGINT NOT NULL REFERENCES promotion_events(id),
    project_id BIGINT NOT NULL REFERENCES projects(id),
    amount_yuan BIGINT NOT NULL,
    currency TEXT NOT NULL,
    PRIMARY KEY (event_id, project_id)
);
CREATE INDEX event_signings_project ON event_signings(project_id);
