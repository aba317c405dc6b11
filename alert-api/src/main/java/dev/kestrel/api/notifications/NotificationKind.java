package dev.kestrel.api.notifications;

/** Why the desk notifies someone. */
public enum NotificationKind {
    /** A new alert, or one the engine escalated, reached the notifying severity. */
    ALERT_RAISED,
    /** An unresolved alert passed its SLA deadline. */
    SLA_BREACHED
}
