package dev.kestrel.replay;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.WatchGrade;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;

/**
 * How well the watch list foretold defaults: the WATCH-LIST alert's entries (AMBER or worse), and each grade reached,
 * with the precision, recall and F1 a validator asks of a grade threshold, the lead time and the desk's workload; and
 * how well the score ranks borrowers: the AUC of the score at month-end cut-offs (each borrower's latest score at the
 * cut-off against whether it defaulted within the horizon after it; borrowers already in default are left out).
 */
public final class WatchListBacktest {
    /** One threshold: entering the list (any grade from AMBER), or reaching RED or worse, or BLACK. */
    public record Threshold(String name, int entries, double perThousandPerMonth, int borrowers, int foretold, double precision,
                            double recall, double f1, List<Long> leadDays) {
        long leadPercentile(int percentile) {
            return BacktestReport.percentile(leadDays, percentile);
        }
    }

    private final List<Threshold> thresholds;
    private final double auc;
    private final int cutOffs;
    private final String scorecards;

    private WatchListBacktest(List<Threshold> thresholds, double auc, int cutOffs, String scorecards) {
        this.thresholds = thresholds;
        this.auc = auc;
        this.cutOffs = cutOffs;
        this.scorecards = scorecards;
    }

    public static WatchListBacktest of(Collection<Alert> alerts, List<BorrowerScore> scores, Map<String, LocalDate> defaults,
            int borrowers, LocalDate from, LocalDate to, int horizonDays) {
        double months = Math.max(1, ChronoUnit.DAYS.between(from, to) + 1) / 30.4375;
        List<Threshold> thresholds = new ArrayList<>();
        // Entries: the watch-list alert's openings, as the desk receives them.
        Map<String, List<LocalDate>> entries = new HashMap<>();
        for (Alert alert : alerts) {
            if (alert.getLifecycle() == AlertLifecycle.OPENED && alert.getRuleId().equals("WATCH-LIST")) {
                entries.computeIfAbsent(alert.getBorrowerId(), b -> new ArrayList<>()).add(day(alert.getEpisodeStartedAt()));
            }
        }
        thresholds.add(threshold("entered (AMBER+)", entries, defaults, borrowers, months, horizonDays));
        for (WatchGrade grade : List.of(WatchGrade.RED, WatchGrade.BLACK)) {
            Map<String, List<LocalDate>> reached = new HashMap<>();
            for (BorrowerScore score : scores) {
                boolean worsened = score.getGrade().compareTo(grade) >= 0
                        && (score.getPreviousGrade() == null || score.getPreviousGrade().compareTo(grade) < 0);
                if (worsened) {
                    reached.computeIfAbsent(score.getBorrowerId(), b -> new ArrayList<>()).add(day(score.getEventTime()));
                }
            }
            thresholds.add(threshold(grade == WatchGrade.BLACK ? "BLACK" : "RED+", reached, defaults, borrowers, months, horizonDays));
        }
        TreeSet<String> versions = new TreeSet<>();
        scores.forEach(s -> versions.add(s.getScorecardId() + " v" + s.getScorecardVersion()));
        List<LocalDate> cutOffs = monthEnds(from, to);
        return new WatchListBacktest(thresholds, auc(scores, defaults, cutOffs, horizonDays), cutOffs.size(), String.join(", ", versions));
    }

    private static LocalDate day(Instant instant) {
        return LocalDate.ofInstant(instant, ZoneOffset.UTC);
    }

    /** A threshold crossed on these days per borrower: it foretells a default it precedes by at most the horizon. */
    private static Threshold threshold(String name, Map<String, List<LocalDate>> crossed, Map<String, LocalDate> defaults,
            int borrowers, double months, int horizonDays) {
        int count = 0;
        List<Long> lead = new ArrayList<>();
        for (Map.Entry<String, List<LocalDate>> borrower : crossed.entrySet()) {
            count += borrower.getValue().size();
            LocalDate defaulted = defaults.get(borrower.getKey());
            LocalDate first = null;
            for (LocalDate day : borrower.getValue()) {
                boolean foretells = defaulted != null && day.isBefore(defaulted) && ChronoUnit.DAYS.between(day, defaulted) <= horizonDays;
                if (foretells && (first == null || day.isBefore(first))) {
                    first = day;
                }
            }
            if (first != null) {
                lead.add(ChronoUnit.DAYS.between(first, defaulted));
            }
        }
        lead.sort(Long::compare);
        int foretold = lead.size();
        double precision = crossed.isEmpty() ? 0 : (double) foretold / crossed.size();
        double recall = defaults.isEmpty() ? 0 : (double) foretold / defaults.size();
        double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
        return new Threshold(name, count, count * 1000.0 / Math.max(1, borrowers) / months, crossed.size(), foretold, precision,
                recall, f1, List.copyOf(lead));
    }

    /** The last day of each month from {@code from}'s to the last that ends by {@code to}: the cut-offs scores are read at. */
    public static List<LocalDate> monthEnds(LocalDate from, LocalDate to) {
        List<LocalDate> ends = new ArrayList<>();
        for (LocalDate end = from.withDayOfMonth(from.lengthOfMonth()); !end.isAfter(to); end = end.plusMonths(1)
                .withDayOfMonth(end.plusMonths(1).lengthOfMonth())) {
            ends.add(end);
        }
        return ends;
    }

    /**
     * The probability that a borrower that defaulted within the horizon after a cut-off scored higher at it than one
     * that did not (ties count half): Mann-Whitney's U over every (borrower, cut-off) pair, by ranks.
     */
    static double auc(List<BorrowerScore> scores, Map<String, LocalDate> defaults, List<LocalDate> cutOffs, int horizonDays) {
        Map<String, List<BorrowerScore>> byBorrower = new LinkedHashMap<>();
        for (BorrowerScore score : scores) {
            byBorrower.computeIfAbsent(score.getBorrowerId(), b -> new ArrayList<>()).add(score);
        }
        List<long[]> samples = new ArrayList<>(); // {score, defaulted 1/0}
        for (Map.Entry<String, List<BorrowerScore>> borrower : byBorrower.entrySet()) {
            LocalDate defaulted = defaults.get(borrower.getKey());
            for (LocalDate cutOff : cutOffs) {
                Integer latest = null;
                for (BorrowerScore score : borrower.getValue()) { // in the order the engine wrote them
                    if (!day(score.getEventTime()).isAfter(cutOff)) {
                        latest = score.getScore();
                    }
                }
                if (latest == null || (defaulted != null && !defaulted.isAfter(cutOff))) {
                    continue; // not scored yet, or already in default
                }
                boolean bad = defaulted != null && ChronoUnit.DAYS.between(cutOff, defaulted) <= horizonDays;
                samples.add(new long[] {latest, bad ? 1 : 0});
            }
        }
        long[] values = new long[samples.size()];
        boolean[] defaulted = new boolean[samples.size()];
        for (int k = 0; k < samples.size(); k++) {
            values[k] = samples.get(k)[0];
            defaulted[k] = samples.get(k)[1] == 1;
        }
        return Ranking.auc(values, defaulted);
    }

    public List<Threshold> thresholds() {
        return thresholds;
    }

    public Threshold threshold(String name) {
        return thresholds.stream().filter(t -> t.name().equals(name)).findFirst().orElseThrow();
    }

    public double auc() {
        return auc;
    }

    /** The section as the replay prints it under the rules' report. */
    public String text() {
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "%nWatch list (%s): AUC of the score %s at %d month-end cut-offs%n%n",
                scorecards.isEmpty() ? "no scores" : scorecards, Double.isNaN(auc) ? "-" : String.format(Locale.ROOT, "%.3f", auc), cutOffs));
        out.append(String.format(Locale.ROOT, "%-26s %8s %12s %9s %9s %9s %7s %7s   %s%n", "threshold", "entries", "per 1k/month",
                "borrowers", "foretold", "precision", "recall", "F1", "lead days p10 / p50 / p90 (min-max)"));
        for (Threshold t : thresholds) {
            String lead = t.leadDays().isEmpty() ? "-" : String.format(Locale.ROOT, "%d / %d / %d (%d-%d)", t.leadPercentile(10),
                    t.leadPercentile(50), t.leadPercentile(90), t.leadDays().get(0), t.leadDays().get(t.leadDays().size() - 1));
            out.append(String.format(Locale.ROOT, "%-26s %8d %12.1f %9d %9d %8.1f%% %6.1f%% %7.3f   %s%n", t.name(), t.entries(),
                    t.perThousandPerMonth(), t.borrowers(), t.foretold(), 100 * t.precision(), 100 * t.recall(), t.f1(), lead));
        }
        return out.toString();
    }
}
