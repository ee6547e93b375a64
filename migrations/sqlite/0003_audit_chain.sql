-- The audit log becomes a hash chain: each entry carries the hash of the one before it and its
-- own hash over its content and that link, so that editing or deleting any entry is detected
-- (`zhaoshang audit verify`). The counter counts entries (a deleted last entry shows as a
-- shortfall) and its row lock keeps appends in a single line.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT;
ALTER TABLE audit_log ADD COLUMN hash TEXT;
INSERT INTO change_counters (name, value) VALUES ('audit', 0);
