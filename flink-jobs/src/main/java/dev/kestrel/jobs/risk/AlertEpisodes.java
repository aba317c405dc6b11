package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertExplanation;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.EventReference;
import dev.kestrel.events.IndicatorReading;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.CompiledRule.Clause;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns rule results into alert episodes for one subject (a borrower, a group, a portfolio segment): an episode opens
 * once when its rule's condition becomes true, escalates only up its rule's ladder (to a higher severity, or to a
 * further step at the same one), and closes when the condition clears (with the rule's hysteresis) on known
 * indicators: an indicator without data neither opens nor closes one. Every change is emitted as an {@link Alert}
 * with its explanation.
 */
public final class AlertEpisodes {
    private AlertEpisodes() {}

    /** Evaluates every borrower rule for one borrower; see {@link #evaluate(AlertSubject, List, IndicatorValues, IndicatorValues, long, Consumer)}. */
    public static void evaluate(String borrowerId, BorrowerState state, List<CompiledRule> rules,
            IndicatorValues before, IndicatorValues after, long detectedAt, Consumer<Alert> out) {
        evaluate(new BorrowerSubject().of(borrowerId, state), rules, before, after, detectedAt, out);
    }

    /**
     * Evaluates every rule of the subject's scope against the indicators and emits the episode changes. Runs on every
     * event, so it allocates nothing unless an episode changes or an indicator one reads loses its data.
     *
     * @param rules the rule book's rules of the subject's scope ({@code RuleBook.rules(scope)}); an open episode whose
     *              rule is not among them is closed as withdrawn
     * @param before the indicators before the triggering change, or null when time alone moved (a timer)
     */
    public static void evaluate(AlertSubject subject, List<CompiledRule> rules,
            IndicatorValues before, IndicatorValues after, long detectedAt, Consumer<Alert> out) {
        evaluate(subject, rules, -1L, before, after, detectedAt, out);
    }

    /**
     * Evaluates the rules of the subject's scope as {@link #evaluate(AlertSubject, List, IndicatorValues, IndicatorValues,
     * long, Consumer)} does, except those with no open episode that read none of the indicators in {@code moved}: these
     * were evaluated on the same values of their indicators, and did not open then.
     *
     * @param moved the indicators whose value or presence moved since these rules last read the subject's (bits by
     *              ordinal); -1 for every rule
     */
    public static void evaluate(AlertSubject subject, List<CompiledRule> rules, long moved,
            IndicatorValues before, IndicatorValues after, long detectedAt, Consumer<Alert> out) {
        List<Episode> episodes = subject.episodes();
        int episodesBefore = episodes.size();
        int episodesOfRulesInBook = 0;
        for (int i = 0; i < rules.size(); i++) {
            CompiledRule rule = rules.get(i);
            if (rule.scope() != subject.scope()) {
                continue;
            }
            Episode episode = find(episodes, rule.ruleId());
            if (episode == null) {
                if ((rule.indicatorMask() & moved) == 0) {
                    continue; // none of its indicators moved since it last found the condition false
                }
                if (rule.enabled() && rule.condition().holdingGroup(after, false) != null) {
                    Severity severity = rule.severityFor(after);
                    long now = subject.clock();
                    episode = new Episode(rule.ruleId(), AlertIds.of(subject.scope(), subject.subjectId(), rule.ruleId(), now),
                            severity, rule.version(), now);
                    episode.check(rule.indicators(), after, now);
                    episode.level = rule.levelFor(after);
                    episodes.add(episode);
                    out.accept(alert(AlertLifecycle.OPENED, subject, rule, episode,
                            rule.clausesFor(severity, after, false), before, after, detectedAt));
                }
                continue;
            }
            episodesOfRulesInBook++;
            episode.check(rule.indicators(), after, subject.clock());
            if (!rule.enabled() || rule.condition().clearedFor(after)) {
                episodes.remove(episode);
                episode.ruleVersion = rule.version();
                out.accept(alert(AlertLifecycle.CLOSED, subject, rule, episode,
                        rule.condition().failingClauses(after), before, after, detectedAt));
            } else if (reached(episode, rule) < rule.escalations().size()) { // at its rule's top it cannot escalate
                // Up the ladder only; a step may keep the severity (doubtful, then loss, both CRITICAL) and is announced.
                int level = rule.levelFor(after);
                if (level > reached(episode, rule)) {
                    Severity severity = rule.severityAt(level);
                    episode.level = level;
                    episode.severity = severity.compareTo(episode.severity) > 0 ? severity : episode.severity;
                    episode.ruleVersion = rule.version();
                    out.accept(alert(AlertLifecycle.ESCALATED, subject, rule, episode,
                            rule.clausesFor(severity, after, true), before, after, detectedAt));
                }
            }
        }
        if (episodesOfRulesInBook < episodesBefore) {
            closeEpisodesOfVanishedRules(subject, rules, detectedAt, out);
        }
    }

    /** The step of the rule's ladder the episode stands on; one read from older state knows only its severity. */
    private static int reached(Episode episode, CompiledRule rule) {
        return Math.max(episode.level, rule.lowestLevelOf(episode.severity));
    }

    /** The subject's open episode of the rule, or null. */
    public static Episode find(List<Episode> episodes, String ruleId) {
        for (Episode episode : episodes) {
            if (episode.ruleId.equals(ruleId)) {
                return episode;
            }
        }
        return null;
    }

    /** An episode whose rule is no longer in the book (a rule pack without it) must not stay open for ever. */
    private static void closeEpisodesOfVanishedRules(AlertSubject subject, List<CompiledRule> rules, long detectedAt,
            Consumer<Alert> out) {
        for (Iterator<Episode> it = subject.episodes().iterator(); it.hasNext(); ) {
            Episode episode = it.next();
            boolean known = false;
            for (CompiledRule rule : rules) {
                known |= rule.ruleId().equals(episode.ruleId) && rule.scope() == subject.scope();
            }
            if (!known) {
                it.remove();
                out.accept(withdrawn(subject, episode, detectedAt));
            }
        }
    }

    /** The closing change of an episode whose rule is no longer in the book. */
    public static Alert withdrawn(AlertSubject subject, Episode episode, long detectedAt) {
        return alert(AlertLifecycle.CLOSED, subject, episode, episode.ruleId, AlertCategory.OTHER,
                "Rule " + episode.ruleId + " withdrawn", "Closed: rule " + episode.ruleId + " is no longer in the rule pack.",
                List.of(), subject.triggeringEvents(), detectedAt);
    }

    static String alertId(String borrowerId, String ruleId, long openedAt) {
        return AlertIds.forBorrower(borrowerId, ruleId, openedAt);
    }

    /**
     * The indicator readings the clauses compared, with a plain fact for each, e.g. "daysPastDue 31 days > 30 days".
     * An unknown indicator reads "inflowDrop unknown since 2026-05-01 (no data)", the date being the last check of
     * {@code episode} that knew it; its reading has value 0, observed then.
     *
     * @param episode the episode the change is of, or null when there is none to say since when an indicator is unknown
     */
    public static List<IndicatorReading> readings(List<Clause> clauses, AlertLifecycle lifecycle, Episode episode,
            IndicatorValues before, IndicatorValues after, String currency, long now, List<String> facts) {
        List<IndicatorReading> readings = new ArrayList<>();
        for (Clause clause : clauses) {
            Indicator indicator = clause.indicator();
            boolean present = after.has(indicator);
            long value = present ? after.get(indicator) : 0;
            Long previous = before != null && before.has(indicator) ? before.get(indicator) : null;
            long threshold = lifecycle == AlertLifecycle.CLOSED && clause.clearThreshold() != null ? clause.clearThreshold() : clause.threshold();
            long lastKnownAt = after.isKnown(indicator) ? after.observedAt(indicator) : lastKnownAt(episode, indicator);
            readings.add(IndicatorReading.newBuilder()
                    .setIndicator(indicator.indicatorName())
                    .setUnit(indicator.unit())
                    .setValue(value)
                    .setPreviousValue(previous)
                    .setComparison(clause.symbol())
                    .setThreshold(threshold)
                    .setCurrency(indicator.unit() == IndicatorUnit.MINOR_UNITS ? currency : null)
                    .setObservedAt(Instant.ofEpochMilli(lastKnownAt == Episode.NEVER ? now : lastKnownAt))
                    .build());
            if (after.isNotApplicable(indicator)) {
                facts.add(indicator.indicatorName() + " not applicable");
            } else if (!present) {
                facts.add(indicator.indicatorName() + " unknown"
                        + (lastKnownAt == Episode.NEVER ? "" : " since " + Instant.ofEpochMilli(lastKnownAt).atZone(ZoneOffset.UTC).toLocalDate())
                        + " (no data)");
            } else if (indicator.unit() == IndicatorUnit.FLAG) {
                facts.add(indicator.indicatorName() + (value != 0 ? " yes" : " no"));
            } else {
                facts.add(indicator.indicatorName() + " " + format(indicator.unit(), value, currency)
                        + (lifecycle == AlertLifecycle.CLOSED ? " no longer " : " ") + clause.symbol() + " "
                        + format(indicator.unit(), threshold, currency)
                        + (crossed(clause, lifecycle, previous, value) ? " (was " + format(indicator.unit(), previous, currency) + ")" : ""));
            }
        }
        return readings;
    }

    /**
     * Whether the value before this change stood on the other side of the clause, so that "was" tells the crossing: a
     * value already beyond the threshold (the alert opened for another clause, or a rule published later) is no
     * "before" of the crossing and is not shown.
     */
    private static boolean crossed(Clause clause, AlertLifecycle lifecycle, Long previous, long value) {
        if (previous == null || previous == value) {
            return false;
        }
        boolean closing = lifecycle == AlertLifecycle.CLOSED;
        return clause.holdsFor(previous, closing) == closing;
    }

    private static long lastKnownAt(Episode episode, Indicator indicator) {
        Long lastKnownAt = episode == null ? null : episode.lastKnownAt(indicator);
        return lastKnownAt == null ? Episode.NEVER : lastKnownAt;
    }

    private static Alert alert(AlertLifecycle lifecycle, AlertSubject subject, CompiledRule rule,
            Episode episode, List<Clause> clauses, IndicatorValues before, IndicatorValues after, long detectedAt) {
        List<String> facts = new ArrayList<>();
        List<IndicatorReading> readings = readings(clauses, lifecycle, episode, before, after, subject.currency(), subject.clock(), facts);
        String context = lifecycle == AlertLifecycle.CLOSED ? "" : subject.context(rule);
        String summary = switch (lifecycle) {
            case OPENED -> subject.title(rule) + ": " + String.join("; ", facts) + ". " + context + rule.rationale();
            case ESCALATED -> subject.title(rule) + ", now " + episode.severity + ": " + String.join("; ", facts) + "." + (context.isEmpty() ? "" : " " + context.strip());
            case CLOSED -> rule.enabled() ? "Cleared: " + String.join("; ", facts) + "."
                    : "Closed: rule " + rule.ruleId() + " was disabled in version " + rule.version() + ".";
        };
        return alert(lifecycle, subject, episode, rule.ruleId(), rule.category(), subject.title(rule), summary, readings,
                subject.triggeringEvents(rule), detectedAt);
    }

    /** One change of an episode a stage manages itself (a group's contagion alerts on its members), with its explanation. */
    public static Alert change(AlertLifecycle lifecycle, AlertSubject subject, Episode episode, CompiledRule rule,
            String summary, List<IndicatorReading> readings, long detectedAt) {
        return alert(lifecycle, subject, episode, rule.ruleId(), rule.category(), subject.title(rule), summary, readings,
                subject.triggeringEvents(rule), detectedAt);
    }

    private static Alert alert(AlertLifecycle lifecycle, AlertSubject subject, Episode episode, String ruleId,
            AlertCategory category, String title, String summary, List<IndicatorReading> readings,
            List<EventReference> triggeringEvents, long detectedAt) {
        return Alert.newBuilder()
                .setAlertId(episode.alertId)
                .setLifecycle(lifecycle)
                .setScope(subject.scope())
                .setBorrowerId(subject.borrowerId())
                .setGroupId(subject.groupId())
                .setRuleId(ruleId)
                .setRuleVersion(episode.ruleVersion)
                .setCategory(category)
                .setSeverity(episode.severity)
                .setTitle(title)
                .setExplanation(AlertExplanation.newBuilder()
                        .setSummary(summary)
                        .setInputs(readings)
                        .setTriggeringEvents(triggeringEvents)
                        .build())
                .setEpisodeStartedAt(Instant.ofEpochMilli(episode.startedAt))
                .setEventTime(Instant.ofEpochMilli(subject.clock()))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .build();
    }

    /** A value as the desk reads it: money with its currency, basis points as a percentage, days as days. */
    public static String format(IndicatorUnit unit, long value, String currency) {
        return switch (unit) {
            case MINOR_UNITS -> money(value, currency);
            case BASIS_POINTS -> String.format(Locale.ROOT, "%.2f%%", value / 100.0);
            case DAYS -> value + (value == 1 ? " day" : " days");
            case FLAG -> value != 0 ? "yes" : "no";
            default -> Long.toString(value);
        };
    }

    public static String money(long minor, String currency) {
        int digits = 2;
        if (currency != null) {
            try {
                digits = Math.max(0, Currency.getInstance(currency).getDefaultFractionDigits());
            } catch (IllegalArgumentException unknown) {
                digits = 2;
            }
        }
        java.math.BigDecimal amount = java.math.BigDecimal.valueOf(minor, digits);
        return (currency == null ? "" : currency + " ") + String.format(Locale.ROOT, "%,." + digits + "f", amount);
    }
}
