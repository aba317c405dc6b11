package dev.kestrel.api.notifications;

import dev.kestrel.api.config.NotificationSettings;
import dev.kestrel.api.ownership.Owner;
import dev.kestrel.api.ownership.OwnerStore;
import dev.kestrel.api.security.DeskUser;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.security.UserRepository;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Owns the notification outbox. A notification is queued in the transaction of what caused it, keyed by its cause
 * (so a cause queues once, on every API replica and after every replay), and the sender sends it after the commit.
 * Whom: the alert's assignee and the borrower's owner; every enabled supervisor too when nobody is either, when an SLA
 * is breached (it goes up the line), or when e-mail is on and none of the others has an address. Nobody is left out
 * silently: a recipient without an address gets a SKIPPED row that says so.
 */
@Singleton
public final class Notifications {
    private static final String COLUMNS = "notification_id, kind, channel, recipient, address, alert_id, subject, body, "
            + "payload::text AS payload, status, attempts, last_error, created_at, next_attempt_at, sent_at";

    private final NotificationSettings settings;
    private final Database database;
    private final UserRepository users;
    private final OwnerStore owners;
    private final JsonColumns json;

    Notifications(NotificationSettings settings, Database database, UserRepository users, OwnerStore owners, JsonColumns json) {
        this.settings = settings;
        this.database = database;
        this.users = users;
        this.owners = owners;
        this.json = json;
    }

    /** Whether any channel is configured: with none, nothing is queued. */
    public boolean enabled() {
        return settings.email() || settings.webhook();
    }

    /** A new alert, or an escalated one, at its current severity: queued once per alert and severity reached. */
    public void alertRaised(Connection connection, AlertNotice alert, Instant now) throws SQLException {
        if (alert.severity().ordinal() >= settings.minSeverity().ordinal()) {
            queue(connection, NotificationKind.ALERT_RAISED, alert.severity().name(), alert, now);
        }
    }

    /** An unresolved alert past its deadline: queued once per deadline (a new severity moves the deadline). */
    public void slaBreached(Connection connection, AlertNotice alert, Instant now) throws SQLException {
        queue(connection, NotificationKind.SLA_BREACHED, alert.slaDueAt().toString(), alert, now);
    }

    private void queue(Connection connection, NotificationKind kind, String cause, AlertNotice alert, Instant now)
            throws SQLException {
        if (!enabled()) {
            return;
        }
        String key = kind + ":" + alert.alertId() + ":" + cause;
        // An SLA breach goes up the line: to the supervisors as well.
        List<DeskUser> recipients = recipients(connection, kind == NotificationKind.SLA_BREACHED, alert.assignee(), officer(connection, alert));
        queue(connection, key, kind, recipients, alert.alertId(), subject(kind, alert), body(kind, alert),
                names -> payload(key, kind, alert, names), now);
    }

    /**
     * Queues one notification per channel: an e-mail to each recipient (SKIPPED, saying so, for one without an address)
     * and one webhook call naming them all; {@code payload} is the JSON for the recipients it is given.
     */
    private void queue(Connection connection, String key, NotificationKind kind, List<DeskUser> recipients, String alertId,
                       String subject, String body, Function<List<String>, String> payload, Instant now) throws SQLException {
        if (settings.email()) {
            for (DeskUser recipient : recipients) {
                String email = recipient.email();
                insert(connection, key + ":EMAIL:" + recipient.username(), kind, Notification.Channel.EMAIL,
                        recipient.username(), email, alertId, subject, body, payload.apply(List.of(recipient.username())),
                        email == null ? Notification.Status.SKIPPED : Notification.Status.PENDING,
                        email == null ? "no e-mail address for " + recipient.username() : null, now);
            }
        }
        if (settings.webhook()) {
            insert(connection, key + ":WEBHOOK", kind, Notification.Channel.WEBHOOK, null, settings.webhookUrl(), alertId,
                    subject, body, payload.apply(recipients.stream().map(DeskUser::username).toList()),
                    Notification.Status.PENDING, null, now);
        }
    }

    /**
     * A borrower's periodic review comes due (the engine's date): its owner is told once per due date, by e-mail and
     * webhook; a borrower without an owner, or whose owner cannot be reached, goes to every supervisor.
     */
    public void reviewDue(Connection connection, ReviewNotice review, Instant now) throws SQLException {
        if (!enabled()) {
            return;
        }
        String key = NotificationKind.REVIEW_DUE + ":" + review.borrowerId() + ":" + review.dueDate();
        List<DeskUser> recipients = recipients(connection, false, review.officer());
        String who = review.name() == null ? review.borrowerId() : review.name() + " (" + review.borrowerId() + ")";
        String subject = "[Kestrel] Review due " + review.dueDate() + ": " + who;
        String link = desk() + "#/borrowers/" + review.borrowerId();
        String body = "The periodic review of " + who + " is due by " + review.dueDate() + ".\n\n"
                + "Latest review: " + (review.lastReviewDate() == null ? "none recorded" : review.lastReviewDate()) + "\n"
                + "Owner: " + (review.officer() == null ? "none set" : review.officer()) + "\n\n"
                + "Record the review on the borrower's page: " + link + "\n";
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", key);
        payload.put("kind", NotificationKind.REVIEW_DUE.name());
        payload.put("borrowerId", review.borrowerId());
        payload.put("dueDate", review.dueDate().toString());
        payload.put("lastReviewDate", review.lastReviewDate() == null ? null : review.lastReviewDate().toString());
        payload.put("officer", review.officer());
        payload.put("recipients", recipients.stream().map(DeskUser::username).toList());
        payload.put("link", link);
        String json = this.json.write(payload); // every channel's row names all the recipients
        queue(connection, key, NotificationKind.REVIEW_DUE, recipients, null, subject, body, names -> json, now);
    }

    /**
     * Steps of a collection case come due, or are due already: the case's owner is told once per step, all the steps
     * found in one round in one notice, by e-mail and webhook; a borrower without an owner, or whose owner cannot be
     * reached, goes to every supervisor.
     */
    public void collectionStepsDue(Connection connection, CollectionStepsNotice notice, LocalDate today, Instant now) throws SQLException {
        if (!enabled()) {
            return;
        }
        String key = NotificationKind.COLLECTION_STEPS_DUE + ":" + notice.caseId() + ":" + notice.steps().stream()
                .map(step -> Integer.toString(step.position())).collect(java.util.stream.Collectors.joining(","));
        List<DeskUser> recipients = recipients(connection, false, notice.officer());
        String who = notice.name() == null ? notice.borrowerId() : notice.name() + " (" + notice.borrowerId() + ")";
        long late = notice.steps().stream().filter(step -> step.dueDate().isBefore(today)).count();
        int steps = notice.steps().size();
        String subject = "[Kestrel] Collection: " + steps + (steps == 1 ? " step" : " steps") + " to take"
                + (late > 0 ? ", " + late + " late" : ", due " + notice.steps().get(0).dueDate()) + ": " + who;
        String link = desk() + "#/borrowers/" + notice.borrowerId();
        StringBuilder body = new StringBuilder("Collection case " + notice.caseId() + " of " + who + " has steps to take:\n\n");
        for (CollectionStepsNotice.Step step : notice.steps()) {
            long days = java.time.temporal.ChronoUnit.DAYS.between(today, step.dueDate());
            body.append("- ").append(step.kind()).append(", due ").append(step.dueDate()).append(" (")
                    .append(days < 0 ? -days + (days == -1 ? " day" : " days") + " late" : days == 0 ? "today"
                            : "in " + days + (days == 1 ? " day" : " days")).append(")\n");
        }
        body.append("\nOwner: ").append(notice.officer() == null ? "none set" : notice.officer()).append("\n\n")
                .append("Record each step's outcome on the borrower's page: ").append(link).append("\n");
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", key);
        payload.put("kind", NotificationKind.COLLECTION_STEPS_DUE.name());
        payload.put("caseId", notice.caseId());
        payload.put("borrowerId", notice.borrowerId());
        payload.put("steps", notice.steps().stream().map(step -> Map.of("position", step.position(), "kind", step.kind(),
                "dueDate", step.dueDate().toString())).toList());
        payload.put("officer", notice.officer());
        payload.put("recipients", recipients.stream().map(DeskUser::username).toList());
        payload.put("link", link);
        String json = this.json.write(payload); // every channel's row names all the recipients
        queue(connection, key, NotificationKind.COLLECTION_STEPS_DUE, recipients, null, subject, body.toString(), names -> json, now);
    }

    /**
     * The enabled desk users among {@code candidates}, and every enabled supervisor too when none is, when
     * {@code toSupervisors}, or when e-mail is on but none of them has an address, so that the notice is always heard.
     */
    private List<DeskUser> recipients(Connection connection, boolean toSupervisors, String... candidates) throws SQLException {
        Map<String, DeskUser> recipients = new LinkedHashMap<>();
        for (String candidate : candidates) {
            if (candidate != null) {
                users.find(connection, candidate).filter(DeskUser::enabled).ifPresent(u -> recipients.put(u.username(), u));
            }
        }
        boolean reachable = recipients.values().stream().anyMatch(u -> u.email() != null) || !settings.email();
        if (recipients.isEmpty() || toSupervisors || !reachable) {
            for (DeskUser supervisor : users.enabledWithRole(connection, Roles.SUPERVISOR)) {
                recipients.putIfAbsent(supervisor.username(), supervisor);
            }
        }
        return List.copyOf(recipients.values());
    }

    private String officer(Connection connection, AlertNotice alert) throws SQLException {
        return alert.borrowerId() == null ? null : owners.of(connection, alert.borrowerId()).map(Owner::officer).orElse(null);
    }

    private String subject(NotificationKind kind, AlertNotice alert) {
        String subjectId = alert.borrowerId() != null ? alert.borrowerId() : alert.groupId();
        return "[Kestrel] " + (kind == NotificationKind.SLA_BREACHED ? "SLA breached: " : alert.severity() + " alert: ")
                + alert.title() + " (" + subjectId + ")";
    }

    private String body(NotificationKind kind, AlertNotice alert) {
        String opening = kind == NotificationKind.SLA_BREACHED
                ? "This alert was due to be resolved by " + alert.slaDueAt() + " and is not."
                : "The engine raised this alert at " + alert.severity() + ".";
        return opening + "\n\n"
                + alert.title() + "\n"
                + alert.summary() + "\n\n"
                + (alert.borrowerId() != null ? "Borrower: " + alert.borrowerId() + "\n" : "")
                + (alert.groupId() != null ? "Group: " + alert.groupId() + "\n" : "")
                + "Severity: " + alert.severity() + ", category: " + alert.category() + "\n"
                + "Assigned to: " + (alert.assignee() == null ? "nobody yet" : alert.assignee()) + "\n"
                + "Resolve by: " + alert.slaDueAt() + "\n\n"
                + link(alert) + "\n";
    }

    private String link(AlertNotice alert) {
        return desk() + "#/alerts/" + alert.alertId();
    }

    private String desk() {
        return settings.deskUrl().endsWith("/") ? settings.deskUrl() : settings.deskUrl() + "/";
    }

    private String payload(String id, NotificationKind kind, AlertNotice alert, List<String> recipients) {
        Map<String, Object> payload = new LinkedHashMap<>();
        payload.put("id", id);
        payload.put("kind", kind.name());
        payload.put("alertId", alert.alertId());
        payload.put("borrowerId", alert.borrowerId());
        payload.put("groupId", alert.groupId());
        payload.put("severity", alert.severity().name());
        payload.put("category", alert.category());
        payload.put("title", alert.title());
        payload.put("summary", alert.summary());
        payload.put("assignee", alert.assignee());
        payload.put("recipients", recipients);
        payload.put("slaDueAt", alert.slaDueAt().toString());
        payload.put("link", link(alert));
        return json.write(payload);
    }

    private static void insert(Connection connection, String key, NotificationKind kind, Notification.Channel channel,
                               String recipient, String address, String alertId, String subject, String body, String payload,
                               Notification.Status status, String lastError, Instant now) throws SQLException {
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO notification (dedup_key, kind, channel, recipient, address, alert_id, subject, body, payload,
                    status, last_error, created_at, next_attempt_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?::jsonb, ?, ?, ?, ?) ON CONFLICT (dedup_key) DO NOTHING""")) {
            insert.setString(1, key);
            insert.setString(2, kind.name());
            insert.setString(3, channel.name());
            Sql.setNullableText(insert, 4, recipient);
            Sql.setNullableText(insert, 5, address);
            Sql.setNullableText(insert, 6, alertId);
            insert.setString(7, subject);
            insert.setString(8, body);
            insert.setString(9, payload);
            insert.setString(10, status.name());
            Sql.setNullableText(insert, 11, lastError);
            insert.setTimestamp(12, Sql.timestamp(now));
            insert.setTimestamp(13, status == Notification.Status.PENDING ? Sql.timestamp(now) : null);
            insert.executeUpdate();
        }
    }

    /**
     * Claims pending notifications due now: each is leased until {@code leaseUntil}, so that no other replica sends it
     * meanwhile, and the claim commits before anything is sent. A sender that dies with a lease leaves the notification
     * to be sent again when the lease ends.
     */
    List<Notification> claimDue(Instant now, Instant leaseUntil, int limit) {
        return database.inTransaction(connection -> {
            try (PreparedStatement claim = connection.prepareStatement("UPDATE notification SET next_attempt_at = ?"
                    + " WHERE notification_id IN (SELECT notification_id FROM notification"
                    + " WHERE status = 'PENDING' AND next_attempt_at <= ? ORDER BY next_attempt_at, notification_id LIMIT ?"
                    + " FOR UPDATE SKIP LOCKED) RETURNING " + COLUMNS)) {
                claim.setTimestamp(1, Sql.timestamp(leaseUntil));
                claim.setTimestamp(2, Sql.timestamp(now));
                claim.setInt(3, limit);
                return read(claim);
            }
        });
    }

    void sent(long id, Instant now) {
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE notification SET status = 'SENT', attempts = attempts + 1, sent_at = ?, next_attempt_at = NULL,
                        last_error = NULL WHERE notification_id = ?""")) {
                update.setTimestamp(1, Sql.timestamp(now));
                update.setLong(2, id);
                return update.executeUpdate();
            }
        });
    }

    /** A failed attempt: tried again after the wait, doubled each time up to an hour, until the last attempt fails. */
    void failed(Notification notification, String error, Instant now) {
        int attempts = notification.attempts() + 1;
        boolean last = attempts >= settings.maxAttempts();
        Duration wait = settings.retryAfter().multipliedBy(1L << Math.min(attempts - 1, 20));
        if (wait.compareTo(Duration.ofHours(1)) > 0) {
            wait = Duration.ofHours(1);
        }
        Instant next = now.plus(wait);
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE notification SET status = ?, attempts = ?, last_error = ?, next_attempt_at = ?
                    WHERE notification_id = ?""")) {
                update.setString(1, last ? "FAILED" : "PENDING");
                update.setInt(2, attempts);
                update.setString(3, error.length() > 1000 ? error.substring(0, 1000) : error);
                update.setTimestamp(4, last ? null : Sql.timestamp(next));
                update.setLong(5, notification.notificationId());
                return update.executeUpdate();
            }
        });
    }

    /** Notifications, newest first, optionally of one alert or in one status. */
    public List<Notification> list(String alertId, Notification.Status status, int limit) {
        return database.read(connection -> {
            try (PreparedStatement select = connection.prepareStatement("SELECT " + COLUMNS + " FROM notification"
                    + " WHERE (?::text IS NULL OR alert_id = ?) AND (?::text IS NULL OR status = ?)"
                    + " ORDER BY notification_id DESC LIMIT ?")) {
                select.setString(1, alertId);
                select.setString(2, alertId);
                String statusName = status == null ? null : status.name();
                select.setString(3, statusName);
                select.setString(4, statusName);
                select.setInt(5, limit);
                return read(select);
            }
        });
    }

    private static List<Notification> read(PreparedStatement select) throws SQLException {
        List<Notification> found = new ArrayList<>();
        try (ResultSet row = select.executeQuery()) {
            while (row.next()) {
                found.add(new Notification(row.getLong("notification_id"), NotificationKind.valueOf(row.getString("kind")),
                        Notification.Channel.valueOf(row.getString("channel")), row.getString("recipient"),
                        row.getString("address"), row.getString("alert_id"), row.getString("subject"), row.getString("body"),
                        row.getString("payload"), Notification.Status.valueOf(row.getString("status")), row.getInt("attempts"),
                        row.getString("last_error"), Sql.instant(row, "created_at"), Sql.instant(row, "next_attempt_at"),
                        Sql.instant(row, "sent_at")));
            }
        }
        return found;
    }
}
