package dev.kestrel.api.projects;

import dev.kestrel.contract.Indicator;
import io.micronaut.json.tree.JsonNode;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The engine's project-finance indicators out of a snapshot's: each as the engine wrote it, value, unit and time. */
final class ProjectIndicators {
    /** The indicators the engine measures for a project company, by their contract names. */
    static final List<String> NAMES = List.of(Indicator.HISTORIC_DSCR, Indicator.PROJECTED_DSCR, Indicator.LLCR,
                    Indicator.COVENANT_LEVEL, Indicator.DSRA_FUNDING, Indicator.REVENUE_SHORTFALL, Indicator.MILESTONE_SLIPPAGE_DAYS,
                    Indicator.COD_MARGIN_DAYS, Indicator.CAPEX_OVERRUN).stream().map(Indicator::indicatorName).toList();

    /** The engine's covenantLevel in words, the worst first: 2, 1, 0, and untested while it is absent. */
    static final List<String> COVENANT_STATUSES = List.of("DEFAULT", "LOCK_UP", "COMPLIED", "UNTESTED");

    private ProjectIndicators() {}

    /** The covenant status the engine's covenantLevel among {@code indicators} says. */
    static String covenantStatus(Map<String, JsonNode> indicators) {
        JsonNode level = indicators.get(Indicator.COVENANT_LEVEL.indicatorName());
        long value = level == null ? -1 : level.get("value").getLongValue();
        return value >= 2 ? "DEFAULT" : value == 1 ? "LOCK_UP" : value == 0 ? "COMPLIED" : "UNTESTED";
    }

    /** Those of {@code indicators} (a snapshot's, by name) that are the project's, in {@link #NAMES}' order; empty for none. */
    static Map<String, JsonNode> of(JsonNode indicators) {
        Map<String, JsonNode> found = new LinkedHashMap<>();
        if (indicators != null) {
            for (String name : NAMES) {
                JsonNode value = indicators.get(name);
                if (value != null && !value.isNull()) {
                    found.put(name, value);
                }
            }
        }
        return found;
    }
}
