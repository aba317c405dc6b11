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
    /** Idle connections get a comment line this often, so proxies keep them open. */
    private static final Duration HEARTBEAT = Duration.ofSeconds(15);

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

    /** Server-sent events: {@code alert} events carrying an alert, and a heartbeat comment when idle. */
    public Publisher<Event<?>> events() {
        Flux<Event<?>> alertEvents = changes.asFlux()
                .map(view -> Event.of(view).name("alert").id(view.alertId() + ":" + view.version()));
        Flux<Event<?>> heartbeats = Flux.interval(HEARTBEAT).map(tick -> Event.of("").comment("heartbeat"));
        return Flux.merge(alertEvents, heartbeats);
    }
}
