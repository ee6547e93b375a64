-- 获取日期: when the office learned of a lead (a ledger's own date when imported); existing
-- leads take the Shanghai date they were recorded.
ALTER TABLE leads ADD COLUMN received_on TEXT;
UPDATE leads SET received_on = date(created_at, '+8 hours');
