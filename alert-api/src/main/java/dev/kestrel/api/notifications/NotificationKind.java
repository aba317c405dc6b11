package dev.kestrel.api.notifications;

/** Why the desk notifies someone. */
public enum NotificationKind {
    /** A new alert, or one the engine escalated, reached the notifying severity. */
    ALERT_RAISED,
    /** An unresolved alert passed its SLA deadline. */
    SLA_BREACHED,
    /** A borrower's periodic review comes due (kestrel.reviews.due-notice-days ahead of the engine's date). */
    REVIEW_DUE,
    /** Steps of a collection case come due (kestrel.collections.due-notice-days ahead), or were due when it opened. */
    COLLECTION_STEPS_DUE
}
