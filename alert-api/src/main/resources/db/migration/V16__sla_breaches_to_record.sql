-- SlaWatch looks every minute for unresolved alerts whose missed deadline is not recorded yet. Indexed over every
-- unresolved alert (V14), each look walked all the breaches already recorded; indexed over those still to record, it
-- reads only them.
DROP INDEX alert_sla_unresolved;
CREATE INDEX alert_sla_to_record ON alert (sla_due_at)
    WHERE status <> 'RESOLVED' AND sla_breach_notified_for IS DISTINCT FROM sla_due_at;
