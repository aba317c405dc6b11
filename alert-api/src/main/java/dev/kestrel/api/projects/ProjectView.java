package dev.kestrel.api.projects;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/**
 * The project page: the register's records as they came (the project with its sponsors and facilities, each
 * milestone's latest report in the order planned, the latest base case, each facility's covenants) and the engine's
 * verdicts on them (its project-finance indicators now and as each snapshot had them, the covenant status, and each
 * started period's forecast revenue against the receipts it counted, from its latest snapshot).
 */
@Serdeable
public record ProjectView(String projectId, String borrowerId, JsonNode project, List<JsonNode> milestones,
                          @Nullable JsonNode forecast, List<JsonNode> covenants, String covenantStatus,
                          Map<String, JsonNode> indicators, List<HistoryPoint> history, JsonNode revenue,
                          @Nullable String revenueCurrency, @Nullable String revenueForecastId) {

    /** One snapshot's project-finance indicators, each its value alone (the units are those of {@code indicators}). */
    @Serdeable
    public record HistoryPoint(Instant asOf, Map<String, JsonNode> indicators) {
    }
}
