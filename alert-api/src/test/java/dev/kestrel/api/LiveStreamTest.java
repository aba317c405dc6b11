package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.client.annotation.Client;
import io.micronaut.http.client.sse.SseClient;
import io.micronaut.http.sse.Event;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;

/** The desk's live feed: a new alert from Kafka, and a change made at the desk, both arrive as server-sent events. */
@MicronautTest
class LiveStreamTest extends DeskTest {
    @Inject
    @Client("/")
    SseClient sse;

    @Inject
    io.micronaut.json.JsonMapper json;

    private AlertView read(String data) {
        try {
            return json.readValue(data, AlertView.class);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    @Test
    void theStreamAnswersAtOnceSoTheDeskShowsItIsLiveBeforeAnyAlert() throws Exception {
        java.net.http.HttpClient http = java.net.http.HttpClient.newHttpClient();
        long started = System.nanoTime();
        java.net.http.HttpResponse<java.io.InputStream> response = http.sendAsync(java.net.http.HttpRequest.newBuilder(
                        server.getURI().resolve("/api/alerts/stream")).header("Authorization", "Bearer " + desk.token("ana")).build(),
                java.net.http.HttpResponse.BodyHandlers.ofInputStream()).get(5, TimeUnit.SECONDS);
        try (java.io.InputStream body = response.body()) {
            assertThat(response.statusCode()).isEqualTo(200);
            assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(type -> assertThat(type).startsWith("text/event-stream"));
            assertThat(Duration.ofNanos(System.nanoTime() - started)).as("not the 15 s of a heartbeat interval").isLessThan(Duration.ofSeconds(5));
        }
    }

    @Inject
    io.micronaut.runtime.server.EmbeddedServer server;

    @Test
    void newAndChangedAlertsArriveLive() throws Exception {
        String token = desk.token("ana");
        CompletableFuture<AlertView> arrived = new CompletableFuture<>();
        CompletableFuture<AlertView> acknowledged = new CompletableFuture<>();
        // The stream also carries heartbeat comments, the first at once: only the alert events are read as alerts.
        Disposable subscription = Flux.from(sse.eventStream(HttpRequest.GET("/api/alerts/stream").bearerAuth(token),
                        String.class))
                .filter(event -> "alert".equals(event.getName()))
                .map(event -> read(event.getData()))
                .filter(view -> view.alertId().equals("live-1"))
                .subscribe(view -> (view.version() == 1 ? arrived : acknowledged).complete(view));
        try {
            Thread.sleep(500); // let the subscription reach the server before the alert does
            long sent = System.nanoTime();
            DeskTestSupport.send(topics.alerts(), List.of(Alert.newBuilder(Samples.alert()).setAlertId("live-1").build()));
            AlertView view = arrived.get(10, TimeUnit.SECONDS);
            System.out.printf("Live stream: alert on the desk %d ms after it was acknowledged by Kafka%n",
                    Duration.ofNanos(System.nanoTime() - sent).toMillis());
            assertThat(view.status().name()).isEqualTo("NEW");

            desk.grantWholeBook("ana");
            desk.call("ana", HttpRequest.POST("/api/alerts/live-1/acknowledge", Map.of()).header("If-Match", "\"1\""),
                    io.micronaut.core.type.Argument.of(String.class));
            assertThat(acknowledged.get(10, TimeUnit.SECONDS).status().name()).isEqualTo("ACKNOWLEDGED");
        } finally {
            subscription.dispose();
        }
    }
}
