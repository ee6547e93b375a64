-- Visits out (走出去) and in (请进来), with our participants and a follow-up date.
CREATE TABLE visits (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    direction TEXT NOT NULL,
    visit_date TEXT NOT NULL,
    place TEXT NOT NULL,
    investor_id BIGINT REFERENCES investors(id),
    investor_side TEXT NOT NULL,
    leader_id BIGINT REFERENCES users(id),
    purpose TEXT NOT NULL,
    outcome TEXT,
    next_step TEXT,
    follow_up_on TEXT,
    follow_up_done_at TEXT,
    unit_id BIGINT NOT NULL REFERENCES units(id),
    version BIGINT NOT NULL DEFAULT 1,
    created_by BIGINT REFERENCES users(id),
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX visits_unit ON visits(unit_id, visit_date);
CREATE INDEX visits_follow_up ON visits(follow_up_on) WHERE follow_up_done_at IS NULL;
CREATE INDEX visits_investor ON visits(investor_id);

CREATE TABLE visit_participants (
    visit_id BIGINT NOT NULL REFERENCES visits(id),
    user_id BIGINT NOT NULL REFERENCES users(id),
    PRIMARY KEY (visit_id, user_id)
);
CREATE INDEX visit_participants_user ON visit_participants(user_id);
