package dev.kestrel.contract;

import dev.kestrel.events.FinancialStatement;
import java.util.List;

/**
 * How to read a {@link FinancialStatement}'s amounts so that an unknown figure stays unknown. Version 1 of the record
 * made seven amounts required; a producer without one sends 0 and names it in {@code unknownAmounts}. The lines added
 * later are simply null when unknown.
 */
public final class StatementAmounts {
    /** The amounts version 1 made required, by field name, in the record's order. */
    public static final List<String> REQUIRED_IN_V1 = List.of("totalAssetsMinor", "totalLiabilitiesMinor", "currentAssetsMinor",
            "currentLiabilitiesMinor", "revenueMinor", "netProfitMinor", "operatingCashFlowMinor");

    private StatementAmounts() {}

    /** The amount of that field, or null when the statement names it unknown. */
    public static Long known(FinancialStatement statement, String field) {
        return statement.getUnknownAmounts().contains(field) ? null : (Long) statement.get(field);
    }
}
