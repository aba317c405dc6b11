package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.alerts.AlertDetail;
import dev.kestrel.api.alerts.AlertStatus;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.alerts.Disposition;
import dev.kestrel.api.errors.ApiError;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Severity;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The desk's workflow over HTTP: every transition, the refused ones, concurrency, and what lands in the audit log. */
@MicronautTest
class WorkflowTest extends DeskTest {
    private static final AtomicInteger IDS = new AtomicInteger();

    @BeforeAll
    void analystsMayActOnTheWholeBook() {
        desk.grantWholeBook("ana");
        desk.grantWholeBook("ben");
    }

    /** A new alert from the engine, waited for until the API shows it. */
    private String newAlert() {
        String id = "wf-" + IDS.incrementAndGet();
        return desk.raise(topics.alerts(), Alert.newBuilder(Samples.alert()).setAlertId(id).build(), id);
    }

    private HttpResponse<String> act(String user, String alertId, String action, Object body, Integer ifMatch) {
        return desk.act(user, alertId, action, body, ifMatch);
    }

    private AlertView alert(String alertId) {
        return desk.get("ana", "/api/alerts/" + alertId, Argument.of(AlertDetail.class)).alert();
    }

    private static void assertError(HttpResponse<String> response, int status, String messagePart) {
        assertThat(response.code()).as(response.getBody(String.class).orElse("")).isEqualTo(status);
        ApiError error = response.getBody(ApiError.class).orElseThrow();
        assertThat(error.status()).isEqualTo(status);
        assertThat(error.message()).contains(messagePart);
    }

    @Test
    void assignAcknowledgeEscalateResolveWithHistoryAndAudit() {
        String id = newAlert();
        assertThat(act("sue", id, "assign", Map.of("assignee", "ana", "note", "yours"), 1).code()).isEqualTo(200);
        assertThat(alert(id).status()).isEqualTo(AlertStatus.ASSIGNED);
        assertThat(alert(id).assignee()).isEqualTo("ana");

        HttpResponse<String> acknowledged = act("ana", id, "acknowledge", Map.of(), 2);
        assertThat(acknowledged.code()).isEqualTo(200);
        assertThat(acknowledged.header("ETag")).isEqualTo("\"3\"");
        assertThat(act("ana", id, "escalate", Map.of("note", "cash is gone, need credit committee"), 3).code()).isEqualTo(200);
        assertThat(act("ana", id, "comments", Map.of("body", "called the CFO"), null).code()).isEqualTo(201);
        HttpResponse<String> resolved = act("sue", id, "resolve",
                Map.of("disposition", "LIMIT_FROZEN", "note", "undrawn limit frozen by committee"), 4);
        assertThat(resolved.code()).isEqualTo(200);

        AlertDetail detail = desk.get("aud", "/api/alerts/" + id, Argument.of(AlertDetail.class));
        assertThat(detail.alert().status()).isEqualTo(AlertStatus.RESOLVED);
        assertThat(detail.alert().disposition()).isEqualTo(Disposition.LIMIT_FROZEN);
        assertThat(detail.resolutionNote()).isEqualTo("undrawn limit frozen by committee");
        assertThat(detail.history()).extracting(AlertDetail.HistoryEntry::action)
                .containsExactly("OPENED", "ASSIGN", "ACKNOWLEDGE", "ESCALATE", "COMMENT", "RESOLVE");
        assertThat(detail.history()).extracting(AlertDetail.HistoryEntry::actor)
                .containsExactly("engine", "sue", "ana", "ana", "ana", "sue");
        assertThat(detail.comments()).singleElement().satisfies(c -> {
            assertThat(c.author()).isEqualTo("ana");
            assertThat(c.body()).isEqualTo("called the CFO");
        });

        JsonNode audit = desk.get("aud", "/api/audit?targetType=alert&targetId=" + id, Argument.of(JsonNode.class));
        List<String> actions = new ArrayList<>();
        audit.get("items").values().forEach(entry -> actions.add(entry.get("action").getStringValue()));
        assertThat(actions).containsExactly("ALERT_RESOLVE", "ALERT_COMMENT", "ALERT_ESCALATE", "ALERT_ACKNOWLEDGE",
                "ALERT_ASSIGN");
        JsonNode resolve = audit.get("items").get(0);
        assertThat(resolve.get("actor").getStringValue()).isEqualTo("sue");
        assertThat(resolve.get("before").get("status").getStringValue()).isEqualTo("ESCALATED");
        assertThat(resolve.get("after").get("status").getStringValue()).isEqualTo("RESOLVED");
        assertThat(resolve.get("after").get("disposition").getStringValue()).isEqualTo("LIMIT_FROZEN");
    }

    @Test
    void invalidTransitionsAreRefusedWith409AndAMessage() {
        String id = newAlert();
        assertError(act("ana", id, "resolve", Map.of("disposition", "FALSE_POSITIVE", "note", "n"), 1), 409,
                "cannot resolve an alert that is NEW: acknowledge it first");
        assertThat(act("ana", id, "acknowledge", Map.of(), 1).code()).isEqualTo(200);
        assertError(act("ana", id, "acknowledge", Map.of(), 2), 409, "already being handled");
        assertThat(act("ana", id, "resolve", Map.of("disposition", "FALSE_POSITIVE", "note", "seasonal dip"), 2).code())
                .isEqualTo(200);
        assertError(act("ana", id, "escalate", Map.of("note", "n"), 3), 409, "the alert is resolved; add a comment instead");
        assertError(act("sue", id, "assign", Map.of("assignee", "ben"), 3), 409, "resolved");
        // A comment is still welcome, and a refused action changed nothing.
        assertThat(act("ben", id, "comments", Map.of("body", "agreed"), null).code()).isEqualTo(201);
        assertThat(alert(id).version()).isEqualTo(3);
    }

    @Test
    void badRequestsAreRefusedBeforeAnythingChanges() {
        String id = newAlert();
        assertError(act("ana", id, "acknowledge", Map.of(), null), 428, "If-Match");
        assertError(act("ana", id, "acknowledge", Map.of(), 7), 412, "version 1, your If-Match says 7");
        assertError(act("ana", id, "escalate", Map.of("note", " "), 1), 400, "note");
        assertError(act("ana", id, "resolve", Map.of("note", "no disposition"), 1), 400, "disposition");
        assertError(act("sue", id, "assign", Map.of("assignee", "aud"), 1), 400, "not an active analyst or supervisor");
        assertError(act("ana", "no-such-alert", "acknowledge", Map.of(), 1), 404, "alert no-such-alert not found");
        assertThat(alert(id).version()).isEqualTo(1);
    }

    @Test
    void rolesDecideWhoMayAct() {
        String id = newAlert();
        assertError(act("ana", id, "assign", Map.of("assignee", "ana"), 1), 403, "Forbidden");
        assertError(act("aud", id, "acknowledge", Map.of(), 1), 403, "Forbidden");
        assertError(act("adm", id, "comments", Map.of("body", "x"), null), 403, "Forbidden");
        assertThat(act("sue", id, "assign", Map.of("assignee", "ben"), 1).code()).isEqualTo(200);
        assertError(act("ana", id, "acknowledge", Map.of(), 2), 403, "assigned to ben");
        assertThat(act("ben", id, "acknowledge", Map.of(), 2).code()).isEqualTo(200);
    }

    @Test
    void ofTwoConcurrentAcknowledgementsExactlyOneWins() throws Exception {
        String id = newAlert();
        CountDownLatch start = new CountDownLatch(1);
        desk.token("ana");
        desk.token("ben");
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            List<Future<Integer>> outcomes = new ArrayList<>();
            for (String user : List.of("ana", "ben")) {
                Callable<Integer> acknowledge = () -> {
                    start.await();
                    return act(user, id, "acknowledge", Map.of("note", "mine"), 1).code();
                };
                outcomes.add(pool.submit(acknowledge));
            }
            start.countDown();
            List<Integer> codes = new ArrayList<>();
            for (Future<Integer> outcome : outcomes) {
                codes.add(outcome.get());
            }
            assertThat(codes).containsExactlyInAnyOrder(200, 412);
        } finally {
            pool.shutdownNow();
        }
        AlertDetail detail = desk.get("ana", "/api/alerts/" + id, Argument.of(AlertDetail.class));
        assertThat(detail.alert().version()).isEqualTo(2);
        assertThat(detail.history()).extracting(AlertDetail.HistoryEntry::action).containsExactly("OPENED", "ACKNOWLEDGE");
    }

    @Test
    void theEngineReopensAResolvedAlertWhenItsRiskGetsWorse() {
        String id = newAlert();
        act("ana", id, "acknowledge", Map.of(), 1);
        act("ana", id, "resolve", Map.of("disposition", "KEEP_MONITORING", "note", "watch next month"), 2);
        Alert opened = Alert.newBuilder(Samples.alert()).setAlertId(id).build();
        DeskTestSupport.send(topics.alerts(), List.of(Alert.newBuilder(opened).setLifecycle(AlertLifecycle.ESCALATED)
                .setSeverity(Severity.CRITICAL).setEventTime(opened.getEventTime().plusSeconds(3600)).build()));
        eventually(Duration.ofSeconds(20), "the escalation reopens it", () -> alert(id).status() == AlertStatus.NEW);
        AlertView reopened = alert(id);
        assertThat(reopened.severity()).isEqualTo("CRITICAL");
        assertThat(reopened.disposition()).isNull();
        // The SLA clock is the critical one now: four hours from when the desk first saw the alert.
        assertThat(Duration.between(reopened.receivedAt(), reopened.slaDueAt())).isEqualTo(Duration.ofHours(4));
    }
}
