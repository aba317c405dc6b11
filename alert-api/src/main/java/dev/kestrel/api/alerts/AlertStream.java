package dev.kestrel.api.alerts;

import io.micronaut.http.sse.Event;
import jakarta.inject.Singleton;
import java.time.Duration;
import java.util.Collection;
import org.reactivestreams.Publisher;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Sinks;

/**
 * New and changed alerts for every open live view. Changes are published after their database commit, so a client
 * never sees a change it could not then read back.
 */
@Singleton
public final class AlertStream {
    /** Idle connections get a heartbeat this often, so proxies keep them open. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);
    /** How often an open stream checks that its session is still open. */
    private static final Duration SESSION_CHECK = Duration.ofSeconds(2);

    private final AlertRepository alerts;
    private final Sinks.Many<AlertView> changes = Sinks.many().multicast().directBestEffort();

    AlertStream(AlertRepository alerts) {
        this.alerts = alerts;
    }

    /** Reads the changed alerts back and sends them to every subscriber. */
    public void publishChanged(Collection<String> alertIds) {
        if (alertIds.isEmpty() || changes.currentSubscriberCount() == 0) {
            return;
        }
        for (AlertView view : alerts.views(alertIds)) {
            publish(view);
        }
    }

    public void publish(AlertView view) {
        synchronized (changes) { // the feed thread and request threads both publish; a Sink wants one at a time
            changes.tryEmitNext(view);
        }
    }

    /** Server-sent events: {@code alert} events carrying an alert, and a {@code heartbeat} event at once and every {@link #HEARTBEAT}. */
    /**
     * @param open whether the caller's session is still open and its token unexpired; checked every two seconds and on
     *             each event, and the stream ends when it is not: a token revoked or expired stops reading alerts too
     */
    public Publisher<Event<?>> events(java.util.function.BooleanSupplier open) {
        Flux<Event<?>> alertEvents = changes.asFlux()
                .map(view -> Event.of(view).name("alert").id(view.alertId() + ":" + view.version()));
        // The first heartbeat at once: the response's headers go out with it, so the client knows it is live now,
        // not at the first alert or after a full interval. An event with data, not a bare comment, which some SSE
        // clients (Micronaut's among them) fail on.
        Flux<Event<?>> heartbeats = Flux.interval(Duration.ZERO, HEARTBEAT)
                .map(tick -> Event.of(java.util.Map.of("at", java.time.Instant.now().toString())).name("heartbeat"));
        return Flux.merge(alertEvents, heartbeats)
                .takeWhile(event -> open.getAsBoolean())
                .takeUntilOther(Flux.interval(SESSION_CHECK).filter(tick -> !open.getAsBoolean()));
    }
}
