-- An investor's intended investment (意向投资), kept with its currency.
ALTER TABLE investors ADD COLUMN intended_investment_yuan BIGINT;
ALTER TABLE investors ADD COLUMN intended_currency TEXT;
-- Every row of a previewed file as read: its status (valid, duplicate, error), its values as
-- the rules understood them, and what is wrong or doubtful, so the preview can be paged.
CREATE TABLE import_rows (
    import_id BIGINT NOT NULL REFERENCES imports(id),
    row_no BIGINT NOT NULL,
    status TEXT NOT NULL,
    values_json TEXT NOT NULL,
    problems_json TEXT NOT NULL,
    PRIMARY KEY (import_id, row_no)
);
CREATE INDEX import_rows_status ON import_rows(import_id, status, row_no);
-- Probable duplicates are kept apart from the valid rows until the user confirms them, and the
-- import records how many rows it wrote.
ALTER TABLE imports ADD COLUMN rows_duplicate BIGINT NOT NULL DEFAULT 0;
ALTER TABLE imports ADD COLUMN rows_imported BIGINT;
