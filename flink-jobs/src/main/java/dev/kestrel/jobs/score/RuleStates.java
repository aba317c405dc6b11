package dev.kestrel.jobs.score;

/** What a scorecard's rule factors read of a borrower: how severe each rule's open alert is. */
@FunctionalInterface
public interface RuleStates {

    /**
     * 0 when the rule has no alert open for the borrower, 1 (INFO) to 5 (CRITICAL) for the severity of its open one,
     * and -1 when the rule is not in force: its state is then unknown, not "no alert".
     */
    int severityRank(String ruleId);
}
