package dev.kestrel.jobs.rules;

import dev.kestrel.contract.Indicator;
import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.contract.RuleCheck;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Checks a published rule ({@link RuleCheck}, shared with the alert API) and compiles it; a rule that fails is
 * rejected with a reason, never half-applied.
 */
public final class RuleCompiler {
    private RuleCompiler() {}

    public static CompiledRule compile(Rule rule) throws InvalidRuleException {
        RuleCheck.check(rule);
        List<CompiledRule.Escalation> escalations = new ArrayList<>();
        for (var escalation : rule.getEscalations()) {
            escalations.add(new CompiledRule.Escalation(escalation.getSeverity(), condition(escalation.getCondition())));
        }
        escalations.sort(Comparator.comparing(CompiledRule.Escalation::severity));
        return new CompiledRule(rule, condition(rule.getCondition()), List.copyOf(escalations));
    }

    private static CompiledRule.Condition condition(RuleCondition condition) {
        List<List<CompiledRule.Clause>> groups = new ArrayList<>();
        for (ClauseGroup group : condition.getAnyOf()) {
            List<CompiledRule.Clause> clauses = new ArrayList<>();
            for (var clause : group.getAllOf()) {
                clauses.add(new CompiledRule.Clause(Indicator.named(clause.getIndicator()), clause.getComparison(),
                        clause.getThreshold(), clause.getClearThreshold()));
            }
            groups.add(List.copyOf(clauses));
        }
        return new CompiledRule.Condition(List.copyOf(groups));
    }
}
