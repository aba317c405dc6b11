package dev.kestrel.scenario;

import dev.kestrel.events.Alert;
import dev.kestrel.events.EventReference;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.replay.Replay;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Replays a scenario's history through {@link Replay} (the code {@code ./kestrel replay} runs) and compares what the
 * job raised and refused with what the scenario expects. The comparison is strict: every alert change the job raises
 * must be expected (unless its rule is ignored), every expectation must be met, and every refusal must be named.
 */
public final class ScenarioRunner {
    private static final String RULE_PACK = "classpath:rules/default-rules.jsonl";

    /** How a scenario ended: {@code skipped} with the pending text, or the list of differences (empty: it passed). */
    public record Outcome(Scenario scenario, String skipped, List<String> differences) {
        public boolean passed() {
            return skipped == null && differences.isEmpty();
        }
    }

    private ScenarioRunner() {}

    public static Outcome run(EmbeddedKafka kafka, Scenario scenario, Path work) throws Exception {
        if (scenario.pending() != null) {
            return new Outcome(scenario, scenario.pending(), List.of());
        }
        Path history = work.resolve(scenario.file().getFileName() + ".jsonl");
        Files.write(history, scenario.history());
        Replay.Result result = Replay.run(kafka, history,
                new Replay.Settings(RULE_PACK, scenario.until() == null ? null : scenario.until().atStartOfDay(ZoneOffset.UTC).toInstant(),
                        scenario.regimes()),
                work);
        return new Outcome(scenario, null, compare(scenario, result));
    }

    /** What differs between the scenario's expectations and a replay's result, one sentence each. */
    static List<String> compare(Scenario scenario, Replay.Result result) {
        List<String> differences = new ArrayList<>();
        List<Alert> unmatched = new ArrayList<>();
        for (Alert alert : result.alerts()) {
            if (!scenario.ignoredRules().contains(alert.getRuleId())) {
                unmatched.add(alert);
            }
        }
        for (Scenario.Expected expected : scenario.expected()) {
            Alert match = unmatched.stream().filter(alert -> matches(expected, alert)).findFirst().orElse(null);
            if (match != null) {
                unmatched.remove(match);
            } else {
                differences.add("expected, not raised: " + expected.text() + nearest(expected, result.alerts()));
            }
        }
        for (Alert alert : unmatched) {
            differences.add("raised, not expected: " + describe(alert));
        }
        for (Scenario.Never never : scenario.never()) {
            result.alerts().stream()
                    .filter(alert -> never.subject().equals(subject(alert)) && never.ruleId().equals(alert.getRuleId())
                            && (never.severity() == null || never.severity().equals(alert.getSeverity().name())))
                    .findFirst()
                    .ifPresent(alert -> differences.add("must never appear (" + never.text() + "), raised: " + describe(alert)));
        }
        List<Replay.Refusal> refusals = new ArrayList<>(result.refused());
        for (Scenario.Refused expected : scenario.refused()) {
            Replay.Refusal match = refusals.stream()
                    .filter(r -> r.line() == expected.line() && r.reasonCode().equals(expected.reasonCode())
                            && containsAll(r.reason(), expected.keyWords()))
                    .findFirst().orElse(null);
            if (match != null) {
                refusals.remove(match);
            } else {
                differences.add("expected refusal, not made: " + expected.text());
            }
        }
        for (Replay.Refusal refusal : refusals) {
            differences.add("refused, not expected: line " + refusal.line() + " " + refusal.reasonCode() + " " + refusal.reason());
        }
        return differences;
    }

    private static boolean matches(Scenario.Expected expected, Alert alert) {
        return expected.day().equals(day(alert)) && expected.subject().equals(subject(alert))
                && expected.ruleId().equals(alert.getRuleId()) && expected.change().equals(alert.getLifecycle().name())
                && expected.severity().equals(alert.getSeverity().name())
                && containsAll(explanation(alert), expected.keyWords());
    }

    /** The alerts of the same subject and rule, to show next to an unmet expectation. */
    private static String nearest(Scenario.Expected expected, List<Alert> alerts) {
        List<String> near = alerts.stream()
                .filter(a -> expected.subject().equals(subject(a)) && expected.ruleId().equals(a.getRuleId()))
                .map(ScenarioRunner::describe).toList();
        return near.isEmpty() ? "; the engine raised no " + expected.ruleId() + " for " + expected.subject()
                : "; the engine raised: " + String.join(" | ", near);
    }

    private static boolean containsAll(String text, List<String> keyWords) {
        String lower = text.toLowerCase(Locale.ROOT);
        return keyWords.stream().allMatch(k -> lower.contains(k.toLowerCase(Locale.ROOT)));
    }

    /** What a key word is looked for in: the title, the summary and the ids of the events cited. */
    static String explanation(Alert alert) {
        StringBuilder text = new StringBuilder(alert.getTitle()).append('\n').append(alert.getExplanation().getSummary());
        for (EventReference event : alert.getExplanation().getTriggeringEvents()) {
            text.append('\n').append(event.getEventId());
        }
        return text.toString();
    }

    static String subject(Alert alert) {
        if (alert.getBorrowerId() != null) {
            return alert.getBorrowerId();
        }
        return alert.getGroupId() != null ? alert.getGroupId() : "portfolio";
    }

    static LocalDate day(Alert alert) {
        return LocalDate.ofInstant(alert.getEventTime(), ZoneOffset.UTC);
    }

    static String describe(Alert alert) {
        return day(alert) + "  " + subject(alert) + "  " + alert.getRuleId() + "  " + alert.getLifecycle() + "  "
                + alert.getSeverity() + "  " + alert.getExplanation().getSummary();
    }
}
