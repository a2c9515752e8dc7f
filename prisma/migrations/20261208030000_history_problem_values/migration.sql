-- The values of a history import problem's copy (customer, order, currency...), so the report
-- reads in the staff member's language; `detail` stays the English text for older rows.
ALTER TABLE "HistoryImportProblem" ADD COLUMN "copyValues" JSONB;
