package dev.kestrel.bench;

import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Channel;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import java.time.Instant;
import java.time.LocalDate;
import java.util.SplittableRandom;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A seeded stream of live events for benchmarks, in event-time order: 85% transactions, 10% repayment steps,
 * 5% credit events, spread evenly over borrowers and over a period. A stand-in until the simulator exists; it is
 * meant to load the engine realistically (state per borrower, some alerts), not to tell a credit story.
 */
final class SyntheticPortfolio {
    static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

    private final int borrowers;
    private final long events;
    private final long spanMillis;
    private final SplittableRandom random = new SplittableRandom(20260101L);
    /** Per borrower: how many repayment steps so far; even steps bill an instalment, odd ones settle it. */
    private final int[] repaymentSteps;
    private long produced;

    SyntheticPortfolio(int borrowers, long events, int days) {
        this.borrowers = borrowers;
        this.repaymentSteps = new int[borrowers];
        this.events = events;
        this.spanMillis = days * 86_400_000L;
    }

    boolean hasNext() {
        return produced < events;
    }

    /** The next event; its borrower id is the Kafka key. */
    SpecificRecordBase next() {
        long index = produced++;
        Instant at = START.plusMillis(index * spanMillis / events);
        int borrowerIndex = random.nextInt(borrowers);
        String borrower = "B-" + borrowerIndex;
        int kind = random.nextInt(100);
        if (kind < 85) {
            boolean inflow = random.nextBoolean();
            return TransactionEvent.newBuilder()
                    .setEventId("T-" + index).setBorrowerId(borrower).setAccountId("A-" + borrower).setFacilityId(null)
                    .setDirection(inflow ? Direction.CREDIT : Direction.DEBIT).setKind(TransactionKind.TRANSFER)
                    .setAmountMinor(1_000_00L + random.nextInt(5_000_000)).setCurrency("CNY").setChannel(Channel.ONLINE)
                    .setCounterpartyId("CP-" + random.nextInt(40)).setCounterpartyName(null).setPurpose(null)
                    .setBalanceAfterMinor((long) random.nextInt(20_000_000) - 1_000_000L).setEventTime(at)
                    .build();
        }
        if (kind < 95) {
            // A billed instalment is paid at its next step, 97 times in 100 in full; the rest stay in arrears.
            int step = repaymentSteps[borrowerIndex]++;
            boolean billing = step % 2 == 0;
            boolean paid = !billing && random.nextInt(100) < 97;
            LocalDate today = LocalDate.ofInstant(at, java.time.ZoneOffset.UTC);
            long amount = 500_000_00L;
            return RepaymentEvent.newBuilder()
                    .setEventId("R-" + index).setBorrowerId(borrower).setFacilityId("F-" + borrower)
                    .setInstalmentId("I-" + step / 2).setKind(billing ? RepaymentKind.SCHEDULED : paid ? RepaymentKind.PAID : RepaymentKind.MISSED)
                    .setScheduleDate(billing ? today : null).setDueDate(billing ? today.plusDays(30) : today)
                    .setAmountDueMinor(amount).setPrincipalMinor(amount * 8 / 10).setAmountPaidMinor(paid ? amount : 0L)
                    .setCurrency("CNY").setEventTime(at)
                    .build();
        }
        boolean rating = random.nextBoolean();
        return CreditEvent.newBuilder()
                .setEventId("C-" + index).setBorrowerId(borrower)
                .setKind(rating ? CreditEventKind.RATING_CHANGE : CreditEventKind.NEGATIVE_NEWS)
                .setSource("bureau").setReference("REF-" + index)
                .setPreviousRating(rating ? "BBB" : null).setNewRating(rating ? (random.nextBoolean() ? "BBB-" : "A") : null)
                .setAmountMinor(null).setCurrency(null).setDescription(null).setEventTime(at)
                .build();
    }
}
