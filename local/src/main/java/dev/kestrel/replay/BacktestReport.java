package dev.kestrel.replay;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * How well alerts foretold defaults. An alert episode <em>foretells</em> a default when it opened before the default
 * date and no more than the horizon before it. For each rule and overall:
 * <ul>
 *   <li>precision: of the borrowers the rule alerted, the share whose default it foretold;</li>
 *   <li>recall: of the borrowers that defaulted, the share whose default it foretold;</li>
 *   <li>lead time: for each foretold default, the days from the rule's first alert to the default;</li>
 *   <li>alerts per 1,000 borrowers per month: the desk's workload.</li>
 * </ul>
 * Dates are event-time days in UTC. Only episodes count (the OPENED change), not escalations or closures. The
 * watch-list alert is not a rule's: {@link WatchListBacktest} scores it, beside these lines.
 */
public final class BacktestReport {
    /** The figures of one rule, or of all rules together ({@code ruleId = ALL}). */
    public record Line(String ruleId, int episodes, double perThousandPerMonth, int borrowersAlerted, int foretold,
                       double precision, double recall, List<Long> leadDays) {
        public long leadPercentile(int percentile) {
            return percentile(leadDays, percentile);
        }
    }

    /** The nearest-rank percentile of sorted days, or -1 for none. */
    static long percentile(List<Long> sorted, int percentile) {
        if (sorted.isEmpty()) {
            return -1;
        }
        int index = (int) Math.ceil(percentile / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, index)));
    }

    private final int borrowers;
    private final LocalDate from;
    private final LocalDate to;
    private final int defaults;
    private final int horizonDays;
    private final List<Line> lines;

    private BacktestReport(int borrowers, LocalDate from, LocalDate to, int defaults, int horizonDays, List<Line> lines) {
        this.borrowers = borrowers;
        this.from = from;
        this.to = to;
        this.defaults = defaults;
        this.horizonDays = horizonDays;
        this.lines = lines;
    }

    public static BacktestReport of(Collection<Alert> alerts, Map<String, LocalDate> defaults, int borrowers,
                                    LocalDate from, LocalDate to, int horizonDays) {
        Map<String, List<Alert>> byRule = new TreeMap<>();
        List<Alert> opened = new ArrayList<>();
        for (Alert alert : alerts) {
            // The watch list is scored apart (WatchListBacktest): ALL is what the rules alone raise.
            if (alert.getLifecycle() == AlertLifecycle.OPENED && alert.getBorrowerId() != null && !alert.getRuleId().equals("WATCH-LIST")) {
                opened.add(alert);
                byRule.computeIfAbsent(alert.getRuleId(), r -> new ArrayList<>()).add(alert);
            }
        }
        double months = Math.max(1, ChronoUnit.DAYS.between(from, to) + 1) / 30.4375;
        List<Line> lines = new ArrayList<>();
        lines.add(line("ALL", opened, defaults, borrowers, months, horizonDays));
        byRule.forEach((rule, ruleAlerts) -> lines.add(line(rule, ruleAlerts, defaults, borrowers, months, horizonDays)));
        return new BacktestReport(borrowers, from, to, defaults.size(), horizonDays, lines);
    }

    private static Line line(String ruleId, List<Alert> alerts, Map<String, LocalDate> defaults, int borrowers, double months,
                             int horizonDays) {
        Map<String, LocalDate> firstForetelling = new HashMap<>();
        Set<String> alerted = new HashSet<>();
        for (Alert alert : alerts) {
            String borrower = alert.getBorrowerId();
            alerted.add(borrower);
            LocalDate day = LocalDate.ofInstant(alert.getEpisodeStartedAt(), ZoneOffset.UTC);
            LocalDate defaulted = defaults.get(borrower);
            if (defaulted != null && day.isBefore(defaulted) && ChronoUnit.DAYS.between(day, defaulted) <= horizonDays) {
                firstForetelling.merge(borrower, day, (a, b) -> a.isBefore(b) ? a : b);
            }
        }
        List<Long> lead = new ArrayList<>();
        firstForetelling.forEach((borrower, day) -> lead.add(ChronoUnit.DAYS.between(day, defaults.get(borrower))));
        lead.sort(Long::compare);
        int foretold = firstForetelling.size();
        return new Line(ruleId, alerts.size(), alerts.size() * 1000.0 / Math.max(1, borrowers) / months, alerted.size(),
                foretold, alerted.isEmpty() ? 0 : (double) foretold / alerted.size(),
                defaults.isEmpty() ? 0 : (double) foretold / defaults.size(), List.copyOf(lead));
    }

    public List<Line> lines() {
        return lines;
    }

    public Line line(String ruleId) {
        return lines.stream().filter(l -> l.ruleId().equals(ruleId)).findFirst().orElse(null);
    }

    /** The report as the replay command prints it. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "Backtest: %,d borrowers, %s to %s, %,d defaults; an alert foretells a default "
                + "it precedes by at most %d days.%n%n", borrowers, from, to, defaults, horizonDays));
        out.append(String.format(Locale.ROOT, "%-26s %8s %12s %9s %9s %9s %7s   %s%n", "rule", "episodes", "per 1k/month",
                "borrowers", "foretold", "precision", "recall", "lead days p10 / p50 / p90 (min-max)"));
        for (Line line : lines) {
            String lead = line.leadDays().isEmpty() ? "-" : String.format(Locale.ROOT, "%d / %d / %d (%d-%d)",
                    line.leadPercentile(10), line.leadPercentile(50), line.leadPercentile(90), line.leadDays().get(0),
                    line.leadDays().get(line.leadDays().size() - 1));
            out.append(String.format(Locale.ROOT, "%-26s %8d %12.1f %9d %9d %8.1f%% %6.1f%%   %s%n", line.ruleId(),
                    line.episodes(), line.perThousandPerMonth(), line.borrowersAlerted(), line.foretold(),
                    100 * line.precision(), 100 * line.recall(), lead));
        }
        return out.toString();
    }
}
