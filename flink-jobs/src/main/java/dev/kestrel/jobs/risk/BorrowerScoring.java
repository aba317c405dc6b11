package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.RatingScale;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertExplanation;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.EventReference;
import dev.kestrel.events.IndicatorReading;
import dev.kestrel.events.IndicatorUnit;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.ScoreContribution;
import dev.kestrel.events.Severity;
import dev.kestrel.events.WatchGrade;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.score.CompiledScorecard;
import dev.kestrel.jobs.score.FactorReading;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * Scores a borrower with the scorecard in force and keeps its place on the watch list, after the rules have judged
 * the same evaluation. The score is computed again only when it can have changed: an indicator a factor bins moved,
 * an alert a factor reads changed, another scorecard version is in force, or the minimum stay in a grade ended. Each
 * change of score or grade is a {@link BorrowerScore} with every factor's points; entering the watch list (AMBER or
 * worse) opens one borrower alert, {@value #WATCH_LIST}, a worse grade escalates it, and leaving the list closes it.
 * A better grade within the list is told by the score record alone: the alert stays at the worst grade it reached.
 */
final class BorrowerScoring {
    /** The rule id of watch-list alerts: no rule raises them, the scorecard does. */
    static final String WATCH_LIST = "WATCH-LIST";
    private static final Severity[] BY_GRADE = {null, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL};

    private BorrowerScoring() {}

    /** A digest of the scorecard's id and version, never 0 (0 is "never scored"). */
    static int key(CompiledScorecard card) {
        int key = 31 * card.scorecardId().hashCode() + card.version();
        return key == 0 ? 1 : key;
    }

    /**
     * Scores the borrower if its score can have changed, and emits the score record and the watch-list alert change
     * that follow.
     *
     * @param moved       the indicators that moved since the last evaluation (bits by ordinal; -1 all)
     * @param alertsFrom  the index in {@code alerts} of this evaluation's first alert change
     */
    static void evaluate(String borrowerId, BorrowerState state, IndicatorValues values, List<CompiledRule> rules,
            CompiledScorecard card, RatingScale internalScale, long moved, List<Alert> alerts, int alertsFrom, long detectedAt,
            List<BorrowerScore> scores) {
        WatchStanding watch = state.watch;
        int key = key(card);
        int today = Days.of(state.clock);
        boolean investmentGrade = internalScale.isInvestmentGrade(state.internalRating);
        boolean due = watch.scorecardKey != key || (moved & card.indicatorMask()) != 0
                || (watch.reviewDay != Days.NONE && today >= watch.reviewDay)
                // a new internal rating can move a GREEN borrower between CORE and QUALITY with the same score
                || (watch.grade == WatchGrade.GREEN && card.segment(watch.grade, card.pdBasisPoints(watch.score), investmentGrade) != watch.segment);
        for (int i = alertsFrom; i < alerts.size() && !due; i++) {
            due = card.reads(alerts.get(i).getRuleId());
        }
        if (!due) {
            return;
        }
        List<FactorReading> factors = new ArrayList<>();
        int score = card.score(values, ruleId -> severityRank(state, rules, ruleId), factors);
        boolean first = !watch.scored();
        boolean stayed = first || today - Days.of(watch.gradeSince) >= card.minimumStayDays();
        WatchGrade previous = watch.grade;
        WatchGrade grade = card.grade(previous, score, stayed);
        // Below its grade's exit before the minimum stay ends: the better grade applies on the day the stay ends.
        watch.reviewDay = !stayed && card.grade(previous, score, true).compareTo(previous) < 0
                ? Days.of(watch.gradeSince) + card.minimumStayDays() : Days.NONE;
        int pd = card.pdBasisPoints(score);
        RiskSegment segment = card.segment(grade, pd, investmentGrade);
        boolean changed = first || watch.scorecardKey != key || score != watch.score || grade != previous || segment != watch.segment;
        int previousScore = watch.score;
        watch.scorecardKey = key;
        watch.score = score;
        watch.segment = segment;
        if (grade != previous || first) {
            watch.grade = grade;
            watch.gradeSince = state.clock;
            state.gradeMoved();
        }
        if (!changed) {
            return;
        }
        factors.sort(Comparator.comparingInt(FactorReading::points).reversed().thenComparing(FactorReading::factorId));
        List<Evidence> evidence = new ArrayList<>(factors.size());
        for (FactorReading factor : factors) {
            evidence.add(factor.points() > 0 ? evidenceOf(state, rules, factor) : null);
        }
        scores.add(record(borrowerId, state, card, score, first ? null : previousScore, pd, grade, first ? null : previous,
                factors, evidence, detectedAt));
        Alert alert = watchAlert(borrowerId, state, card, score, pd, previous, grade, factors, evidence, detectedAt);
        if (alert != null) {
            alerts.add(alert);
        }
    }

    /** The rule's state as a factor reads it: -1 not in force, 0 no alert open, 1 INFO to 5 CRITICAL. */
    private static int severityRank(BorrowerState state, List<CompiledRule> rules, String ruleId) {
        boolean inForce = false;
        for (CompiledRule rule : rules) {
            inForce |= rule.ruleId().equals(ruleId) && rule.enabled();
        }
        if (!inForce) {
            return -1;
        }
        Episode episode = AlertEpisodes.find(state.episodes, ruleId);
        return episode == null ? 0 : episode.severity.ordinal() + 1;
    }

    /** The facts and events behind a factor: its indicator's, or those of the indicators its rule reads. */
    private static Evidence evidenceOf(BorrowerState state, List<CompiledRule> rules, FactorReading factor) {
        Evidence evidence = new Evidence();
        if (factor.indicator() != null) {
            state.explain(new Indicator[] {factor.indicator()}, evidence);
        } else {
            for (CompiledRule rule : rules) {
                if (rule.ruleId().equals(factor.ruleId())) {
                    state.explain(rule.indicators(), evidence);
                }
            }
        }
        return evidence;
    }

    private static BorrowerScore record(String borrowerId, BorrowerState state, CompiledScorecard card, int score,
            Integer previousScore, int pd, WatchGrade grade, WatchGrade previousGrade, List<FactorReading> factors,
            List<Evidence> evidence, long detectedAt) {
        List<ScoreContribution> contributions = new ArrayList<>(factors.size());
        for (int i = 0; i < factors.size(); i++) {
            FactorReading f = factors.get(i);
            contributions.add(new ScoreContribution(f.factorId(), f.title(), f.indicator() == null ? null : f.indicator().indicatorName(),
                    f.ruleId(), f.value(), f.unit(), f.unit() == IndicatorUnit.MINOR_UNITS ? state.borrowerCurrency() : null, f.bin(),
                    f.points(), observedAt(f, state), evidence.get(i) == null ? List.of() : evidence.get(i).events));
        }
        return BorrowerScore.newBuilder()
                .setBorrowerId(borrowerId)
                .setGroupId(state.groupId)
                .setScorecardId(card.scorecardId())
                .setScorecardVersion(card.version())
                .setScore(score)
                .setPreviousScore(previousScore)
                .setPdBasisPoints(pd)
                .setGrade(grade)
                .setPreviousGrade(previousGrade)
                .setGradeSince(Instant.ofEpochMilli(state.watch.gradeSince))
                .setSegment(state.watch.segment)
                .setInternalRating(state.internalRating)
                .setSuggestedRating(card.suggestedRating(pd))
                .setFactors(contributions)
                .setEventTime(Instant.ofEpochMilli(state.clock))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .build();
    }

    /** An indicator's observation time, the borrower's clock for one "as of the evaluation" or for no value. */
    private static Instant observedAt(FactorReading factor, BorrowerState state) {
        Long at = factor.observedAt();
        return Instant.ofEpochMilli(at == null || at == IndicatorValues.AS_OF_EVALUATION ? state.clock : at);
    }

    /** The watch-list alert change a move from {@code previous} to {@code grade} makes, or null. */
    private static Alert watchAlert(String borrowerId, BorrowerState state, CompiledScorecard card, int score, int pd,
            WatchGrade previous, WatchGrade grade, List<FactorReading> factors, List<Evidence> evidence, long detectedAt) {
        WatchStanding watch = state.watch;
        AlertLifecycle lifecycle;
        if (grade == WatchGrade.GREEN) {
            if (watch.alertId == null) {
                return null;
            }
            lifecycle = AlertLifecycle.CLOSED;
        } else if (watch.alertId == null) {
            lifecycle = AlertLifecycle.OPENED;
            watch.alertId = AlertIds.of(AlertScope.BORROWER, borrowerId, WATCH_LIST, state.clock);
            watch.alertStartedAt = state.clock;
            watch.alertSeverity = BY_GRADE[grade.ordinal()];
        } else if (grade.compareTo(previous) > 0) {
            lifecycle = AlertLifecycle.ESCALATED;
            Severity severity = BY_GRADE[grade.ordinal()];
            watch.alertSeverity = severity.compareTo(watch.alertSeverity) > 0 ? severity : watch.alertSeverity;
        } else {
            return null; // better, or the same grade: the score record tells it
        }
        String percent = String.format(Locale.ROOT, "%.2f%%", pd / 100.0);
        List<IndicatorReading> readings = new ArrayList<>();
        List<String> facts = new ArrayList<>();
        List<EventReference> events = new ArrayList<>();
        StringBuilder because = new StringBuilder();
        for (int i = 0; i < factors.size(); i++) {
            FactorReading f = factors.get(i);
            if (f.points() <= 0) {
                continue; // factors are sorted by points: the rest add nothing
            }
            because.append(because.isEmpty() ? "" : "; ").append(describe(f, state)).append(" (+").append(f.points()).append(')');
            if (f.value() != null) { // an unknown value is named in the summary; a reading would need a number
                readings.add(reading(f, state));
            }
            Evidence e = evidence.get(i);
            if (e != null) {
                for (String fact : e.facts) {
                    if (!facts.contains(fact)) {
                        facts.add(fact);
                    }
                }
                for (EventReference event : e.events) {
                    if (events.stream().noneMatch(known -> known.getEventId().equals(event.getEventId()))) {
                        events.add(event);
                    }
                }
            }
        }
        if (events.isEmpty()) {
            events = EventRef.references(state.recentEvents);
        }
        String title = lifecycle == AlertLifecycle.CLOSED ? "Off the watch list" : "On the watch list: " + grade;
        String summary = switch (lifecycle) {
            case OPENED -> "Entered the watch list at " + grade + ": score " + score + " (PD " + percent + ", scorecard "
                    + card.scorecardId() + " v" + card.version() + "). Contributing: " + because + ".";
            case ESCALATED -> "Worsened to " + grade + " from " + previous + ": score " + score + " (PD " + percent + "). Contributing: "
                    + because + ".";
            case CLOSED -> "Left the watch list: score " + score + " (PD " + percent + ") is below " + previous + "'s exit threshold"
                    + (card.minimumStayDays() > 0 ? " after the minimum stay of " + card.minimumStayDays() + " days" : "") + ".";
        };
        String context = lifecycle == AlertLifecycle.CLOSED || facts.isEmpty() ? "" : " " + sentences(facts);
        Alert alert = Alert.newBuilder()
                .setAlertId(watch.alertId)
                .setLifecycle(lifecycle)
                .setScope(AlertScope.BORROWER)
                .setBorrowerId(borrowerId)
                .setGroupId(state.groupId)
                .setRuleId(WATCH_LIST)
                .setRuleVersion(card.version())
                .setCategory(AlertCategory.WATCH_LIST)
                .setSeverity(watch.alertSeverity)
                .setTitle(title)
                .setExplanation(AlertExplanation.newBuilder()
                        .setSummary(summary + context)
                        .setInputs(lifecycle == AlertLifecycle.CLOSED ? List.of() : readings)
                        .setTriggeringEvents(events)
                        .build())
                .setEpisodeStartedAt(Instant.ofEpochMilli(watch.alertStartedAt))
                .setEventTime(Instant.ofEpochMilli(state.clock))
                .setDetectedAt(Instant.ofEpochMilli(detectedAt))
                .build();
        if (lifecycle == AlertLifecycle.CLOSED) {
            watch.alertId = null;
            watch.alertSeverity = null;
        }
        return alert;
    }

    private static String sentences(List<String> facts) {
        StringBuilder text = new StringBuilder();
        for (String fact : facts) {
            text.append(Character.toUpperCase(fact.charAt(0))).append(fact, 1, fact.length()).append(". ");
        }
        return text.toString().strip();
    }

    /** A factor as the desk reads it: "daysPastDue 45 days in 31 to 60 days", "REPAY-ARREARS alert HIGH". */
    private static String describe(FactorReading f, BorrowerState state) {
        String what = f.indicator() != null ? f.indicator().indicatorName() : f.ruleId() + " alert";
        if (f.value() == null) {
            return what + " " + f.bin();
        }
        String value = f.indicator() != null ? AlertEpisodes.format(f.unit(), f.value(), state.borrowerCurrency())
                : f.value() == 0 ? "none open" : Severity.values()[(int) (f.value() - 1)].name();
        return what + " " + value + " in " + f.bin();
    }

    /** The factor as an indicator reading: its value against the bound of its bin (the lower one, if it has one). */
    private static IndicatorReading reading(FactorReading f, BorrowerState state) {
        long value = f.value() == null ? 0 : f.value();
        String comparison = f.binFrom() != null ? ">=" : f.binTo() != null ? "<" : "==";
        long threshold = f.binFrom() != null ? f.binFrom() : f.binTo() != null ? f.binTo() : value;

        return IndicatorReading.newBuilder()
                .setIndicator(f.indicator() != null ? f.indicator().indicatorName() : f.ruleId())
                .setUnit(f.unit())
                .setValue(value)
                .setPreviousValue(null)
                .setComparison(comparison)
                .setThreshold(threshold)
                .setCurrency(f.unit() == IndicatorUnit.MINOR_UNITS ? state.borrowerCurrency() : null)
                .setObservedAt(observedAt(f, state))
                .build();
    }
}
