package dev.kestrel.api.alerts;

/** What a person can do to an alert. */
public enum WorkflowAction {
    ASSIGN, ACKNOWLEDGE, COMMENT, ESCALATE, RESOLVE
}
