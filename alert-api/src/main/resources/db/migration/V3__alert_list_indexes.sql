-- Each order the alert list offers, with the insertion sequence as tie-breaker, as an index: a page is then a short
-- index range, not a sort of every alert. Without them the default list (newest received first) sorted the whole
-- table; over 1,000,000 alerts at 500 requests/s the database could not keep up (./kestrel bench api,
-- docs/benchmarks.md).
CREATE INDEX alert_received ON alert (received_at DESC, seq DESC);
CREATE INDEX alert_started ON alert (episode_started_at DESC, seq DESC);
CREATE INDEX alert_severity_order ON alert (severity_rank DESC, seq DESC);
CREATE INDEX alert_sla ON alert (sla_due_at, seq);
-- The filters the desk uses most, in the default order.
CREATE INDEX alert_status_received ON alert (status, received_at DESC, seq DESC);
CREATE INDEX alert_assignee_received ON alert (assignee, received_at DESC, seq DESC);
CREATE INDEX alert_borrower_received ON alert (borrower_id, received_at DESC, seq DESC);
DROP INDEX alert_assignee;
DROP INDEX alert_borrower;
