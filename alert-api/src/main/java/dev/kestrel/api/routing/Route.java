package dev.kestrel.api.routing;

import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.Severity;
import io.micronaut.core.annotation.Nullable;

/** Where a routing rule sent a new alert: the assignee and the rule that chose them. */
public record Route(String assignee, String ruleId) {

    /** What routing knows of a new alert: its subject, category and severity. */
    public record NewAlert(String alertId, @Nullable String borrowerId, @Nullable String groupId, AlertCategory category,
                           Severity severity) {
    }
}
