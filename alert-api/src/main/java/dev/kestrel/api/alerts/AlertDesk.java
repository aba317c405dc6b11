package dev.kestrel.api.alerts;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.ownership.Portfolio;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.security.UserRepository;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.Sql;
import io.micronaut.http.HttpStatus;
import io.micronaut.security.authentication.Authentication;
import jakarta.inject.Singleton;
import java.sql.PreparedStatement;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The desk's actions on an alert. Each runs in one transaction: lock the row, check the caller's version (optimistic
 * concurrency: two people acting on what they both saw, only the first wins), check the workflow, change the row,
 * write the history and the audit row; then publish the change to the live stream.
 */
@Singleton
public final class AlertDesk {
    private final Database database;
    private final AlertRepository alerts;
    private final UserRepository users;
    private final AuditLog audit;
    private final AlertStream stream;
    private final Portfolio portfolio;
    private final Clock clock;

    AlertDesk(Database database, AlertRepository alerts, UserRepository users, AuditLog audit, AlertStream stream,
              Portfolio portfolio, Clock clock) {
        this.database = database;
        this.portfolio = portfolio;
        this.alerts = alerts;
        this.users = users;
        this.audit = audit;
        this.stream = stream;
        this.clock = clock;
    }

    public AlertView assign(String alertId, int expectedVersion, Authentication user, WorkflowRequests.Assign request) {
        if (!users.mayWorkAlerts(request.assignee())) {
            throw ApiException.badRequest("'" + request.assignee() + "' is not an active analyst or supervisor");
        }
        return change(alertId, expectedVersion, user, WorkflowAction.ASSIGN, request.assignee(), null, request.note());
    }

    public AlertView acknowledge(String alertId, int expectedVersion, Authentication user, WorkflowRequests.Acknowledge request) {
        return change(alertId, expectedVersion, user, WorkflowAction.ACKNOWLEDGE, null, null, request.note());
    }

    public AlertView escalate(String alertId, int expectedVersion, Authentication user, WorkflowRequests.Escalate request) {
        return change(alertId, expectedVersion, user, WorkflowAction.ESCALATE, null, null, request.note());
    }

    public AlertView resolve(String alertId, int expectedVersion, Authentication user, WorkflowRequests.Resolve request) {
        return change(alertId, expectedVersion, user, WorkflowAction.RESOLVE, null, request.disposition(), request.note());
    }

    /** Comments do not change the alert, so they need no version: two people may comment at once. */
    public AlertDetail.Comment comment(String alertId, Authentication user, WorkflowRequests.Comment request) {
        Instant now = clock.instant();
        return database.inTransaction(connection -> {
            AlertView current = alerts.lock(connection, alertId).orElseThrow(() -> ApiException.notFound("alert " + alertId));
            if (!Roles.has(user, Roles.SUPERVISOR) && !user.getName().equals(current.assignee())
                    && !portfolio.covers(connection, user.getName(), current.borrowerId(), current.groupId(), now)) {
                throw outsidePortfolio(current, "comment on");
            }
            long id;
            try (PreparedStatement insert = connection.prepareStatement(
                    "INSERT INTO alert_comment (alert_id, at, author, body) VALUES (?, ?, ?, ?) RETURNING id")) {
                insert.setObject(1, alertId);
                insert.setTimestamp(2, Sql.timestamp(now));
                insert.setString(3, user.getName());
                insert.setString(4, request.body());
                try (var row = insert.executeQuery()) {
                    row.next();
                    id = row.getLong(1);
                }
            }
            AlertHistory.append(connection, alertId, now, user.getName(), WorkflowAction.COMMENT.name(), current.status(),
                    current.status(), request.body());
            audit.record(connection, now, user.getName(), "ALERT_COMMENT", "alert", alertId.toString(), null,
                    Map.of("commentId", id, "body", request.body()));
            return new AlertDetail.Comment(id, now, user.getName(), request.body());
        });
    }

    private AlertView change(String alertId, int expectedVersion, Authentication user, WorkflowAction action,
                             String assignee, Disposition disposition, String note) {
        Instant now = clock.instant();
        AlertView changed = database.inTransaction(connection -> {
            AlertView before = alerts.lock(connection, alertId).orElseThrow(() -> ApiException.notFound("alert " + alertId));
            if (before.version() != expectedVersion) {
                throw new ApiException(HttpStatus.PRECONDITION_FAILED, "the alert changed since you read it: it is at version "
                        + before.version() + ", your If-Match says " + expectedVersion + "; reload it and try again");
            }
            boolean supervisor = Roles.has(user, Roles.SUPERVISOR);
            if (!supervisor && before.assignee() != null && !before.assignee().equals(user.getName())) {
                throw new ApiException(HttpStatus.FORBIDDEN, "the alert is assigned to " + before.assignee()
                        + "; only they or a supervisor can " + action.name().toLowerCase() + " it");
            }
            // An unassigned alert is the portfolio's: an analyst takes it only from their own.
            if (!supervisor && before.assignee() == null
                    && !portfolio.covers(connection, user.getName(), before.borrowerId(), before.groupId(), now)) {
                throw outsidePortfolio(before, action.name().toLowerCase());
            }
            AlertStatus next;
            try {
                next = Workflow.next(before.status(), action);
            } catch (Workflow.InvalidTransition e) {
                throw new ApiException(HttpStatus.CONFLICT, e.getMessage());
            }
            // Whoever acknowledges an unassigned alert owns it.
            String newAssignee = assignee != null ? assignee
                    : before.assignee() == null && action == WorkflowAction.ACKNOWLEDGE ? user.getName() : before.assignee();
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE alert SET status = ?, assignee = ?, disposition = ?, resolution_note = ?, updated_at = ?,
                        version = version + 1
                    WHERE alert_id = ?""")) {
                update.setString(1, next.name());
                Sql.setNullableText(update, 2, newAssignee);
                Sql.setNullableText(update, 3, disposition == null ? null : disposition.name());
                Sql.setNullableText(update, 4, action == WorkflowAction.RESOLVE ? note : null);
                update.setTimestamp(5, Sql.timestamp(now));
                update.setObject(6, alertId);
                update.executeUpdate();
            }
            AlertHistory.append(connection, alertId, now, user.getName(), action.name(), before.status(), next,
                    action == WorkflowAction.ASSIGN ? "to " + assignee + (note == null ? "" : ": " + note) : note);
            AlertView after = alerts.lock(connection, alertId).orElseThrow();
            audit.record(connection, now, user.getName(), "ALERT_" + action, "alert", alertId.toString(),
                    auditState(before), auditState(after));
            return after;
        });
        stream.publish(changed);
        return changed;
    }

    private static ApiException outsidePortfolio(AlertView alert, String verb) {
        if (alert.borrowerId() == null && alert.groupId() == null) {
            return new ApiException(HttpStatus.FORBIDDEN, "a portfolio-wide alert is not in any analyst's portfolio, so you "
                    + "cannot " + verb + " it; a supervisor can assign it to you or grant you the whole book");
        }
        String subject = alert.borrowerId() != null ? "borrower " + alert.borrowerId() : "group " + alert.groupId();
        return new ApiException(HttpStatus.FORBIDDEN, subject + " is not in your portfolio, so you cannot " + verb
                + " this alert; a supervisor can assign it to you or grant you the " + (alert.borrowerId() != null ? "borrower" : "group"));
    }

    private static Map<String, Object> auditState(AlertView view) {
        var state = new java.util.LinkedHashMap<String, Object>();
        state.put("status", view.status());
        state.put("assignee", view.assignee());
        state.put("disposition", view.disposition());
        state.put("version", view.version());
        return state;
    }
}
