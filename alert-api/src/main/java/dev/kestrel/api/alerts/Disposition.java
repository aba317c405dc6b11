package dev.kestrel.api.alerts;

/** How the desk closed an alert: what was done about the risk. */
public enum Disposition {
    FALSE_POSITIVE, KEEP_MONITORING, RESTRUCTURE, LIMIT_FROZEN, LEGAL_ACTION, WRITTEN_OFF
}
