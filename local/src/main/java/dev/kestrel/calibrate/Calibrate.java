package dev.kestrel.calibrate;

import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.ScorecardCheck;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.GradeThreshold;
import dev.kestrel.events.IndicatorValue;
import dev.kestrel.events.OpenAlert;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.score.CompiledScorecard;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.replay.CommandOptions;
import dev.kestrel.replay.Outcomes;
import dev.kestrel.replay.Ranking;
import dev.kestrel.replay.Replay;
import dev.kestrel.replay.WatchListBacktest;
import java.io.BufferedReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

/**
 * {@code ./kestrel calibrate}: replays a history through the same job as {@code ./kestrel replay}, samples every
 * borrower's indicators and open alerts at each month-end cut-off (from the engine's risk snapshots), fits the base
 * scorecard's points to the outcomes on a training split of the borrowers, and writes the candidate scorecard. The
 * report compares candidate and base on the borrowers held out: AUC, KS, lift by decile, and the precision, recall and
 * F1 of each grade's entry threshold. The candidate can then be shadow-run with {@code ./kestrel replay --candidate}.
 */
public final class Calibrate {
    private Calibrate() {}

    /** The fitted candidate, the samples of each split, and the report. */
    public record Result(Scorecard candidate, int trainingSamples, int holdOutSamples, String report) {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path history = Path.of(required(options, "history"));
        Path outcomes = Path.of(required(options, "outcomes"));
        Path out = Path.of(options.getOrDefault("out", "candidate-scorecard.jsonl"));
        Scorecard base = read(options.getOrDefault("scorecard", RuleFiles.DEFAULT_SCORECARD));
        Settings settings = new Settings(Integer.parseInt(options.getOrDefault("horizon-days", "365")),
                Integer.parseInt(options.getOrDefault("hold-out-percent", "30")), Long.parseLong(options.getOrDefault("seed", "1")),
                Double.parseDouble(options.getOrDefault("ridge", "1.0")), options.get("regimes"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Result result = run(kafka, history, Outcomes.read(outcomes), base, settings, Files.createTempDirectory("kestrel-calibrate"));
            Files.writeString(out, JsonLines.write(result.candidate()) + "\n", StandardCharsets.UTF_8);
            System.out.print(result.report());
            System.out.printf(Locale.ROOT, "%nCandidate %s v%d written to %s; shadow-run it with ./kestrel replay --history %s "
                    + "--outcomes %s --candidate %s%n", result.candidate().getScorecardId(), result.candidate().getVersion(), out,
                    history, outcomes, out);
        }
    }

    /**
     * How to calibrate: how far after a cut-off a default counts, the share of borrowers held out, the split's seed,
     * the regression's penalty, and the regimes to classify under (null: the engine's default).
     */
    public record Settings(int horizonDays, int holdOutPercent, long seed, double ridge, String regimes) {
        public Settings {
            if (holdOutPercent < 1 || holdOutPercent > 90) {
                throw new IllegalArgumentException("hold-out-percent must be 1 to 90; got " + holdOutPercent);
            }
        }
    }

    public static Result run(EmbeddedKafka kafka, Path history, Map<String, LocalDate> defaults, Scorecard base, Settings settings,
            Path work) throws Exception {
        Replay.Result replay = Replay.run(kafka, history,
                new Replay.Settings("classpath:rules/default-rules.jsonl", null, settings.regimes()).withSnapshots(), work);
        CompiledScorecard binning = CompiledScorecard.compile(base);
        List<Calibration.Sample> samples = samples(replay.snapshots(), binning, defaults, replay.from(), replay.to(),
                settings.horizonDays());
        List<Calibration.Sample> training = new ArrayList<>();
        List<Calibration.Sample> holdOut = new ArrayList<>();
        for (Calibration.Sample sample : samples) {
            (heldOut(sample.borrowerId(), settings) ? holdOut : training).add(sample);
        }
        Scorecard candidate = Calibration.fit(base, training, settings.ridge(), history.getFileName().toString(), Instant.now());
        ScorecardCheck.check(candidate); // points fitted within the checked bounds; anything else is a defect here
        String report = report(history, replay, training, holdOut, base, candidate, settings);
        return new Result(candidate, training.size(), holdOut.size(), report);
    }

    /** Every borrower at every month-end cut-off it has a snapshot by, and had not defaulted by. */
    static List<Calibration.Sample> samples(List<BorrowerRiskSnapshot> snapshots, CompiledScorecard binning,
            Map<String, LocalDate> defaults, LocalDate from, LocalDate to, int horizonDays) {
        Map<String, List<BorrowerRiskSnapshot>> byBorrower = new LinkedHashMap<>();
        snapshots.forEach(s -> byBorrower.computeIfAbsent(s.getBorrowerId(), b -> new ArrayList<>()).add(s)); // by asOf
        // Only cut-offs whose whole horizon the history covers: a later one would count a borrower as sound for lack of
        // the months that would have shown its default, and the fit would learn the end of the file, not the risk.
        List<LocalDate> cutOffs = WatchListBacktest.monthEnds(from, to.minusDays(horizonDays));
        if (cutOffs.isEmpty()) {
            throw new IllegalArgumentException("the history runs from " + from + " to " + to + ": no month-end cut-off has the "
                    + horizonDays + " days after it in the history; give a history longer than the horizon by a month or more, "
                    + "or a shorter --horizon-days (which fits a PD over that horizon, not 12 months)");
        }
        List<Calibration.Sample> samples = new ArrayList<>();
        for (Map.Entry<String, List<BorrowerRiskSnapshot>> borrower : byBorrower.entrySet()) {
            LocalDate defaulted = defaults.get(borrower.getKey());
            int next = 0;
            BorrowerRiskSnapshot latest = null;
            for (LocalDate cutOff : cutOffs) {
                List<BorrowerRiskSnapshot> own = borrower.getValue();
                while (next < own.size() && !LocalDate.ofInstant(own.get(next).getAsOf(), ZoneOffset.UTC).isAfter(cutOff)) {
                    latest = own.get(next++);
                }
                if (latest == null || (defaulted != null && !defaulted.isAfter(cutOff))) {
                    continue;
                }
                boolean bad = defaulted != null && ChronoUnit.DAYS.between(cutOff, defaulted) <= horizonDays;
                samples.add(new Calibration.Sample(borrower.getKey(), cutOff, bins(latest, binning), bad));
            }
        }
        return samples;
    }

    /**
     * The bins of a snapshot. A snapshot lists the indicators that have a value; one it leaves out reads as unknown,
     * also when it did not apply (the snapshot does not tell the two apart). Open alerts give the rules' states.
     */
    private static int[] bins(BorrowerRiskSnapshot snapshot, CompiledScorecard binning) {
        IndicatorValues values = new IndicatorValues();
        for (IndicatorValue value : snapshot.getIndicators()) {
            Indicator indicator = Indicator.named(value.getIndicator());
            if (indicator != null) {
                values.set(indicator, value.getValue(), value.getObservedAt().toEpochMilli());
            }
        }
        Map<String, Integer> open = new HashMap<>();
        for (OpenAlert alert : snapshot.getOpenAlerts()) {
            open.put(alert.getRuleId(), alert.getSeverity().ordinal() + 1);
        }
        return binning.binsOf(values, ruleId -> open.getOrDefault(ruleId, 0));
    }

    /** The split, by borrower (all of a borrower's cut-offs on one side), the same for the same seed. */
    private static boolean heldOut(String borrowerId, Settings settings) {
        CRC32 crc = new CRC32();
        crc.update((settings.seed() + ":" + borrowerId).getBytes(StandardCharsets.UTF_8));
        return crc.getValue() % 100 < settings.holdOutPercent();
    }

    private static String report(Path history, Replay.Result replay, List<Calibration.Sample> training, List<Calibration.Sample> holdOut,
            Scorecard base, Scorecard candidate, Settings settings) {
        StringBuilder out = new StringBuilder();
        long trainingBad = training.stream().filter(Calibration.Sample::defaulted).count();
        long holdOutBad = holdOut.stream().filter(Calibration.Sample::defaulted).count();
        out.append(String.format(Locale.ROOT, "Calibration on %s: %,d borrowers, %s to %s; samples at the month-end cut-offs "
                + "whose horizon the history covers, a default counted within %d days after one.%nTraining: %,d samples (%,d defaulted within the horizon); "
                + "hold-out (%d%% of borrowers): %,d samples (%,d).%n%n", history.getFileName(), replay.borrowers(), replay.from(),
                replay.to(), settings.horizonDays(), training.size(), trainingBad, settings.holdOutPercent(), holdOut.size(), holdOutBad));
        out.append(String.format(Locale.ROOT, "%-30s %7s %7s   %s%n", "on the hold-out", "AUC", "KS", "lift by decile, riskiest first"));
        for (Scorecard card : List.of(base, candidate)) {
            long[] scores = new long[holdOut.size()];
            boolean[] bad = new boolean[holdOut.size()];
            for (int i = 0; i < holdOut.size(); i++) {
                scores[i] = Calibration.score(card, holdOut.get(i).bins());
                bad[i] = holdOut.get(i).defaulted();
            }
            StringBuilder lift = new StringBuilder();
            for (double decile : Ranking.liftByDecile(scores, bad)) {
                lift.append(Double.isNaN(decile) ? "   - " : String.format(Locale.ROOT, "%5.2f", decile));
            }
            out.append(String.format(Locale.ROOT, "%-30s %7.3f %7.3f   %s%n", (card == base ? "base " : "candidate ")
                    + card.getScorecardId() + " v" + card.getVersion(), Ranking.auc(scores, bad), Ranking.ks(scores, bad), lift));
        }
        out.append(String.format(Locale.ROOT, "%n%-30s %-9s %9s %9s %9s %7s %7s%n", "grade threshold (hold-out)", "score", "samples",
                "defaulted", "precision", "recall", "F1"));
        for (Scorecard card : List.of(base, candidate)) {
            for (GradeThreshold grade : card.getGrades()) {
                long flagged = 0;
                long hit = 0;
                for (Calibration.Sample sample : holdOut) {
                    if (Calibration.score(card, sample.bins()) >= grade.getEnterAt()) {
                        flagged++;
                        hit += sample.defaulted() ? 1 : 0;
                    }
                }
                double precision = flagged == 0 ? 0 : (double) hit / flagged;
                double recall = holdOutBad == 0 ? 0 : (double) hit / holdOutBad;
                double f1 = precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
                out.append(String.format(Locale.ROOT, "%-30s %-9s %9d %9d %8.1f%% %6.1f%% %7.3f%n",
                        (card == base ? "base v" : "candidate v") + card.getVersion() + " " + grade.getGrade(), ">= " + grade.getEnterAt(),
                        flagged, hit, 100 * precision, 100 * recall, f1));
            }
        }
        return out.toString();
    }

    static Scorecard read(String location) throws Exception {
        try (BufferedReader reader = RuleFiles.open(location)) {
            String line = reader.readLine();
            Decoded decoded = line == null ? null : JsonLines.read(line);
            if (decoded == null || decoded.isRejected() || !(decoded.record() instanceof Scorecard card)) {
                throw new IllegalArgumentException("scorecard " + location + " does not hold a Scorecard line"
                        + (decoded != null && decoded.isRejected() ? ": " + decoded.reason() : ""));
            }
            try {
                ScorecardCheck.check(card);
            } catch (InvalidScorecardException e) {
                throw new IllegalArgumentException("scorecard " + location + ": " + e.getMessage(), e);
            }
            return card;
        }
    }

    private static Map<String, String> options(String[] args) {
        return CommandOptions.parse(args, Set.of("history", "outcomes", "out", "scorecard", "horizon-days", "hold-out-percent", "seed", "ridge", "regimes"), Calibrate::usage);
    }

    private static String required(Map<String, String> options, String name) {
        return CommandOptions.required(options, name, Calibrate::usage);
    }

    private static void usage(String problem) {
        System.err.println("calibrate: " + problem);
        System.err.println("""
                Usage: ./kestrel calibrate --history FILE --outcomes FILE [--out FILE] [--scorecard FILE] [--hold-out-percent N] [--seed N]
                  --history FILE          JSON lines as for ./kestrel replay
                  --outcomes FILE         borrowerId,defaultDate per defaulted borrower
                  --out FILE              where to write the candidate scorecard, default candidate-scorecard.jsonl
                  --scorecard FILE        the base scorecard whose factors and bins are fitted, default the shipped one
                  --horizon-days N        a default counts within this many days after a cut-off, default 365
                  --hold-out-percent N    the share of borrowers held out for the report, default 30
                  --seed N                the split's seed, default 1
                  --ridge X               the penalty on the fitted points, default 1.0
                  --regimes LIST          the regulatory regimes to classify under, default CN""");
        System.exit(64);
    }
}
