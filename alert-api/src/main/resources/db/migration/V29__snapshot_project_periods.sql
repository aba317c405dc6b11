-- The engine's forecast against actuals of a project company (BorrowerRiskSnapshot v6): each started period of the
-- base case with its revenue and the receipts counted, in the project's currency, and the base case they come from.
-- Empty for any other borrower.
ALTER TABLE borrower_snapshot ADD COLUMN project_periods jsonb NOT NULL DEFAULT '[]';
ALTER TABLE borrower_snapshot ADD COLUMN project_currency text;
ALTER TABLE borrower_snapshot ADD COLUMN project_forecast_id text;
