package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertExplanation;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.EventReference;
import dev.kestrel.events.IndicatorReading;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.CompiledRule.Clause;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Currency;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

/**
 * Turns rule results into alert episodes for one borrower: an episode opens once when its rule's condition becomes
 * true, escalates only to a higher severity, and closes when the condition clears (with the rule's hysteresis).
 * Every change is emitted as an {@link Alert} with its explanation.
 */
public final class AlertEpisodes {
    private AlertEpisodes() {}

    /**
     * Evaluates every borrower rule against the indicators and emits the episode changes.
     *
     * @param before the indicators before the triggering event, or null when time alone moved (a timer)
     */
    public static void evaluate(String borrowerId, BorrowerState state, Collection<CompiledRule> rules,
            IndicatorValues before, IndicatorValues after, long detectedAt, Consumer<Alert> out) {
        for (CompiledRule rule : rules) {
            if (rule.scope() != AlertScope.BORROWER) {
                continue;
            }
            Episode episode = state.episode(rule.ruleId());
            if (episode == null) {
                if (rule.enabled() && rule.condition().holdingGroup(after, false) != null) {
                    Severity severity = rule.severityFor(after);
                    episode = new Episode(rule.ruleId(), alertId(borrowerId, rule.ruleId(), state.clock), severity, rule.version(), state.clock);
                    state.episodes.add(episode);
                    out.accept(alert(AlertLifecycle.OPENED, borrowerId, state, rule, episode,
                            rule.clausesFor(severity, after, false), before, after, detectedAt));
                }
            } else if (!rule.enabled() || rule.condition().holdingGroup(after, true) == null) {
                state.episodes.remove(episode);
                episode.ruleVersion = rule.version();
                out.accept(alert(AlertLifecycle.CLOSED, borrowerId, state, rule, episode,
                        rule.condition().allClauses(), before, after, detectedAt));
            } else {
                Severity severity = rule.severityFor(after);
                if (severity.compareTo(episode.severity) > 0) {
                    episode.severity = severity;
                    episode.ruleVersion = rule.version();
                    out.accept(alert(AlertLifecycle.ESCALATED, borrowerId, state, rule, episode,
                            rule.clausesFor(severity, after, true), before, after, detectedAt));
                }
            }
        }
        closeEpisodesOfVanishedRules(borrowerId, state, rules, after, before, detectedAt, out);
    }

    /** An episode whose rule is no longer in the book (a rule pack without it) must not stay open for ever. */
    private static void closeEpisodesOfVanishedRules(String borrowerId, BorrowerState state, Collection<CompiledRule> rules,
            IndicatorValues after, IndicatorValues before, long detectedAt, Consumer<Alert> out) {
        for (Iterator<Episode> it = state.episodes.iterator(); it.hasNext(); ) {
            Episode episode = it.next();
            boolean known = false;
            for (CompiledRule rule : rules) {
                known |= rule.ruleId().equals(episode.ruleId);
            }
            if (!known) {
                it.remove();
                out.accept(vanished(borrowerId, state, episode, detectedAt));
            }
        }
    }

    static String alertId(String borrowerId, String ruleId, long openedAt) {
        return AlertIds.forBorrower(borrowerId, ruleId, openedAt);
    }

    private static Alert alert(AlertLifecycle lifecycle, String borrowerId, BorrowerState state, CompiledRule rule,
            Episode episode, List<Clause> clauses, IndicatorValues before, IndicatorValues after, long detectedAt) {
        List<IndicatorReading> readings = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        for (Clause clause : clauses) {
            Indicator indicator = clause.indicator();
            boolean present = after.has(indicator);
            long value = present ? after.get(indicator) : 0;
            Long previous = before != null && before.has(indicator) ? before.get(indicator) : null;
            long threshold = lifecycle == AlertLifecycle.CLOSED && clause.clearThreshold() != null ? clause.clearThreshold() : clause.threshold();
            readings.add(IndicatorReading.newBuilder()
                    .setIndicator(indicator.indicatorName())
                    .setUnit(indicator.unit())
                    .setValue(value)
                    .setPreviousValue(previous)
                    .setComparison(clause.symbol())
                    .setThreshold(threshold)
                    .setCurrency(indicator.unit() == IndicatorUnit.MINOR_UNITS ? state.currency : null)
                    .setObservedAt(Instant.ofEpochMilli(present ? after.observedAt(indicator) : state.clock))
                    .build());
            facts.add(indicator.unit() == IndicatorUnit.FLAG
                    ? indicator.indicatorName() + (present && value != 0 ? " yes" : " no")
                    : indicator.indicatorName() + " " + (present ? format(indicator.unit(), value, state.currency) : "unknown")
                            + (lifecycle == AlertLifecycle.CLOSED ? " no longer " : " ") + clause.symbol() + " "
                            + format(indicator.unit(), threshold, state.currency)
                            + (previous != null && previous != value ? " (was " + format(indicator.unit(), previous, state.currency) + ")" : ""));
        }
        String summary = switch (lifecycle) {
            case OPENED -> rule.title() + ": " + String.join("; ", facts) + ". " + rule.rationale();
            case ESCALATED -> rule.title() + ", now " + episode.severity + ": " + String.join("; ", facts) + ".";
            case CLOSED -> rule.enabled() ? "Cleared: " + String.join("; ", facts) + "."
                    : "Closed: rule " + rule.ruleId() + " was disabled in version " + rule.version() + ".";
        };
        return alert(lifecycle, borrowerId, state, episode, rule.ruleId(), rule.category(), rule.title(), summary, readings, detectedAt);
    }

    private static Alert vanished(String borrowerId, BorrowerState state, Episode episode, long detectedAt) {
        return alert(AlertLifecycle.CLOSED, borrowerId, state, episode, episode.ruleId, AlertCategory.OTHER,
                "Rule " + episode.ruleId + " withdrawn", "Closed: rule " + episode.ruleId + " is no longer in the rule pack.",
                List.of(), detectedAt);
    }

    private static Alert alert(AlertLifecycle lifecycle, String borrowerId, BorrowerState state, Episode episode, String ruleId,
            AlertCategory category, String title, String summary, List<IndicatorReading> readings, long detectedAt) {
        return Alert.newBuilder()
                .setAlertId(episode.alertId)
                .setLifecycle(lifecycle)
                .setScope(AlertScope.BORROWER)
                .setBorrowerId(borrowerId)
                .setGroupId(state.groupId)
                .setRuleId(ruleId)
                .setRuleVersion(episode.ruleVersion)
                .setCategory(category)
                .setSeverity(episode.severity)
                .setTitle(title)
                .setExplanation(AlertExplanation.newBuilder()
                        .setSummary(summary)
                        .setInputs(readings)
                        .setTriggeringEvents(references(state))
                        .build())
                .setEpisodeStartedAt(Instant.ofEpochMilli(episode.startedAt))
                .setEventTime(Instant.ofEpochMilli(state.clock))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .build();
    }

    private static List<EventReference> references(BorrowerState state) {
        List<EventReference> references = new ArrayList<>();
        for (EventRef ref : state.recentEvents) {
            references.add(EventReference.newBuilder()
                    .setEventId(ref.eventId()).setEventType(ref.eventType()).setEventTime(Instant.ofEpochMilli(ref.eventTime())).build());
        }
        return references;
    }

    /** A value as the desk reads it: money with its currency, basis points as a percentage, days as days. */
    static String format(IndicatorUnit unit, long value, String currency) {
        return switch (unit) {
            case MINOR_UNITS -> money(value, currency);
            case BASIS_POINTS -> String.format(Locale.ROOT, "%.2f%%", value / 100.0);
            case DAYS -> value + (value == 1 ? " day" : " days");
            case FLAG -> value != 0 ? "yes" : "no";
            default -> Long.toString(value);
        };
    }

    private static String money(long minor, String currency) {
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
