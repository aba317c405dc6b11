package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.Severity;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

/**
 * Stopping the API in the middle of consumption, and even rereading what it had already stored (as after a crash
 * between the database commit and the offset commit), leaves every alert stored once with its history once.
 */
class FeedRestartTest {
    private static final int ALERTS = 3_000;
    private static final int ESCALATED = 1_000;

    @Test
    void aRestartMidwayAndARereadLoseAndDuplicateNothing() throws Exception {
        DeskTestSupport.Topics topics = DeskTestSupport.Topics.fresh();
        Map<String, String> base = DeskTestSupport.freshProperties(topics);
        Map<String, Object> properties = new HashMap<>(base);
        properties.put("kestrel.kafka.max-poll-records", "50"); // many small batches, so the stop lands mid-stream
        properties.put("micronaut.server.port", "-1");
        String url = base.get("datasources.default.url");

        List<Alert> changes = new ArrayList<>();
        for (int i = 0; i < ALERTS; i++) {
            changes.add(Alert.newBuilder(Samples.alert()).setAlertId(String.format("restart-%04d", i)).build());
        }
        for (int i = 0; i < ESCALATED; i++) {
            Alert opened = changes.get(i);
            changes.add(Alert.newBuilder(opened).setLifecycle(AlertLifecycle.ESCALATED).setSeverity(Severity.HIGH)
                    .setEventTime(opened.getEventTime().plusSeconds(60)).build());
        }
        DeskTestSupport.send(topics.alerts(), changes);

        try (ApplicationContext first = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext()) {
            eventually(Duration.ofSeconds(60), "the first run stores some alerts", () -> count(url, "alert") > 500);
        }
        long storedBeforeRestart = count(url, "alert");
        assertThat(storedBeforeRestart).isLessThan(ALERTS); // it really stopped midway

        // As if the offsets had never been committed: everything already stored comes again.
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG,
                DeskTestSupport.kafka().bootstrapServers()))) {
            Map<TopicPartition, OffsetAndMetadata> start = Map.of(new TopicPartition(topics.alerts(), 0),
                    new OffsetAndMetadata(0), new TopicPartition(topics.alerts(), 1), new OffsetAndMetadata(0));
            admin.alterConsumerGroupOffsets(base.get("kestrel.kafka.consumer-group"), start).all().get();
        }

        try (ApplicationContext second = ApplicationContext.run(EmbeddedServer.class, properties).getApplicationContext()) {
            eventually(Duration.ofSeconds(60), "the second run stores the rest", () ->
                    count(url, "alert") == ALERTS && count(url, "alert_history") == ALERTS + ESCALATED);
            Thread.sleep(1_000); // anything extra would arrive now
        }
        assertThat(count(url, "alert")).isEqualTo(ALERTS);
        assertThat(count(url, "alert_history")).isEqualTo(ALERTS + ESCALATED);
        assertThat(query(url, "SELECT count(*) FROM alert WHERE version = 2 AND severity = 'HIGH'")).isEqualTo(ESCALATED);
        assertThat(query(url, "SELECT count(*) FROM alert WHERE version = 1 AND severity = 'MEDIUM'"))
                .isEqualTo(ALERTS - ESCALATED);
    }

    private static long count(String url, String table) {
        return query(url, "SELECT count(*) FROM " + table);
    }

    private static long query(String url, String sql) {
        try (Connection connection = DriverManager.getConnection(url, TestDatabase.API, "");
             Statement statement = connection.createStatement(); ResultSet row = statement.executeQuery(sql)) {
            row.next();
            return row.getLong(1);
        } catch (SQLException e) {
            return -1; // the schema may not exist yet
        }
    }
}
