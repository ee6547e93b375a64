-- The date a project first entered 在谈, kept like the other first-entry dates so the stage bar
-- shows it; projects moved before this column existed take it from their history.
ALTER TABLE projects ADD COLUMN negotiating_on TEXT;
UPDATE projects SET negotiating_on = (
    SELECT MIN(e.effective_date) FROM project_events e
    WHERE e.project_id = projects.id AND e.to_stage = 'negotiating'
);
