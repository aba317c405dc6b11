package dev.kestrel.jobs.portfolio;

import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.jobs.group.GroupFxTest;
import dev.kestrel.jobs.group.GroupStages;
import dev.kestrel.jobs.group.MemberStatus;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Portfolio concentration under the operator test harness with the shipped CONC rules (25% per industry, 40% per region). */
class PortfolioConcentrationFunctionTest {
    private GroupStages stages;

    @BeforeEach
    void open() throws Exception {
        stages = GroupStages.open("classpath:rules/default-rules.jsonl");
    }

    @AfterEach
    void close() throws Exception {
        stages.close();
    }

    private static MemberStatus borrower(String id, String industry, String region, int day, long drawnYuan) {
        MemberStatus status = new MemberStatus();
        status.borrowerId = id;
        status.eventTime = at(day).toEpochMilli();
        status.drawnMinor = yuan(drawnYuan);
        status.currency = "CNY";
        status.industry = industry;
        status.region = region;
        return status;
    }

    private List<String> alerts() {
        List<Alert> alerts = stages.portfolio.extractOutputValues();
        stages.portfolio.getOutput().clear();
        alerts.forEach(a -> assertThat(a.getScope()).isEqualTo(AlertScope.PORTFOLIO));
        return alerts.stream().map(a -> a.getTitle() + " " + a.getLifecycle() + " " + a.getSeverity()).toList();
    }

    /** Twenty borrowers of CNY 1,000,000.00 in five industries (A-E, four each) and four regions (five each). */
    private void evenPortfolio() throws Exception {
        evenPortfolio(stages);
    }

    private static void evenPortfolio(GroupStages stages) throws Exception {
        for (int i = 0; i < 20; i++) {
            stages.member(borrower("P-" + i, "ABCDE".substring(i % 5, i % 5 + 1), "R" + (i % 4), 0, 1_000_000));
        }
    }

    @Test
    void raisesWhenAnIndustryCrossesItsCeilingAndClearsOnlyBelowTheClearThreshold() throws Exception {
        evenPortfolio();
        List<String> even = alerts();
        stages.member(borrower("P-0", "A", "R0", 1, 2_500_000)); // A: 5.5 of 21.5 = 25.6%
        List<String> crossed = alerts();
        stages.member(borrower("P-0", "A", "R0", 2, 2_200_000)); // A: 5.2 of 21.2 = 24.5%, above the 23% clear threshold
        List<String> stillAbove = alerts();
        stages.member(borrower("P-0", "A", "R0", 3, 1_000_000)); // back to 20%
        List<String> cleared = alerts();

        assertThat(even).isEmpty();
        assertThat(crossed).containsExactly("Industry concentration above ceiling: industry A OPENED MEDIUM");
        assertThat(stillAbove).isEmpty();
        assertThat(cleared).containsExactly("Industry concentration above ceiling: industry A CLOSED MEDIUM");
    }

    /** An even portfolio, then changes heard before event time passes them, in the given order; then it passes them. */
    private static List<String> heardTogether(MemberStatus... arrivals) throws Exception {
        try (GroupStages fresh = GroupStages.open("classpath:rules/default-rules.jsonl")) {
            evenPortfolio(fresh);
            fresh.portfolio.getOutput().clear();
            for (MemberStatus arrival : arrivals) {
                fresh.portfolio.processElement(arrival, arrival.eventTime);
            }
            assertThat(fresh.portfolio.extractOutputValues()).as("nothing before event time passes the changes").isEmpty();
            fresh.portfolio.processWatermark(at(1).toEpochMilli());
            return fresh.portfolio.extractOutputValues().stream().map(a -> a.getTitle() + " " + a.getLifecycle() + " "
                    + a.getAlertId() + " " + a.getExplanation().getSummary() + " " + a.getExplanation().getTriggeringEvents()).toList();
        }
    }

    private static MemberStatus change(String id, String industry, String region, long drawnYuan) {
        MemberStatus status = borrower(id, industry, region, 1, drawnYuan);
        status.eventId = "E-" + id + "-1";
        status.eventType = "TransactionEvent";
        return status;
    }

    @Test
    void aDrawingAndARepaymentOfTheSameMomentAreJudgedTogether() throws Exception {
        // Day 1, same moment: P-0 (industry A) draws up to 2,500,000 while P-5 (A) repays down to 500,000. A ends at
        // 5.0 of 21.0 (23.8%), under the 25% ceiling; the drawing alone would show 25.6% and open an alert for nothing.
        List<String> drawingFirst = heardTogether(change("P-0", "A", "R0", 2_500_000), change("P-5", "A", "R1", 500_000));
        List<String> repaymentFirst = heardTogether(change("P-5", "A", "R1", 500_000), change("P-0", "A", "R0", 2_500_000));

        assertThat(drawingFirst).isEmpty();
        assertThat(repaymentFirst).isEmpty();
    }

    @Test
    void twoDrawingsOfTheSameMomentGiveTheSameAlertWhicheverArrivesFirst() throws Exception {
        // Day 1, same moment: P-0 (A) draws up to 2,500,000 and P-5 (A) up to 1,500,000: A holds 6.0 of 22.0 (27.3%).
        List<String> p0First = heardTogether(change("P-0", "A", "R0", 2_500_000), change("P-5", "A", "R1", 1_500_000));
        List<String> p5First = heardTogether(change("P-5", "A", "R1", 1_500_000), change("P-0", "A", "R0", 2_500_000));

        assertThat(p0First).hasSize(1);
        assertThat(p0First.get(0)).startsWith("Industry concentration above ceiling: industry A OPENED");
        assertThat(p5First).as("the same alert, id, explanation and cited event whichever arrived first")
                .containsExactlyElementsOf(p0First);
    }

    @Test
    void aBorrowerChangingIndustryMovesItsExposureBetweenSegments() throws Exception {
        evenPortfolio();
        alerts();
        stages.member(borrower("P-1", "A", "R1", 1, 1_000_000)); // B -> A: A 5 of 20 = 25%, not above
        stages.member(borrower("P-2", "A", "R2", 1, 1_000_000)); // C -> A: A 6 of 20 = 30%
        List<String> moved = alerts();
        stages.member(borrower("P-5", "A", "R1", 2, 0)); // repaid in full: out of the portfolio, now too small for shares
        List<Alert> repaid = stages.portfolio.extractOutputValues();

        assertThat(moved).containsExactly("Industry concentration above ceiling: industry A OPENED MEDIUM");
        assertThat(repaid).singleElement().satisfies(alert -> assertThat(alert.getExplanation().getSummary())
                .isEqualTo("Cleared: portfolioBorrowers 19 no longer >= 20 (was 20)."));
    }

    @Test
    void leavesOutExposureNoRateConvertsAndChangesThatMoveNoExposure() throws Exception {
        evenPortfolio();
        alerts();
        MemberStatus dollars = borrower("P-99", "A", "R0", 1, 50_000_000);
        dollars.currency = "USD";
        stages.member(dollars);
        MemberStatus arrears = borrower("P-3", "D", "R3", 1, 1_000_000);
        arrears.daysPastDue = 40;
        arrears.loanCategory = 2;
        stages.member(arrears);

        assertThat(alerts()).isEmpty();
    }

    @Test
    void countsExposureInAnotherCurrencyConvertedAtTheRateOfItsDay() throws Exception {
        stages.rate(GroupFxTest.rate("EUR", "CNY", "8", 0));
        evenPortfolio();
        alerts();
        MemberStatus euro = borrower("P-99", "A", "R0", 1, 1_000_000);
        euro.currency = "EUR";
        stages.member(euro); // A: 4 + 8 of 28 = 42.9%

        List<Alert> raised = stages.portfolio.extractOutputValues();
        assertThat(raised).anySatisfy(alert -> assertThat(alert.getExplanation().getSummary())
                .contains("CNY 12,000,000.00 of CNY 28,000,000.00"));
    }

    @Test
    void anExposureWhoseConversionWouldOverflowIsLeftOutNotAFailure() throws Exception {
        stages.rate(GroupFxTest.rate("USD", "CNY", "8", 0));
        evenPortfolio();
        alerts();
        MemberStatus absurd = borrower("P-99", "A", "R0", 1, 0);
        absurd.currency = "USD";
        absurd.drawnMinor = Long.MAX_VALUE / 4; // eight times it is beyond a long
        stages.member(absurd);
        stages.member(borrower("P-0", "A", "R0", 2, 2_500_000)); // A: 5.5 of 21.5 = 25.6%, P-99 not in it

        assertThat(alerts()).containsExactly("Industry concentration above ceiling: industry A OPENED MEDIUM");
    }

    @Test
    void staysQuietWhileThePortfolioIsTooSmallForSharesToMeanAnything() throws Exception {
        for (int i = 0; i < 19; i++) {
            stages.member(borrower("P-" + i, "A", "R0", 0, 1_000_000));
        }
        List<String> nineteen = alerts();
        stages.member(borrower("P-19", "A", "R0", 0, 1_000_000));

        assertThat(nineteen).isEmpty();
        assertThat(alerts()).containsExactlyInAnyOrder(
                "Industry concentration above ceiling: industry A OPENED HIGH",
                "Region concentration above ceiling: region R0 OPENED MEDIUM");
    }
}
