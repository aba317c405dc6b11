package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.evidence.EvidenceView;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.InstalmentState;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import java.time.Duration;
import java.time.LocalDate;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The evidence behind Jiangnan Precision's alerts, as its officer opens the customer file: the Q4 statement (restated
 * once, the restatement shown, an older copy read later ignored), the bureau's downgrade with its source and
 * reference, the ledger of two instalments (the first scheduled and paid, kept after it was paid; the second missed),
 * and the valuation of the plant; and the engine's word on the two instalments (06 settled three days late, 07 a day
 * past due). Everything read twice, as after a restart, is shown once, and an older word read after a newer one is ignored.
 */
@MicronautTest
class EvidenceTest extends DeskTest {

    @BeforeAll
    void theFileAsTheInputTopicsCarryIt() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        FinancialStatement restated = FinancialStatement.newBuilder(Samples.financialStatement())
                .setNetProfitMinor(-1_500_000_000L).setEventTime(Samples.T0.plus(Duration.ofDays(20))).build();
        DeskTestSupport.send(topics.statements(), List.of(Samples.financialStatement(), restated, Samples.financialStatement(),
                FinancialStatement.newBuilder(Samples.financialStatement()).setStatementId("FS-B-1001-2025Q3")
                        .setPeriodStart(LocalDate.parse("2025-07-01")).setPeriodEnd(LocalDate.parse("2025-09-30")).build()));
        DeskTestSupport.send(topics.creditEvents(), List.of(Samples.creditEvent(), Samples.creditEvent()));
        RepaymentEvent scheduled = RepaymentEvent.newBuilder(Samples.repayment()).setEventId("RP-06-S").setInstalmentId("06")
                .setKind(RepaymentKind.SCHEDULED).setDueDate(LocalDate.parse("2026-02-01")).setEventTime(Samples.T0.minus(Duration.ofDays(60))).build();
        RepaymentEvent paid = RepaymentEvent.newBuilder(scheduled).setEventId("RP-06-P").setKind(RepaymentKind.PAID)
                .setAmountPaidMinor(12_000_000L).setEventTime(Samples.T0.minus(Duration.ofDays(29))).build();
        DeskTestSupport.send(topics.repayments(), List.of(scheduled, paid, Samples.repayment(), paid));
        DeskTestSupport.send(topics.collateral(), List.of(Samples.collateralValuation()));
        InstalmentStatus fellPastDue = InstalmentStatus.newBuilder(Samples.instalmentStatus()).setInstalmentId("06")
                .setDueDate(LocalDate.parse("2026-02-01")).setAsOf(LocalDate.parse("2026-02-02")).setEventId(null).build();
        InstalmentStatus settled = InstalmentStatus.newBuilder(fellPastDue).setStatus(InstalmentState.SETTLED).setAmountPaidMinor(12_000_000L)
                .setSettledOn(LocalDate.parse("2026-02-04")).setDaysLate(3).setAsOf(LocalDate.parse("2026-02-04")).setEventId("RP-06-P").build();
        // 05 fell past due and was paid the same day: the later word of the day stands. 08 is still to pay.
        InstalmentStatus sameDay = InstalmentStatus.newBuilder(fellPastDue).setInstalmentId("05").setDueDate(LocalDate.parse("2026-01-01"))
                .setAsOf(LocalDate.parse("2026-01-02")).setDaysLate(1).build();
        InstalmentStatus toPay = InstalmentStatus.newBuilder(Samples.instalmentStatus()).setInstalmentId("08").setStatus(InstalmentState.DUE)
                .setDueDate(LocalDate.parse("2026-04-01")).setDaysLate(0).build();
        DeskTestSupport.sendInOrder(topics.instalments(), "B-1001", List.of(fellPastDue, settled, Samples.instalmentStatus(), fellPastDue,
                sameDay, InstalmentStatus.newBuilder(sameDay).setStatus(InstalmentState.SETTLED).setAmountPaidMinor(12_000_000L)
                        .setSettledOn(LocalDate.parse("2026-01-02")).build(), toPay));
        eventually(Duration.ofSeconds(20), "the file arrives", () -> {
            var response = desk.call("aud", HttpRequest.GET("/api/borrowers/B-1001/evidence"), Argument.of(EvidenceView.class));
            return response.code() == 200 && response.body().valuations().size() == 1 && response.body().repayments().size() == 3
                    && response.body().instalments().size() == 4
                    && response.body().instalments().stream().anyMatch(i -> i.get("instalmentId").getStringValue().equals("05")
                            && i.get("status").getStringValue().equals("SETTLED"))
                    && response.body().statements().size() == 2
                    && response.body().statements().get(0).get("netProfitMinor").getLongValue() == -1_500_000_000L;
        });
    }

    @Test
    void theOfficerSeesEachRecordOnceAsItCameTheLatestFirstAndTheLedgerKeepsWhatWasPaid() {
        EvidenceView file = desk.get("ana", "/api/borrowers/B-1001/evidence", Argument.of(EvidenceView.class));

        assertThat(file.statements()).extracting(s -> s.get("statementId").getStringValue() + " " + s.get("periodEnd").getStringValue())
                .containsExactly("FS-B-1001-2025Q4 2025-12-31", "FS-B-1001-2025Q3 2025-09-30");
        assertThat(file.statements().get(0).get("netProfitMinor").getLongValue()).as("the restatement, not the first copy read again")
                .isEqualTo(-1_500_000_000L);
        assertThat(file.creditEvents()).singleElement().satisfies(e -> {
            assertThat(e.get("source").getStringValue()).isEqualTo("Credit Reference Center");
            assertThat(e.get("reference").getStringValue()).isEqualTo("CRC-2026-0302-88231");
            assertThat(e.get("newRating").getStringValue()).isEqualTo("BB");
            assertThat(e.get("amountMinor").isNull()).isTrue();
        });
        assertThat(file.repayments()).extracting(r -> r.get("instalmentId").getStringValue() + " " + r.get("kind").getStringValue()
                        + " " + r.get("dueDate").getStringValue() + " " + r.get("amountPaidMinor").getLongValue())
                .as("the latest instalment first; the paid one kept, its events in order")
                .containsExactly("07 MISSED 2026-03-01 0", "06 SCHEDULED 2026-02-01 0", "06 PAID 2026-02-01 12000000");
        assertThat(file.instalments()).extracting(i -> i.get("instalmentId").getStringValue() + " " + i.get("status").getStringValue()
                        + " " + i.get("daysLate").getIntValue() + " as of " + i.get("asOf").getStringValue()
                        + (i.get("settledOn").isNull() ? "" : ", settled " + i.get("settledOn").getStringValue()))
                .as("the engine's latest word on each: past due first, then to pay, then settled, the latest first; the older word "
                        + "read again changes nothing, and of one day's words the later stands")
                .containsExactly("07 PAST_DUE 1 as of 2026-03-02", "08 DUE 0 as of 2026-03-02", "06 SETTLED 3 as of 2026-02-04, settled 2026-02-04",
                        "05 SETTLED 1 as of 2026-01-02, settled 2026-01-02");
        assertThat(file.instalmentsNotShown()).isZero();
        assertThat(file.valuations()).singleElement().satisfies(v -> {
            assertThat(v.get("collateralId").getStringValue()).isEqualTo("COL-1001-1");
            assertThat(v.get("haircutBasisPoints").getIntValue()).isEqualTo(3000);
            assertThat(v.get("valuationDate").getStringValue()).isEqualTo("2026-02-27");
            assertThat(v.get("valuer").getStringValue()).isEqualTo("Shanghai Appraisal Ltd.");
        });
        assertThat(desk.call("ana", HttpRequest.GET("/api/borrowers/B-404/evidence"), Argument.of(JsonNode.class)).code()).isEqualTo(404);
    }

    @Test
    void aLongScheduleNeverPushesTheArrearsOutOfTheLedger() {
        DeskTestSupport.send(topics.profiles(), List.of(dev.kestrel.events.BorrowerProfile.newBuilder(Samples.borrowerProfile())
                .setBorrowerId("B-2001").build()));
        java.util.ArrayList<InstalmentStatus> schedule = new java.util.ArrayList<>();
        InstalmentStatus settled = InstalmentStatus.newBuilder(Samples.instalmentStatus()).setBorrowerId("B-2001")
                .setStatus(InstalmentState.SETTLED).setAmountPaidMinor(12_000_000L).setDaysLate(0).build();
        for (int month = 0; month < 250; month++) { // twenty years of monthly instalments, paid
            LocalDate due = LocalDate.parse("2005-01-01").plusMonths(month);
            schedule.add(InstalmentStatus.newBuilder(settled).setInstalmentId(String.format("%03d", month)).setDueDate(due).setSettledOn(due)
                    .setAsOf(due).build());
        }
        schedule.add(InstalmentStatus.newBuilder(Samples.instalmentStatus()).setBorrowerId("B-2001").setInstalmentId("251").build());
        DeskTestSupport.sendInOrder(topics.instalments(), "B-2001", schedule);
        eventually(Duration.ofSeconds(20), "the schedule arrives", () -> {
            var response = desk.call("aud", HttpRequest.GET("/api/borrowers/B-2001/evidence"), Argument.of(EvidenceView.class));
            return response.code() == 200 && response.body().instalments().size() + response.body().instalmentsNotShown() == 251;
        });

        EvidenceView file = desk.get("ana", "/api/borrowers/B-2001/evidence", Argument.of(EvidenceView.class));
        assertThat(file.instalments()).hasSize(240);
        assertThat(file.instalmentsNotShown()).isEqualTo(11);
        assertThat(file.instalments().get(0).get("instalmentId").getStringValue()).as("the arrears first").isEqualTo("251");
        assertThat(file.instalments().get(1).get("instalmentId").getStringValue()).as("then the latest settled").isEqualTo("249");
    }
}
