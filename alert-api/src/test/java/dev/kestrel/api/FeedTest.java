package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Samples;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.Severity;
import dev.kestrel.api.alerts.AlertDetail;
import dev.kestrel.api.alerts.AlertPage;
import dev.kestrel.api.alerts.AlertStatus;
import dev.kestrel.api.alerts.AlertView;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.junit.jupiter.api.Test;

/** The engine's records reach the desk through the real broker and the real database. */
@MicronautTest
class FeedTest extends DeskTest {

    @Test
    void alertsOnKafkaAppearThroughTheApiWithTheirExplanation() {
        Alert opened = Samples.alert();
        Alert escalated = Alert.newBuilder(opened).setLifecycle(AlertLifecycle.ESCALATED).setSeverity(Severity.HIGH)
                .setEventTime(opened.getEventTime().plusSeconds(86_400)).build();
        DeskTestSupport.send(topics.alerts(), List.of(opened, escalated, opened)); // the replayed OPENED changes nothing
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));

        eventually(Duration.ofSeconds(20), "the escalation is visible", () ->
                desk.call("ana", HttpRequest.GET("/api/alerts/" + opened.getAlertId()), Argument.of(AlertDetail.class))
                        .getBody().map(d -> d.alert().severity().equals("HIGH")).orElse(false));
        AlertDetail detail = desk.get("ana", "/api/alerts/" + opened.getAlertId(), Argument.of(AlertDetail.class));
        AlertView alert = detail.alert();
        assertThat(alert.status()).isEqualTo(AlertStatus.NEW);
        assertThat(alert.lifecycle()).isEqualTo("ESCALATED");
        assertThat(alert.borrowerId()).isEqualTo("B-1001");
        assertThat(alert.version()).isEqualTo(2);
        assertThat(detail.explanation().summary()).startsWith("Days past due 31 > 30");
        assertThat(detail.explanation().inputs()).singleElement()
                .satisfies(reading -> assertThat(reading.indicator()).isEqualTo("materialDaysPastDue"));
        assertThat(detail.explanation().triggeringEvents()).hasSize(1);
        assertThat(detail.history()).extracting(AlertDetail.HistoryEntry::action).containsExactly("OPENED", "ESCALATED");
        eventually(Duration.ofSeconds(20), "the borrower name joins the alert", () ->
                desk.get("ana", "/api/alerts?q=precision", Argument.of(AlertPage.class)).items().stream()
                        .anyMatch(a -> a.alertId().equals(opened.getAlertId())));
        assertThat(desk.get("ana", "/api/alerts?q=precision", Argument.of(AlertPage.class)).items())
                .allSatisfy(a -> assertThat(a.borrowerName()).contains("Precision"));
        assertThat(desk.get("ana", "/api/alerts?q=no-such-name", Argument.of(AlertPage.class)).items()).isEmpty();
    }

    @Test
    void aRecordTheApiCannotReadGoesToTheDeadLetterTopicAndTheFeedGoesOn() {
        DeskTestSupport.kafka().send(topics.alerts(), List.of(new ProducerRecord<>(topics.alerts(),
                "k".getBytes(StandardCharsets.UTF_8), "not avro".getBytes(StandardCharsets.UTF_8))));
        Alert after = Alert.newBuilder(Samples.alert()).setAlertId("after-the-bad-record").build();
        DeskTestSupport.send(topics.alerts(), List.of(after));

        var deadLetters = DeskTestSupport.kafka().readCommitted(topics.deadLetters(), 1, Duration.ofSeconds(20), Duration.ZERO);
        assertThat(deadLetters).hasSize(1);
        DeadLetter deadLetter = (DeadLetter) new WireCodec().decode(deadLetters.get(0).value()).record();
        assertThat(deadLetter.getSourceTopic()).isEqualTo(topics.alerts());
        assertThat(deadLetter.getReason()).startsWith("alert-api: ");
        eventually(Duration.ofSeconds(20), "the next alert still arrives", () ->
                desk.call("ana", HttpRequest.GET("/api/alerts/after-the-bad-record"),
                        Argument.of(String.class)).code() == 200);
    }
}
