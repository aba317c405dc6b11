package dev.kestrel.contract;

import dev.kestrel.events.AlertScope;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.Escalation;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.events.Severity;

/**
 * Everything that makes a rule valid beyond its schema: known indicators, a sane hysteresis, escalations above the
 * rule's severity. The job checks each published rule with it before evaluating it, and the alert API checks a
 * proposal with it before anyone can publish it, so both refuse the same rules with the same reasons.
 */
public final class RuleCheck {
    private RuleCheck() {}

    public static void check(Rule rule) throws InvalidRuleException {
        String id = rule.getRuleId();
        if (id == null || id.isBlank()) {
            throw new InvalidRuleException("ruleId is blank");
        }
        if (rule.getVersion() < 1) {
            throw new InvalidRuleException(id + ": version must be 1 or more, got " + rule.getVersion());
        }
        if (rule.getTitle().isBlank() || rule.getRationale().isBlank()) {
            throw new InvalidRuleException(id + ": a rule needs a title and a rationale; the desk sees both");
        }
        condition(id, rule.getScope(), "condition", rule.getCondition());
        // Several escalations may share a severity: they are further steps at it (doubtful, then loss, both CRITICAL),
        // in the order listed among themselves, and an episode announces each.
        for (Escalation escalation : rule.getEscalations()) {
            if (escalation.getSeverity().compareTo(rule.getSeverity()) <= 0) {
                throw new InvalidRuleException(id + ": escalation to " + escalation.getSeverity()
                        + " is not above the rule's severity " + rule.getSeverity());
            }
            condition(id, rule.getScope(), "escalation to " + escalation.getSeverity(), escalation.getCondition());
        }
    }

    private static void condition(String id, AlertScope scope, String where, RuleCondition condition) throws InvalidRuleException {
        if (condition.getAnyOf().isEmpty()) {
            throw new InvalidRuleException(id + ": " + where + " has no clause group");
        }
        for (ClauseGroup group : condition.getAnyOf()) {
            if (group.getAllOf().isEmpty()) {
                throw new InvalidRuleException(id + ": " + where + " has an empty clause group");
            }
            for (var clause : group.getAllOf()) {
                Indicator indicator = Indicator.named(clause.getIndicator());
                if (indicator == null) {
                    throw new InvalidRuleException(id + ": " + where + " names unknown indicator '" + clause.getIndicator()
                            + "'; docs/rules.md lists the indicators");
                }
                if (indicator.scope() != scope) {
                    throw new InvalidRuleException(id + ": " + where + " names " + indicator.scope() + " indicator '"
                            + clause.getIndicator() + "' in a " + scope + " rule");
                }
                checkHysteresis(id, clause.getIndicator(), clause.getComparison(), clause.getThreshold(),
                        clause.getClearThreshold());
            }
        }
    }

    /** A clear threshold must be on the safe side of the threshold, or the episode would flap or never close. */
    private static void checkHysteresis(String id, String indicator, Comparison comparison, long threshold, Long clear)
            throws InvalidRuleException {
        if (clear == null) {
            return;
        }
        boolean safeSide = switch (comparison) {
            case GT, GE -> clear <= threshold;
            case LT, LE -> clear >= threshold;
            case EQ, NE -> false;
        };
        if (!safeSide) {
            throw new InvalidRuleException(id + ": clearThreshold " + clear + " of " + indicator + " " + comparison + " "
                    + threshold + (comparison == Comparison.EQ || comparison == Comparison.NE
                    ? " makes no sense for an equality" : " must lie on the cleared side of the threshold"));
        }
    }
}
