package dev.kestrel.api.alerts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.util.EnumMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The whole workflow table, every status against every action: what is allowed, and where it leads. */
class WorkflowTableTest {
    private static final Map<AlertStatus, Map<WorkflowAction, AlertStatus>> ALLOWED = new EnumMap<>(AlertStatus.class);

    static {
        allow(AlertStatus.NEW, WorkflowAction.ASSIGN, AlertStatus.ASSIGNED);
        allow(AlertStatus.NEW, WorkflowAction.ACKNOWLEDGE, AlertStatus.ACKNOWLEDGED);
        allow(AlertStatus.NEW, WorkflowAction.ESCALATE, AlertStatus.ESCALATED);
        allow(AlertStatus.NEW, WorkflowAction.COMMENT, AlertStatus.NEW);
        allow(AlertStatus.ASSIGNED, WorkflowAction.ASSIGN, AlertStatus.ASSIGNED);
        allow(AlertStatus.ASSIGNED, WorkflowAction.ACKNOWLEDGE, AlertStatus.ACKNOWLEDGED);
        allow(AlertStatus.ASSIGNED, WorkflowAction.ESCALATE, AlertStatus.ESCALATED);
        allow(AlertStatus.ASSIGNED, WorkflowAction.COMMENT, AlertStatus.ASSIGNED);
        allow(AlertStatus.ACKNOWLEDGED, WorkflowAction.ASSIGN, AlertStatus.ASSIGNED);
        allow(AlertStatus.ACKNOWLEDGED, WorkflowAction.ESCALATE, AlertStatus.ESCALATED);
        allow(AlertStatus.ACKNOWLEDGED, WorkflowAction.RESOLVE, AlertStatus.RESOLVED);
        allow(AlertStatus.ACKNOWLEDGED, WorkflowAction.COMMENT, AlertStatus.ACKNOWLEDGED);
        allow(AlertStatus.ESCALATED, WorkflowAction.ASSIGN, AlertStatus.ESCALATED);
        allow(AlertStatus.ESCALATED, WorkflowAction.RESOLVE, AlertStatus.RESOLVED);
        allow(AlertStatus.ESCALATED, WorkflowAction.COMMENT, AlertStatus.ESCALATED);
        allow(AlertStatus.RESOLVED, WorkflowAction.COMMENT, AlertStatus.RESOLVED);
    }

    private static void allow(AlertStatus from, WorkflowAction action, AlertStatus to) {
        ALLOWED.computeIfAbsent(from, f -> new EnumMap<>(WorkflowAction.class)).put(action, to);
    }

    @Test
    void everyStatusAndActionBehavesAsTheTableSays() {
        int refused = 0;
        for (AlertStatus from : AlertStatus.values()) {
            for (WorkflowAction action : WorkflowAction.values()) {
                AlertStatus expected = ALLOWED.getOrDefault(from, Map.of()).get(action);
                try {
                    AlertStatus next = Workflow.next(from, action);
                    if (expected == null) {
                        fail(action + " from " + from + " should be refused but led to " + next);
                    }
                    assertThat(next).as(action + " from " + from).isEqualTo(expected);
                } catch (Workflow.InvalidTransition e) {
                    assertThat(expected).as(action + " from " + from + " was refused: " + e.getMessage()).isNull();
                    assertThat(e.getMessage()).startsWith("cannot " + action.name().toLowerCase() + " an alert that is " + from);
                    refused++;
                }
            }
        }
        assertThat(refused).isEqualTo(AlertStatus.values().length * WorkflowAction.values().length - 16);
    }
}
