package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.decisions.LimitDecisionView;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.LimitDecision;
import io.micronaut.context.ApplicationContext;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.client.HttpClient;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * "An approved decision is published once, even if the API restarts mid-way": the broker takes the decision, then the
 * database refuses to mark it sent (a trigger stands in for the database going away at that moment, so the API really
 * is between the two steps), and the API is stopped. A second API, started on the same database and broker, finds the
 * decision on the topic, marks it sent and audits that it found it there: the bank's limit system receives it once.
 */
class LimitDecisionRestartTest {
    @Test
    void aDecisionTheBrokerTookBeforeTheApiStoppedIsMarkedByTheNextApiNotSentAgain() throws Exception {
        DeskTestSupport.Topics topics = DeskTestSupport.Topics.fresh();
        Map<String, String> base = DeskTestSupport.freshProperties(topics);
        Map<String, Object> properties = new HashMap<>(base);
        properties.put("micronaut.server.port", "-1");
        String url = base.get("datasources.default.url");
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        DeskTestSupport.send(topics.snapshots(), List.of(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                .setLimitMinor(5_000_000_000L).build()));

        String id;
        try (ApplicationContext first = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
             HttpClient client = HttpClient.create(first.getBean(EmbeddedServer.class).getURL())) {
            DeskTestSupport.Desk desk = new DeskTestSupport.Desk(client.toBlocking());
            eventually(Duration.ofSeconds(30), "the engine's snapshot of B-1001 arrives", () -> {
                HttpResponse<JsonNode> borrower = desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(JsonNode.class));
                return borrower.code() == 200 && borrower.body().get("risk") != null && !borrower.body().get("risk").isNull();
            });
            HttpResponse<LimitDecisionView> proposed = desk.call("sue", HttpRequest.POST("/api/limit-decisions", Map.of(
                    "borrowerId", "B-1001", "action", "REDUCE_LIMIT", "limitMinor", 4_000_000_000L, "currency", "CNY",
                    "reason", "Cut to CNY 40m: its largest customer has stopped paying it.")), Argument.of(LimitDecisionView.class));
            assertThat(proposed.code()).isEqualTo(201);
            id = proposed.body().decisionId();

            asSuperuser(url, "CREATE FUNCTION refuse_the_mark() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
                    + "RAISE EXCEPTION 'the database went away before the mark'; END $$");
            asSuperuser(url, "CREATE TRIGGER refuse_the_mark BEFORE UPDATE ON limit_decision FOR EACH ROW "
                    + "WHEN (NEW.status = 'PUBLISHED') EXECUTE FUNCTION refuse_the_mark()");
            HttpResponse<LimitDecisionView> approved = desk.call("sam", HttpRequest.POST("/api/limit-decisions/" + id
                    + "/approve?reviewed=" + proposed.body().contentSha256(), ""), Argument.of(LimitDecisionView.class));
            assertThat(approved.code()).as("approved and signed, not yet marked sent").isEqualTo(202);
            assertThat(approved.body().status()).isEqualTo("APPROVED");
            assertThat(sent(topics, id)).as("the broker took it before the mark failed").hasSize(1);
            Thread.sleep(3_000); // the outbox's rounds (every second here) find it on the topic, and cannot mark it either
            assertThat(status(url, id)).isEqualTo("APPROVED");
        }
        assertThat(sent(topics, id)).as("three rounds of the outbox looked before sending: still once").hasSize(1);
        asSuperuser(url, "DROP TRIGGER refuse_the_mark ON limit_decision");

        try (ApplicationContext second = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext();
             HttpClient client = HttpClient.create(second.getBean(EmbeddedServer.class).getURL())) {
            DeskTestSupport.Desk desk = new DeskTestSupport.Desk(client.toBlocking());
            eventually(Duration.ofSeconds(60), "the restarted API marks it sent", () -> "PUBLISHED".equals(status(url, id)));
            JsonNode audit = desk.get("aud", "/api/audit?targetType=limit-decision&targetId=" + id, Argument.of(JsonNode.class));
            assertThat(audit.get("items").values()).extracting(e -> e.get("action").getStringValue() + " by " + e.get("actor").getStringValue()
                            + (e.get("after").get("alreadyOnTopic") == null ? "" : ", already on the topic: " + e.get("after").get("alreadyOnTopic").getBooleanValue()))
                    .as("sent once, by the first API; the second found it there")
                    .containsExactly("LIMIT_DECISION_SENT by system, already on the topic: true", "LIMIT_DECISION_APPROVE by sam",
                            "LIMIT_DECISION_PROPOSE by sue");
        }
        assertThat(sent(topics, id)).as("the limit system receives it once").singleElement()
                .satisfies(record -> assertThat(((LimitDecision) new WireCodec().decode(record.value()).record()).getApprovedBy()).isEqualTo("sam"));
    }

    private static List<org.apache.kafka.clients.consumer.ConsumerRecord<byte[], byte[]>> sent(DeskTestSupport.Topics topics, String id) {
        return DeskTestSupport.kafka().readCommitted(topics.limitDecisions(), 0, Duration.ZERO, Duration.ofSeconds(1)).stream()
                .filter(r -> ((LimitDecision) new WireCodec().decode(r.value()).record()).getDecisionId().equals(id)).toList();
    }

    private static String status(String url, String id) {
        try (Connection connection = DriverManager.getConnection(url, TestDatabase.API, "");
             Statement statement = connection.createStatement();
             ResultSet row = statement.executeQuery("SELECT status FROM limit_decision WHERE decision_id = '" + id + "'")) {
            return row.next() ? row.getString(1) : null;
        } catch (SQLException e) {
            throw new IllegalStateException(e);
        }
    }

    /** DDL on the API's tables, which only their owner or a superuser may change. */
    private static void asSuperuser(String url, String sql) throws SQLException {
        try (Connection connection = DriverManager.getConnection(url, TestDatabase.USER, "");
             Statement statement = connection.createStatement()) {
            statement.execute(sql);
        }
    }
}
