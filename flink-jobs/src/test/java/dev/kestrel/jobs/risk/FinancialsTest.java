package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.date;
import static dev.kestrel.jobs.Events.statement;
import static dev.kestrel.jobs.Events.wrap;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.PeriodType;
import dev.kestrel.jobs.rules.RuleBook;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.junit.jupiter.api.Test;

/** The statement indicators as a credit analyst reads a spread: what the bank does not have stays unknown. */
class FinancialsTest {
    private static final String B = "B-1";
    private final RiskSettings settings = RiskSettings.defaults();
    private final BorrowerState state = new BorrowerState();
    private final IndicatorValues values = new IndicatorValues();

    /** A sound quarter: assets 1,000, liabilities 500, current 400 over 300, revenue 1,000, profit 50, cash flow 10. */
    private static FinancialStatement.Builder sound() {
        return FinancialStatement.newBuilder(statement(B, 30, date(-1), 1_000, 500, 400, 300, 1_000, 50, 10));
    }

    private IndicatorValues after(FinancialStatement.Builder... statements) {
        for (FinancialStatement.Builder statement : statements) {
            state.apply(wrap(statement.build()), settings);
        }
        state.indicators(values, settings);
        return values;
    }

    @Test
    void anUnknownLiabilityTotalLeavesLeverageUnknownInsteadOfZero() {
        IndicatorValues read = after(sound().setTotalLiabilitiesMinor(0).setUnknownAmounts(List.of("totalLiabilitiesMinor")));

        assertThat(read.isKnown(Indicator.DEBT_TO_ASSETS)).isFalse();
        assertThat(read.get(Indicator.CURRENT_RATIO)).as("the lines the bank has still count").isEqualTo(13_333);
    }

    @Test
    void unknownRevenueLeavesTheMarginUnknownButALossIsStillALoss() {
        IndicatorValues read = after(sound().setRevenueMinor(0).setNetProfitMinor(yuan(-5)).setUnknownAmounts(List.of("revenueMinor")));

        assertThat(read.isKnown(Indicator.NET_MARGIN)).isFalse();
        assertThat(read.get(Indicator.NET_LOSS)).isEqualTo(1);
    }

    @Test
    void anUnknownProfitIsNeitherALossNorAProfit() {
        IndicatorValues read = after(sound().setNetProfitMinor(0).setUnknownAmounts(List.of("netProfitMinor")));

        assertThat(read.isKnown(Indicator.NET_LOSS)).isFalse();
        assertThat(read.isKnown(Indicator.NET_MARGIN)).isFalse();
    }

    @Test
    void aReportedZeroIsAZero() {
        IndicatorValues read = after(sound().setNetProfitMinor(0));

        assertThat(read.get(Indicator.NET_LOSS)).isZero();
        assertThat(read.get(Indicator.NET_MARGIN)).isZero();
    }

    @Test
    void aLossOfFourThousandthsOfAPercentOfRevenueIsALoss() {
        // Revenue EUR 250,000,000.00, loss EUR 10,000.00: -0.4 basis points.
        IndicatorValues read = after(sound().setRevenueMinor(25_000_000_000L).setNetProfitMinor(-1_000_000L));

        assertThat(read.get(Indicator.NET_LOSS)).isEqualTo(1);
        assertThat(read.get(Indicator.NET_MARGIN)).as("rounded down, never to a break-even 0").isEqualTo(-1);
    }

    @Test
    void aTinyProfitIsNotALoss() {
        IndicatorValues read = after(sound().setRevenueMinor(25_000_000_000L).setNetProfitMinor(1_000_000L));

        assertThat(read.get(Indicator.NET_LOSS)).isZero();
        assertThat(read.get(Indicator.NET_MARGIN)).isZero();
    }

    @Test
    void negativeReportedEquityIsItsOwnFactWhileLiabilitiesStayBelowAssets() {
        // Shareholder loans classed between liabilities and equity: liabilities 80% of assets, equity -100.
        IndicatorValues read = after(sound().setTotalAssetsMinor(yuan(2_000)).setTotalLiabilitiesMinor(yuan(1_600))
                .setTotalEquityMinor(yuan(-100)));

        assertThat(read.get(Indicator.NEGATIVE_EQUITY)).isEqualTo(1);
        assertThat(read.get(Indicator.DEBT_TO_ASSETS)).isEqualTo(8_000);
    }

    @Test
    void equityIsNotInferredFromLiabilitiesAboveAssets() {
        IndicatorValues read = after(sound().setTotalLiabilitiesMinor(yuan(1_200)));

        assertThat(read.get(Indicator.DEBT_TO_ASSETS)).isEqualTo(12_000);
        assertThat(read.isKnown(Indicator.NEGATIVE_EQUITY)).as("not reported").isFalse();
    }

    @Test
    void aStatementWithoutOperatingCashFlowEndsTheRunOfBurningPeriods() {
        IndicatorValues read = after(sound().setOperatingCashFlowMinor(yuan(-5)),
                quarter(date(89), 120).setOperatingCashFlowMinor(0).setUnknownAmounts(List.of("operatingCashFlowMinor")));
        assertThat(read.isKnown(Indicator.NEGATIVE_OPERATING_CASH_FLOW_PERIODS)).as("the latest is unknown").isFalse();

        read = after(quarter(date(180), 210).setOperatingCashFlowMinor(yuan(-7)));
        assertThat(read.get(Indicator.NEGATIVE_OPERATING_CASH_FLOW_PERIODS)).as("only what is known for certain").isEqualTo(1);
    }

    @Test
    void unknownAmountsStayUnknownAcrossASavepoint() throws Exception {
        after(sound().setTotalLiabilitiesMinor(0).setUnknownAmounts(List.of("totalLiabilitiesMinor")).setTotalEquityMinor(yuan(-1)));
        BorrowerStateSerializer serializer = new BorrowerStateSerializer();

        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(StateBytes.of(serializer, state)));
        IndicatorValues read = new IndicatorValues();
        restored.indicators(read, settings);

        assertThat(read.isKnown(Indicator.DEBT_TO_ASSETS)).isFalse();
        assertThat(read.get(Indicator.NEGATIVE_EQUITY)).isEqualTo(1);
        assertThat(restored.financials().latest().statementId).isEqualTo("FS-B-1-" + date(-1));
    }

    @Test
    void financialAlertsCiteTheStatementAndItsPeriod() {
        RuleBook rules = RuleBook.load("classpath:rules/default-rules.jsonl");
        IndicatorValues before = new IndicatorValues();
        state.indicators(before, settings);
        IndicatorValues after = new IndicatorValues();
        state.apply(wrap(sound().setNetProfitMinor(yuan(-1)).build()), settings);
        state.advanceClock(at(30).toEpochMilli());
        state.indicators(after, settings);
        List<Alert> alerts = new ArrayList<>();

        AlertEpisodes.evaluate(B, state, rules.rules(AlertScope.BORROWER), before, after, 0, alerts::add);

        Alert loss = alerts.stream().filter(a -> a.getRuleId().equals("FIN-LOSS")).findFirst().orElseThrow();
        assertThat(loss.getExplanation().getTriggeringEvents()).singleElement().satisfies(cited -> {
            assertThat(cited.getEventId()).isEqualTo("FS-B-1-" + date(-1));
            assertThat(cited.getEventType()).isEqualTo("FinancialStatement");
            assertThat(cited.getEventTime()).isEqualTo(at(30));
        });
        assertThat(loss.getExplanation().getSummary()).contains("FS-B-1-" + date(-1) + ": quarter to " + date(-1));
    }

    private static FinancialStatement.Builder quarter(LocalDate periodEnd, int receivedDay) {
        return FinancialStatement.newBuilder(sound().build()).setStatementId("FS-" + B + "-" + periodEnd)
                .setPeriodType(PeriodType.QUARTER).setPeriodStart(periodEnd.minusMonths(3).plusDays(1)).setPeriodEnd(periodEnd)
                .setEventTime(at(receivedDay));
    }
}
