package dev.kestrel.api.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** Why the engine raised an alert: the readings against their thresholds, and the events behind them. */
@Serdeable
public record Explanation(String summary, List<Reading> inputs, List<TriggeringEvent> triggeringEvents) {

    /** One indicator reading in the unit the rule uses (money in minor units, ratios in basis points). */
    @Serdeable
    public record Reading(String indicator, String unit, long value, @Nullable Long previousValue, String comparison,
                          long threshold, @Nullable String currency, Instant observedAt) {
    }

    @Serdeable
    public record TriggeringEvent(String eventId, String eventType, Instant eventTime) {
    }
}
