-- The rows of an uploaded file left out of the import (a title above the table, blank rows,
-- footer notes below it), with why: the preview says so.
ALTER TABLE imports ADD COLUMN ignored_json TEXT NOT NULL DEFAULT '[]';
