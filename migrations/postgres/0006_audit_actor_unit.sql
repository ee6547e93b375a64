-- The unit the acting account belonged to when it acted. Entries written before this carry
-- none, and their hashes stay as they were (the unit enters the hash only when present).
ALTER TABLE audit_log ADD COLUMN actor_unit_id BIGINT;
