-- A unit with no active records can be retired: it stays in the tree (history refers to it)
-- but takes no new accounts.
ALTER TABLE units ADD COLUMN retired_at TEXT;
