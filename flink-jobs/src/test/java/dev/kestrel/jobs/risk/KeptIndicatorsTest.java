package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static dev.kestrel.jobs.Events.date;
import static dev.kestrel.jobs.Events.wrap;
import static dev.kestrel.jobs.Events.yuan;
import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Direction;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.Events;
import dev.kestrel.events.AlertScope;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleBook;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/**
 * A borrower keeps the last value of every indicator and computes again only the parts that can have moved
 * ({@link BorrowerState#indicators}). That must be exactly what computing every part each time gives: here two copies
 * of a borrower live the same random two years (accounts fed or not, drawdowns, instalments paid, late or missed,
 * statements, bureau reports, revaluations, new profiles, silent weeks), one computing every part at each evaluation
 * and kept in memory, the other stored after each step as the operator stores it (its core, and the parts that
 * changed, through their serializers) and read back, and their indicators, observation times, classification, timer
 * days and alerts must agree at every step, under each regulatory regime: the first evaluating every rule of the shipped
 * pack each time, the second only those whose indicators moved (and those with an episode open).
 */
class KeptIndicatorsTest {
    private static final List<CompiledRule> RULES = RuleBook.load("classpath:rules/default-rules.jsonl").rules(AlertScope.BORROWER);
    private RiskSettings settings = RiskSettings.defaults();
    private int alerts;

    @Test
    void keptIndicatorsEqualEveryPartComputedAgainThroughTwoRandomYearsUnderEachRegime() throws Exception {
        for (java.util.Set<Regime> regimes : List.of(java.util.EnumSet.of(Regime.CN), java.util.EnumSet.of(Regime.EU),
                java.util.EnumSet.of(Regime.IN), java.util.EnumSet.allOf(Regime.class))) {
            settings = RiskSettings.defaults().withRegimes(regimes);
            for (long seed = 1; seed <= 30; seed++) {
                live(seed);
            }
        }
        assertThat(alerts).as("alert changes the random years raised").isGreaterThan(500);
    }

    private void live(long seed) throws Exception {
        {
            Random random = new Random(seed);
            Stored kept = new Stored();
            BorrowerState computed = new BorrowerState();
            String b = "K-" + seed;
            int day = 0;
            List<SpecificRecordBase> history = history(b, random);
            for (SpecificRecordBase record : history) {
                BorrowerEvent event = wrap(record);
                int eventDay = Days.of(event.eventTimeMillis);
                // The day timer's evaluations between events, as the operator makes them.
                for (; day < eventDay; day++) {
                    if (random.nextInt(3) == 0) {
                        step(kept.read(), computed, null, Days.start(day + 1), settings.regimes() + " " + seed + " day " + (day + 1));
                        kept.write();
                    }
                }
                step(kept.read(), computed, event, event.eventTimeMillis, settings.regimes() + " " + seed + " " + event.eventId());
                kept.write();
            }
        }
    }

    private void step(BorrowerState kept, BorrowerState computed, BorrowerEvent event, long time, String what) {
        IndicatorValues keptBefore = new IndicatorValues();
        IndicatorValues computedBefore = new IndicatorValues();
        if (event != null) { // as the operator applies an event: at its time, before and after it
            kept.advanceClock(time);
            computed.advanceClock(time);
        }
        kept.indicators(keptBefore, settings);
        computed.stale = Part.EVERY;
        computed.indicators(computedBefore, settings);
        same(keptBefore, computedBefore, "before " + what);
        if (event != null) {
            kept.apply(event, settings);
            computed.apply(event, settings);
        } else { // as a day timer ages the borrower: before at its clock, after at the day's start
            kept.advanceClock(time);
            computed.advanceClock(time);
        }
        IndicatorValues keptAfter = new IndicatorValues();
        IndicatorValues computedAfter = new IndicatorValues();
        kept.indicators(keptAfter, settings);
        computed.stale = Part.EVERY;
        computed.indicators(computedAfter, settings);
        same(keptAfter, computedAfter, "after " + what);
        // The rules: every one for the copy computing everything, only those whose indicators moved for the other.
        List<String> keptAlerts = new ArrayList<>();
        List<String> computedAlerts = new ArrayList<>();
        long digest = CompiledRule.digest(RULES);
        AlertEpisodes.evaluate(new BorrowerSubject().of("K", kept), RULES, kept.movedSinceRulesRead(digest), keptBefore, keptAfter, 0,
                alert -> keptAlerts.add(alert.toString()));
        kept.rulesRead(digest);
        AlertEpisodes.evaluate(new BorrowerSubject().of("K", computed), RULES, -1L, computedBefore, computedAfter, 0,
                alert -> computedAlerts.add(alert.toString()));
        assertThat(keptAlerts).as("alerts at " + what).isEqualTo(computedAlerts);
        alerts += computedAlerts.size();
        assertThat(kept.nextTimerDay(settings)).as("timer day after " + what).isEqualTo(computed.nextTimerDay(settings));
        assertThat(kept.drawnInBorrowerCurrency()).as("drawn after " + what).isEqualTo(computed.drawnInBorrowerCurrency());
        assertThat(kept.regulatoryStatus()).as("status after " + what).isEqualTo(computed.regulatoryStatus());
    }

    private static void same(IndicatorValues kept, IndicatorValues computed, String what) {
        assertThat(kept.sameValues(computed)).as(what + ": " + kept + " vs " + computed).isTrue();
        for (Indicator indicator : Indicator.values()) {
            if (computed.isKnown(indicator)) {
                assertThat(kept.observedAt(indicator)).as(what + ": observed at of " + indicator).isEqualTo(computed.observedAt(indicator));
            }
        }
    }

    /** Two years of a borrower whose habits the seed draws. */
    private static List<SpecificRecordBase> history(String b, Random random) {
        List<SpecificRecordBase> events = new ArrayList<>();
        boolean fedAccounts = random.nextInt(4) != 0;
        int silentFrom = 200 + random.nextInt(200);
        int silentDays = random.nextInt(120);
        int n = 0;
        events.add(Events.profile(b, random.nextBoolean() ? "G-1" : null, 0, 1_000_000, 400_000 + random.nextInt(400_000)));
        boolean projectCompany = random.nextInt(3) == 0;
        if (projectCompany) { // its ratios read the statements and the drawn amounts, which the other events move
            int cod = 100 + random.nextInt(400);
            // The accounts' transactions are its revenue; a reserve of a few months' debt service moves now and then.
            events.add(dev.kestrel.events.Project.newBuilder(Events.project(b, random.nextInt(20), cod, cod + 200 - random.nextInt(260)))
                    .setRevenueAccountId("ACC-" + b).build());
            events.add(projectModel(b, "FM-" + b + "-1", random.nextInt(30), random));
            events.add(dev.kestrel.events.FacilityCovenants.newBuilder(
                            Events.covenants(b, random.nextInt(30), random.nextInt(400) - 200, 12_000, 10_500, 13_000, 11_000))
                    .setDsra(dev.kestrel.events.ReserveRequirement.newBuilder().setAccountId("DSRA-" + b).setMonths(1 + random.nextInt(12)).build())
                    .build());
        }
        for (int day = 1; day < 730; day++) {
            if (projectCompany && random.nextInt(60) == 0) {
                int planned = random.nextInt(700);
                boolean reached = random.nextInt(3) == 0 && planned < day;
                events.add(Events.milestone(b, "M-" + random.nextInt(4), random.nextInt(5) == 0
                        ? dev.kestrel.events.MilestoneKind.COMMERCIAL_OPERATION : dev.kestrel.events.MilestoneKind.CONSTRUCTION, planned,
                        reached ? Days.NONE : planned + random.nextInt(200) - 20, reached ? day - random.nextInt(Math.min(day, 30) + 1) : Days.NONE,
                        random.nextInt(10_001), day));
            }
            if (projectCompany && day % 365 == 45) {
                events.add(Events.yearStatement(b, day, date(day - 45), 30_000_000 + random.nextInt(30_000_000), random.nextInt(5_000_000)));
            }
            if (projectCompany && random.nextInt(40) == 0) {
                events.add(Events.transaction(b, day, random.nextBoolean() ? Direction.CREDIT : Direction.DEBIT, 1_000_000)
                        .setAccountId("DSRA-" + b).setEventId(b + "-dsra-" + n++)
                        .setBalanceAfterMinor(random.nextInt(5) == 0 ? null : yuan(random.nextInt(60_000_000))).build());
            }
            if (projectCompany && random.nextInt(250) == 0) {
                events.add(projectModel(b, "FM-" + b + "-" + day, day, random));
            }
            if (day >= silentFrom && day < silentFrom + silentDays) {
                continue;
            }
            if (fedAccounts && random.nextInt(3) == 0) {
                long amount = 1_000 + random.nextInt(90_000);
                Direction direction = random.nextInt(5) < 2 ? Direction.CREDIT : Direction.DEBIT;
                events.add(Events.transaction(b, day, direction, amount).setEventId(b + "-tx-" + n++)
                        .setBalanceAfterMinor(random.nextInt(4) == 0 ? null : yuan(random.nextInt(200_000) - 30_000))
                        .setCounterpartyId("CP-" + random.nextInt(12)).build());
            }
            if (fedAccounts && random.nextInt(90) == 0) {
                events.add(Events.transaction(b, day, Direction.CREDIT, 100_000).setKind(TransactionKind.DISBURSEMENT)
                        .setFacilityId("F-" + b).setCounterpartyId("BANK").setEventId(b + "-dd-" + n++).build());
            }
            if (day % 30 == 5) {
                int due = day + 25;
                String instalment = "I" + day;
                events.add(id(Events.scheduled(b, "F-" + b, instalment, day, due, 20_000 + random.nextInt(30_000)), b + "-s-" + n++));
                int payDay = due + switch (random.nextInt(6)) {
                    case 0 -> 10 + random.nextInt(150); // late, perhaps very late
                    case 1 -> 100_000; // never
                    default -> -random.nextInt(3);
                };
                if (payDay < 730) {
                    RepaymentEvent paid = Events.paid(b, "F-" + b, instalment, payDay, due, 30_000, random.nextInt(4) == 0 ? 10_000 : 60_000);
                    events.add(id(paid, b + "-p-" + n++));
                }
                if (payDay > due + 1 && due + 1 < 730 && random.nextBoolean()) {
                    events.add(id(Events.instalment(b, "F-" + b, instalment, RepaymentKind.MISSED, due + 1, due, 30_000, 0), b + "-m-" + n++));
                }
            }
            if (random.nextInt(120) == 0) {
                CreditEventKind kind = CreditEventKind.values()[random.nextInt(CreditEventKind.values().length - 1)];
                CreditEvent credit = kind == CreditEventKind.RATING_CHANGE ? Events.ratingChange(b, day, "BBB", random.nextBoolean() ? "BB" : "A")
                        : CreditEvent.newBuilder(Events.credit(b, day, kind)).setAmountMinor(yuan(5_000)).setCurrency("CNY").build();
                events.add(CreditEvent.newBuilder(credit).setEventId(b + "-c-" + n++).build());
            }
            if (day % 91 == 40) {
                events.add(Events.statement(b, day, date(day - 40), 10_000_000, 5_000_000 + random.nextInt(7_000_000), 2_000_000,
                        1_000_000 + random.nextInt(2_000_000), 3_000_000, random.nextInt(400_000) - 200_000, random.nextInt(400_000) - 200_000));
            }
            if (random.nextInt(150) == 0) {
                events.add(Events.valuation(b, "F-" + b, day, 300_000 + random.nextInt(900_000), 2_000));
            }
            if (random.nextInt(200) == 0) {
                events.add(Events.profile(b, "G-2", day, 1_000_000 + random.nextInt(500_000), 300_000 + random.nextInt(900_000)));
            }
        }
        events.sort(java.util.Comparator.comparingLong(r -> wrap(r).eventTimeMillis));
        return events;
    }

    /** A base case by quarter from 2025 to 2030, its amounts drawn at random. */
    private static SpecificRecordBase projectModel(String b, String id, int day, Random random) {
        List<dev.kestrel.events.ForecastPeriod> quarters = new ArrayList<>();
        for (int q = 0; q < 24; q++) {
            quarters.add(Events.period(java.time.LocalDate.parse("2025-01-01").plusMonths(3L * q), 3, 10_000_000 + random.nextInt(20_000_000),
                    5_000_000, random.nextInt(3_000_000), q < 4 ? 0 : 5_000_000 + random.nextInt(10_000_000)));
        }
        return Events.forecast(b, id, day, 300 + random.nextInt(600), quarters.toArray(dev.kestrel.events.ForecastPeriod[]::new));
    }

    /** A borrower kept as the operator keeps it (BorrowerStore): its core and each part that changed, as bytes. */
    private static final class Stored {
        private final BorrowerCoreSerializer core = new BorrowerCoreSerializer();
        private final java.util.Map<Part, byte[]> parts = new java.util.EnumMap<>(Part.class);
        private byte[] coreBytes;
        private BorrowerState state = new BorrowerState();

        BorrowerState read() throws java.io.IOException {
            if (coreBytes != null) {
                state = core.deserialize(new org.apache.flink.core.memory.DataInputDeserializer(coreBytes));
                state.readPartsWith(part -> {
                    try {
                        return new PartSerializer(part).deserialize(new org.apache.flink.core.memory.DataInputDeserializer(parts.get(part))).value();
                    } catch (java.io.IOException e) {
                        throw new java.io.UncheckedIOException(e);
                    }
                });
            }
            return state;
        }

        void write() throws java.io.IOException {
            for (Part part : Part.ALL) {
                if ((state.changed & part.bit) != 0 && !part.inCore) {
                    parts.put(part, bytes(new PartSerializer(part), new KeptPart(state.clock(), state.partForWriting(part))));
                    state.stored |= part.bit;
                }
            }
            state.changed = 0;
            coreBytes = bytes(core, state);
        }

        private static <T> byte[] bytes(StateSerializer<T> serializer, T value) throws java.io.IOException {
            org.apache.flink.core.memory.DataOutputSerializer out = new org.apache.flink.core.memory.DataOutputSerializer(256);
            serializer.serialize(value, out);
            return out.getCopyOfBuffer();
        }
    }

    private static RepaymentEvent id(RepaymentEvent r, String id) {
        return RepaymentEvent.newBuilder(r).setEventId(id).build();
    }
}
