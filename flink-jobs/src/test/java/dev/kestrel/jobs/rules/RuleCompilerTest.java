package dev.kestrel.jobs.rules;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.contract.Samples;
import dev.kestrel.events.Clause;
import dev.kestrel.events.ClauseGroup;
import dev.kestrel.events.Comparison;
import dev.kestrel.events.Escalation;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleCondition;
import dev.kestrel.events.Severity;
import dev.kestrel.contract.Indicator;
import dev.kestrel.jobs.indicator.IndicatorValues;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class RuleCompilerTest {

    private static RuleCondition condition(Clause... clauses) {
        return RuleCondition.newBuilder().setAnyOf(List.of(ClauseGroup.newBuilder().setAllOf(List.of(clauses)).build())).build();
    }

    private static Clause clause(String indicator, Comparison comparison, long threshold, Long clear) {
        return Clause.newBuilder().setIndicator(indicator).setComparison(comparison).setThreshold(threshold).setClearThreshold(clear).build();
    }

    @Test
    void compilesTheSampleRuleWithItsEscalationsInOrder() throws Exception {
        CompiledRule rule = RuleCompiler.compile(Samples.rule());

        assertThat(rule.escalations()).extracting(CompiledRule.Escalation::severity).containsExactly(Severity.HIGH, Severity.CRITICAL);
    }

    @Test
    void evaluatesOrOfAndsWithHysteresisWhileOpen() throws Exception {
        Rule source = Rule.newBuilder(Samples.rule()).setCondition(RuleCondition.newBuilder().setAnyOf(List.of(
                ClauseGroup.newBuilder().setAllOf(List.of(clause("inflowDrop", Comparison.GE, 3000, 2000L),
                        clause("upcomingInstalmentShortfall", Comparison.GT, 0, null))).build(),
                ClauseGroup.newBuilder().setAllOf(List.of(clause("negativeBalance", Comparison.EQ, 1, null))).build())).build())
                .setEscalations(List.of()).build();
        CompiledRule rule = RuleCompiler.compile(source);
        IndicatorValues values = new IndicatorValues();
        values.set(Indicator.INFLOW_DROP, 2500, 0);
        values.set(Indicator.UPCOMING_INSTALMENT_SHORTFALL, 10, 0);
        values.set(Indicator.NEGATIVE_BALANCE, 0, 0);

        assertThat(rule.condition().holdingGroup(values, false)).isNull();
        assertThat(rule.condition().holdingGroup(values, true)).hasSize(2);
        values.set(Indicator.NEGATIVE_BALANCE, 1, 0);
        assertThat(rule.condition().holdingGroup(values, false)).singleElement()
                .extracting(CompiledRule.Clause::indicator).isEqualTo(Indicator.NEGATIVE_BALANCE);
    }

    @Test
    void anAbsentIndicatorNeverSatisfiesAClause() throws Exception {
        CompiledRule rule = RuleCompiler.compile(Rule.newBuilder(Samples.rule())
                .setCondition(condition(clause("currentRatio", Comparison.LT, 10_000, null))).setEscalations(List.of()).build());

        assertThat(rule.condition().holdingGroup(new IndicatorValues(), false)).isNull();
    }

    @Test
    void rejectsAnUnknownIndicator() {
        Rule rule = Rule.newBuilder(Samples.rule()).setCondition(condition(clause("daysLate", Comparison.GT, 30, null))).build();

        assertThatThrownBy(() -> RuleCompiler.compile(rule))
                .hasMessage("REPAY-DPD-30: condition names unknown indicator 'daysLate'; docs/rules.md lists the indicators");
    }

    @Test
    void rejectsAnEmptyCondition() {
        Rule rule = Rule.newBuilder(Samples.rule()).setCondition(RuleCondition.newBuilder().setAnyOf(List.of()).build()).build();

        assertThatThrownBy(() -> RuleCompiler.compile(rule)).hasMessage("REPAY-DPD-30: condition has no clause group");
    }

    @Test
    void rejectsAClearThresholdOnTheWrongSide() {
        Rule rule = Rule.newBuilder(Samples.rule()).setCondition(condition(clause("daysPastDue", Comparison.GT, 30, 40L))).build();

        assertThatThrownBy(() -> RuleCompiler.compile(rule))
                .hasMessage("REPAY-DPD-30: clearThreshold 40 of daysPastDue GT 30 must lie on the cleared side of the threshold");
    }

    @Test
    void rejectsAnEscalationThatIsNotAboveTheRulesSeverity() {
        Rule rule = Rule.newBuilder(Samples.rule()).setEscalations(List.of(Escalation.newBuilder().setSeverity(Severity.LOW)
                .setCondition(condition(clause("daysPastDue", Comparison.GT, 60, null))).build())).build();

        assertThatThrownBy(() -> RuleCompiler.compile(rule))
                .hasMessage("REPAY-DPD-30: escalation to LOW is not above the rule's severity MEDIUM");
    }

    @Test
    void rejectsAVersionBelowOne() {
        assertThatThrownBy(() -> RuleCompiler.compile(Rule.newBuilder(Samples.rule()).setVersion(0).build()))
                .hasMessage("REPAY-DPD-30: version must be 1 or more, got 0");
    }

    @Test
    void theShippedRulePackCompilesAndCoversEveryIndicatorARuleCanUse() {
        RuleBook book = RuleBook.load("classpath:rules/default-rules.jsonl");

        Set<Indicator> used = EnumSet.noneOf(Indicator.class);
        for (CompiledRule rule : book.rules()) {
            rule.condition().allClauses().forEach(c -> used.add(c.indicator()));
            rule.escalations().forEach(e -> e.condition().allClauses().forEach(c -> used.add(c.indicator())));
            assertThat(rule.rationale()).as(rule.ruleId()).endsWith(".");
        }
        // The raw sums feed the ratios and snapshots, the group totals its utilisation and shares, each regime's
        // classes feed regulatoryStep (the one status rule) and the snapshots, and a project's cover ratios feed
        // covenantLevel, which weighs them against each facility's own levels; every other indicator has a rule.
        Set<Indicator> rawSums = EnumSet.of(Indicator.INFLOW_30D, Indicator.OUTFLOW_30D, Indicator.INFLOW_90D,
                Indicator.OUTFLOW_90D, Indicator.INFLOW_BASELINE_30D, Indicator.BALANCE, Indicator.OVERDUE_AMOUNT,
                Indicator.GROUP_DRAWN, Indicator.GROUP_LIMIT, Indicator.GROUP_MEMBERS, Indicator.WORST_MEMBER_CATEGORY,
                Indicator.IN_DEFAULT, Indicator.IFRS9_STAGE, Indicator.LOAN_CATEGORY, Indicator.SMA_CLASS,
                Indicator.NON_PERFORMING_CLAIMS_SHARE, Indicator.HISTORIC_DSCR, Indicator.PROJECTED_DSCR, Indicator.LLCR);
        assertThat(EnumSet.complementOf(EnumSet.copyOf(used))).containsExactlyInAnyOrderElementsOf(rawSums);
    }

    @Test
    void aRuleBookKeepsTheHighestVersion() throws Exception {
        RuleBook book = new RuleBook();
        Rule v2 = Rule.newBuilder(Samples.rule()).setVersion(2).setTitle("v2").build();

        assertThat(book.publish(RuleCompiler.compile(v2))).isTrue();
        assertThat(book.publish(RuleCompiler.compile(Samples.rule()))).isFalse();
        assertThat(book.get("REPAY-DPD-30").title()).isEqualTo("v2");
    }
}
