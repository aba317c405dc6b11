package dev.kestrel.jobs.rules;

import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Severity;
import dev.kestrel.contract.Indicator;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * A rule checked and turned into arrays of clauses over {@link Indicator}s, so evaluating it is a few array reads
 * and comparisons. Built only by {@link RuleCompiler}.
 */
public final class CompiledRule {

    /** One comparison; while an episode is open the clear threshold, if any, replaces the threshold (hysteresis). */
    public record Clause(Indicator indicator, Comparison comparison, long threshold, Long clearThreshold) {

        public boolean holds(IndicatorValues values, boolean episodeOpen) {
            if (!values.has(indicator)) {
                return false;
            }
            return holdsFor(values.get(indicator), episodeOpen);
        }

        /** Whether a value of the indicator satisfies the clause. */
        public boolean holdsFor(long value, boolean episodeOpen) {
            long limit = episodeOpen && clearThreshold != null ? clearThreshold : threshold;
            return switch (comparison) {
                case GT -> value > limit;
                case GE -> value >= limit;
                case LT -> value < limit;
                case LE -> value <= limit;
                case EQ -> value == limit;
                case NE -> value != limit;
            };
        }

        /** The comparison as the explanation shows it. */
        public String symbol() {
            return switch (comparison) {
                case GT -> ">";
                case GE -> ">=";
                case LT -> "<";
                case LE -> "<=";
                case EQ -> "==";
                case NE -> "!=";
            };
        }
    }

    /**
     * OR of ANDs. Evaluated for every rule on every event, so it walks arrays (the groups as lists are kept for the
     * explanations that name them).
     */
    public static final class Condition {
        private final List<List<Clause>> anyOf;
        private final Clause[][] groups;

        public Condition(List<List<Clause>> anyOf) {
            this.anyOf = List.copyOf(anyOf);
            this.groups = this.anyOf.stream().map(group -> group.toArray(Clause[]::new)).toArray(Clause[][]::new);
        }

        public List<List<Clause>> anyOf() {
            return anyOf;
        }

        /** The first group whose clauses all hold, or null. */
        public List<Clause> holdingGroup(IndicatorValues values, boolean episodeOpen) {
            for (int g = 0; g < groups.length; g++) {
                if (allHold(groups[g], values, episodeOpen)) {
                    return anyOf.get(g);
                }
            }
            return null;
        }

        private static boolean allHold(Clause[] group, IndicatorValues values, boolean episodeOpen) {
            for (Clause clause : group) {
                if (!clause.holds(values, episodeOpen)) {
                    return false;
                }
            }
            return true;
        }

        /**
         * Whether the condition no longer holds for an open episode, on what is known: every group has a clause on a
         * known indicator that fails (past its clear threshold). A group that fails only on unknown indicators might
         * still hold, so missing data never clears an episode.
         */
        public boolean clearedFor(IndicatorValues values) {
            for (Clause[] group : groups) {
                if (!failsOnKnown(group, values)) {
                    return false;
                }
            }
            return true;
        }

        private static boolean failsOnKnown(Clause[] group, IndicatorValues values) {
            for (Clause clause : group) {
                if (values.isKnown(clause.indicator()) && !clause.holds(values, true)) {
                    return true;
                }
            }
            return false;
        }

        /** Every clause, for explaining why a condition cleared. */
        public List<Clause> allClauses() {
            return anyOf.stream().flatMap(List::stream).toList();
        }

        /** The clauses that no longer hold for an open episode: why it cleared. All of them when every one still holds. */
        public List<Clause> failingClauses(IndicatorValues values) {
            List<Clause> failing = allClauses().stream().filter(c -> !c.holds(values, true)).toList();
            return failing.isEmpty() ? allClauses() : failing;
        }

        @Override
        public boolean equals(Object obj) {
            return obj instanceof Condition other && anyOf.equals(other.anyOf);
        }

        @Override
        public int hashCode() {
            return anyOf.hashCode();
        }

        @Override
        public String toString() {
            return "Condition" + anyOf;
        }
    }

    public record Escalation(Severity severity, Condition condition) {}

    private final Rule source;
    private final Condition condition;
    private final List<Escalation> escalations;
    private final Severity highestSeverity;
    private final Indicator[] indicators;
    private final long indicatorMask;

    CompiledRule(Rule source, Condition condition, List<Escalation> escalations) {
        this.source = source;
        this.condition = condition;
        this.escalations = escalations;
        Severity highest = source.getSeverity();
        Set<Indicator> read = EnumSet.noneOf(Indicator.class);
        condition.allClauses().forEach(clause -> read.add(clause.indicator()));
        for (Escalation escalation : escalations) {
            highest = escalation.severity().compareTo(highest) > 0 ? escalation.severity() : highest;
            escalation.condition().allClauses().forEach(clause -> read.add(clause.indicator()));
        }
        this.highestSeverity = highest;
        this.indicators = read.toArray(Indicator[]::new);
        long mask = 0;
        for (Indicator indicator : indicators) {
            mask |= 1L << indicator.ordinal();
        }
        this.indicatorMask = mask;
    }

    public String ruleId() {
        return source.getRuleId();
    }

    public int version() {
        return source.getVersion();
    }

    public boolean enabled() {
        return source.getEnabled();
    }

    public AlertScope scope() {
        return source.getScope();
    }

    public AlertCategory category() {
        return source.getCategory();
    }

    public Severity severity() {
        return source.getSeverity();
    }

    public String title() {
        return source.getTitle();
    }

    public String rationale() {
        return source.getRationale();
    }

    public Condition condition() {
        return condition;
    }

    /** Escalations, lowest severity first. */
    public List<Escalation> escalations() {
        return escalations;
    }

    /** The rule as published. */
    public Rule source() {
        return source;
    }

    /** Every indicator the rule's condition and escalations read, once each. */
    public Indicator[] indicators() {
        return indicators;
    }

    /** A digest of rules by id and version, never 0: equal digests, the same rules (a change bumps the version). */
    public static long digest(java.util.List<CompiledRule> rules) {
        long digest = 1;
        for (CompiledRule rule : rules) {
            digest = digest * 1_000_003L + rule.ruleId().hashCode() * 31L + rule.version();
        }
        return digest == 0 ? 1 : digest;
    }

    /** The same indicators as bits by ordinal: a change to none of them cannot change what the rule decides. */
    public long indicatorMask() {
        return indicatorMask;
    }

    /** The highest severity the rule can give: an episode there cannot escalate further. */
    public Severity highestSeverity() {
        return highestSeverity;
    }

    /** The highest severity whose condition holds now; the base severity when only the base condition does. */
    public Severity severityFor(IndicatorValues values) {
        Severity severity = source.getSeverity();
        for (Escalation escalation : escalations) {
            if (escalation.condition().holdingGroup(values, false) != null) {
                severity = escalation.severity();
            }
        }
        return severity;
    }

    /**
     * How far up its ladder the rule stands now: 0 when only the base condition holds, otherwise the position (from 1)
     * of the highest escalation whose condition holds. Escalations may share a severity (further steps at it), so the
     * level, not the severity, tells whether an episode worsened.
     */
    public int levelFor(IndicatorValues values) {
        int level = 0;
        for (int i = 0; i < escalations.size(); i++) {
            if (escalations.get(i).condition().holdingGroup(values, false) != null) {
                level = i + 1;
            }
        }
        return level;
    }

    /** Whether the rule's condition names the indicator (escalations name the same ones in a well-formed rule). */
    public boolean names(Indicator indicator) {
        for (Clause clause : condition.allClauses()) {
            if (clause.indicator() == indicator) {
                return true;
            }
        }
        return false;
    }

    /** The severity of a level: the base severity at 0. */
    public Severity severityAt(int level) {
        return level == 0 ? source.getSeverity() : escalations.get(Math.min(level, escalations.size()) - 1).severity();
    }

    /**
     * The lowest level with at least this severity: where an episode stands that remembers only its severity (state
     * written before levels were kept). Erring low, it announces a step again rather than miss one.
     */
    public int lowestLevelOf(Severity severity) {
        if (severity.compareTo(source.getSeverity()) <= 0) {
            return 0;
        }
        for (int i = 0; i < escalations.size(); i++) {
            if (escalations.get(i).severity().compareTo(severity) >= 0) {
                return i + 1;
            }
        }
        return escalations.size();
    }

    /** The clauses that put the alert at {@code severity}: the escalation's, or the base condition's. */
    public List<Clause> clausesFor(Severity severity, IndicatorValues values, boolean episodeOpen) {
        for (int i = escalations.size() - 1; i >= 0; i--) {
            Escalation escalation = escalations.get(i);
            if (escalation.severity() == severity) {
                List<Clause> group = escalation.condition().holdingGroup(values, false);
                if (group != null) {
                    return group;
                }
            }
        }
        List<Clause> group = condition.holdingGroup(values, episodeOpen);
        return group != null ? group : condition.allClauses();
    }

    @Override
    public String toString() {
        return ruleId() + " v" + version();
    }
}
