package dev.kestrel.api.alerts;

import static dev.kestrel.api.alerts.AlertStatus.ACKNOWLEDGED;
import static dev.kestrel.api.alerts.AlertStatus.ASSIGNED;
import static dev.kestrel.api.alerts.AlertStatus.ESCALATED;
import static dev.kestrel.api.alerts.AlertStatus.NEW;
import static dev.kestrel.api.alerts.AlertStatus.RESOLVED;

/**
 * The desk's workflow as one table. An alert is acknowledged before it is resolved, so every resolution has an owner
 * who looked at it; a resolved alert is final for people (the engine reopens it if the risk gets worse).
 *
 * <pre>
 *   NEW ──assign──▶ ASSIGNED ──acknowledge──▶ ACKNOWLEDGED ──resolve──▶ RESOLVED
 *    │                  ▲ reassign                 │                     ▲
 *    └──acknowledge─────┼──────────────────────────┘                     │
 *   NEW, ASSIGNED, ACKNOWLEDGED ──escalate──▶ ESCALATED ──resolve────────┘
 * </pre>
 */
public final class Workflow {
    private Workflow() {}

    /** The status after the action, or why the action is not allowed now. */
    public static AlertStatus next(AlertStatus from, WorkflowAction action) throws InvalidTransition {
        if (action == WorkflowAction.COMMENT) {
            return from; // a note can be added at any time, even after resolution
        }
        if (from == RESOLVED) {
            throw new InvalidTransition(action, from, "the alert is resolved; add a comment instead");
        }
        return switch (action) {
            case ASSIGN -> from == ESCALATED ? ESCALATED : ASSIGNED;
            case ACKNOWLEDGE -> switch (from) {
                case NEW, ASSIGNED -> ACKNOWLEDGED;
                default -> throw new InvalidTransition(action, from, "it is already being handled");
            };
            case ESCALATE -> {
                if (from == ESCALATED) {
                    throw new InvalidTransition(action, from, "it is already escalated");
                }
                yield ESCALATED;
            }
            case RESOLVE -> switch (from) {
                case ACKNOWLEDGED, ESCALATED -> RESOLVED;
                default -> throw new InvalidTransition(action, from, "acknowledge it first");
            };
            case COMMENT -> from;
        };
    }

    /** An action that the alert's status does not allow; the API answers 409 with the message. */
    public static final class InvalidTransition extends Exception {
        InvalidTransition(WorkflowAction action, AlertStatus from, String why) {
            super("cannot " + action.name().toLowerCase() + " an alert that is " + from + ": " + why);
        }
    }
}
