package dev.kestrel.jobs.portfolio;

import dev.kestrel.contract.Indicator;
import dev.kestrel.jobs.group.MemberStatus;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.risk.Ratios;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The portfolio's drawn exposure in its currency, in total and per segment (each industry and each region), and the
 * open concentration episodes per segment. Each borrower's contribution sits in map state beside it, so a change
 * moves only the segments it touches.
 */
public final class PortfolioState {
    static final String INDUSTRY = "industry:";
    static final String REGION = "region:";

    long clock = Long.MIN_VALUE;
    long totalMinor;
    int borrowers;
    /** Drawn exposure per segment, e.g. industry:C or region:31, in a stable order. */
    final Map<String, Long> segments = new TreeMap<>();
    /** Open episodes per segment. */
    final Map<String, List<Episode>> episodes = new TreeMap<>();
    /** The input event behind the latest change, or null. */
    EventRef lastEvent;

    /** Whether the status adds to the portfolio's shares: something drawn, in the portfolio's currency. */
    static boolean contributes(MemberStatus status, String currency) {
        return status != null && status.drawnMinor > 0 && Objects.equals(status.currency, currency);
    }

    /**
     * Throws {@link ArithmeticException}, before anything changes, when replacing a contribution would take the
     * total beyond a long. Contributions are positive, so no segment's sum exceeds the total.
     */
    void checkRoom(MemberStatus old, MemberStatus status) {
        long total = old == null ? totalMinor : Math.subtractExact(totalMinor, old.drawnMinor);
        if (status != null) {
            Math.addExact(total, status.drawnMinor);
        }
    }

    void add(MemberStatus status, int sign) {
        long drawn = Math.multiplyExact(sign, status.drawnMinor);
        totalMinor = Math.addExact(totalMinor, drawn);
        borrowers += sign;
        move(INDUSTRY + code(status.industry), drawn);
        move(REGION + code(status.region), drawn);
    }

    private void move(String segment, long drawn) {
        long now = Math.addExact(segments.getOrDefault(segment, 0L), drawn);
        if (now == 0) {
            segments.remove(segment);
        } else {
            segments.put(segment, now);
        }
    }

    private static String code(String value) {
        return value == null || value.isBlank() ? "unknown" : value;
    }

    /** Every segment with exposure or an open episode: those whose rules must be evaluated. */
    List<String> segmentsToEvaluate() {
        List<String> all = new ArrayList<>(segments.keySet());
        for (String segment : episodes.keySet()) {
            if (!segments.containsKey(segment)) {
                all.add(segment);
            }
        }
        return all;
    }

    /** The indicators of one segment: its share, under the indicator of its kind, and the portfolio's size. */
    void indicators(String segment, IndicatorValues out) {
        out.clear();
        long drawn = segments.getOrDefault(segment, 0L);
        long share = totalMinor > 0 ? Ratios.basisPoints(drawn, totalMinor) : 0;
        out.set(segment.startsWith(INDUSTRY) ? Indicator.INDUSTRY_EXPOSURE_SHARE : Indicator.REGION_EXPOSURE_SHARE, share, clock);
        out.set(Indicator.PORTFOLIO_BORROWERS, borrowers, clock);
    }

    /** A copy of the per-segment exposure and totals, for the indicators before a change. */
    PortfolioState totalsCopy() {
        PortfolioState copy = new PortfolioState();
        copy.clock = clock;
        copy.totalMinor = totalMinor;
        copy.borrowers = borrowers;
        copy.segments.putAll(segments);
        return copy;
    }
}
