package dev.kestrel.api.projects;

import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.LocalDate;
import java.util.Map;

/**
 * A project in the list: what it is, where it stands, and the engine's word on its covenants ({@code DEFAULT},
 * {@code LOCK_UP}, {@code COMPLIED}, or {@code UNTESTED} until a covenant and its ratio are known) and its ratios.
 */
@Serdeable
public record ProjectSummary(String projectId, String borrowerId, String name, String sector, String stage,
                             LocalDate scheduledCodDate, String currency, String covenantStatus, Map<String, JsonNode> indicators) {
}
