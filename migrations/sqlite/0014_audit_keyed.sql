-- The audit chain is keyed (HMAC) from now on: 0 until a trail chained before is sealed
-- with the key, once, on upgrade (see store::audit::seal_with_key).
INSERT INTO change_counters (name, value) VALUES ('audit_keyed', 0);
