package dev.kestrel.jobs.rules;

import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.jobs.risk.Indicator;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/** Checks a published rule and compiles it; a rule that fails is rejected with a reason, never half-applied. */
public final class RuleCompiler {
    private RuleCompiler() {}

    public static CompiledRule compile(Rule rule) throws InvalidRuleException {
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
        CompiledRule.Condition condition = condition(id, "condition", rule.getCondition());
        List<CompiledRule.Escalation> escalations = new ArrayList<>();
        for (var escalation : rule.getEscalations()) {
            if (escalation.getSeverity().compareTo(rule.getSeverity()) <= 0) {
                throw new InvalidRuleException(id + ": escalation to " + escalation.getSeverity()
                        + " is not above the rule's severity " + rule.getSeverity());
            }
            escalations.add(new CompiledRule.Escalation(escalation.getSeverity(),
                    condition(id, "escalation to " + escalation.getSeverity(), escalation.getCondition())));
        }
        escalations.sort(Comparator.comparing(CompiledRule.Escalation::severity));
        for (int i = 1; i < escalations.size(); i++) {
            if (escalations.get(i).severity() == escalations.get(i - 1).severity()) {
                throw new InvalidRuleException(id + ": two escalations to " + escalations.get(i).severity());
            }
        }
        return new CompiledRule(rule, condition, List.copyOf(escalations));
    }

    private static CompiledRule.Condition condition(String id, String where, RuleCondition condition) throws InvalidRuleException {
        if (condition.getAnyOf().isEmpty()) {
            throw new InvalidRuleException(id + ": " + where + " has no clause group");
        }
        List<List<CompiledRule.Clause>> groups = new ArrayList<>();
        for (ClauseGroup group : condition.getAnyOf()) {
            if (group.getAllOf().isEmpty()) {
                throw new InvalidRuleException(id + ": " + where + " has an empty clause group");
            }
            List<CompiledRule.Clause> clauses = new ArrayList<>();
            for (var clause : group.getAllOf()) {
                Indicator indicator = Indicator.named(clause.getIndicator());
                if (indicator == null) {
                    throw new InvalidRuleException(id + ": " + where + " names unknown indicator '" + clause.getIndicator()
                            + "'; docs/rules.md lists the indicators");
                }
                checkHysteresis(id, clause.getIndicator(), clause.getComparison(), clause.getThreshold(), clause.getClearThreshold());
                clauses.add(new CompiledRule.Clause(indicator, clause.getComparison(), clause.getThreshold(), clause.getClearThreshold()));
            }
            groups.add(List.copyOf(clauses));
        }
        return new CompiledRule.Condition(List.copyOf(groups));
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
            throw new InvalidRuleException(id + ": clearThreshold " + clear + " of " + indicator + " " + comparison + " " + threshold
                    + (comparison == Comparison.EQ || comparison == Comparison.NE ? " makes no sense for an equality"
                            : " must lie on the cleared side of the threshold"));
        }
    }
}
