package dev.kestrel.api.config;

import dev.kestrel.events.Severity;
import io.micronaut.context.annotation.ConfigurationProperties;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumMap;
import java.util.Map;

/** How long an alert of each severity may stay unresolved before it breaches the desk's service level. */
@ConfigurationProperties("kestrel.sla")
public record SlaPolicy(Duration critical, Duration high, Duration medium, Duration low, Duration info) {

    public Duration of(Severity severity) {
        return switch (severity) {
            case CRITICAL -> critical;
            case HIGH -> high;
            case MEDIUM -> medium;
            case LOW -> low;
            case INFO -> info;
        };
    }

    public Instant dueAt(Instant received, Severity severity) {
        return received.plus(of(severity));
    }

    /** The policy as a table, for the stats endpoint and the desk. */
    public Map<Severity, Duration> asMap() {
        Map<Severity, Duration> map = new EnumMap<>(Severity.class);
        for (Severity severity : Severity.values()) {
            map.put(severity, of(severity));
        }
        return map;
    }
}
