package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import static dev.kestrel.jobs.Events.at;
import static dev.kestrel.jobs.Events.date;
import static dev.kestrel.jobs.Events.disbursement;
import static dev.kestrel.jobs.Events.inflow;
import static dev.kestrel.jobs.Events.outflow;
import static dev.kestrel.jobs.Events.profile;
import static dev.kestrel.jobs.Events.ratingChange;
import static dev.kestrel.jobs.Events.scheduled;
import static dev.kestrel.jobs.Events.statement;
import static dev.kestrel.jobs.Events.valuation;
import static dev.kestrel.jobs.Events.wrap;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.Direction;
import dev.kestrel.events.Severity;
import dev.kestrel.jobs.Events;
import java.io.IOException;
import java.util.Arrays;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

class BorrowerStateSerializerTest {
    private final BorrowerStateSerializer serializer = new BorrowerStateSerializer();
    private final RiskSettings settings = RiskSettings.defaults();

    @Test
    void roundTripsEveryPartOfTheStateToTheSameBytesAndIndicators() throws IOException {
        BorrowerState state = richState();
        state.waits("kestrel.transactions#1", Days.of(at(171).toEpochMilli()));

        byte[] bytes = serialize(state);
        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(bytes));

        assertThat(serialize(restored)).isEqualTo(bytes);
        IndicatorValues original = new IndicatorValues();
        IndicatorValues read = new IndicatorValues();
        state.indicators(original, settings);
        restored.indicators(read, settings);
        assertThat(read.sameValues(original)).as(read + " vs " + original).isTrue();
        assertThat(restored.episodes).extracting(e -> e.alertId + " " + e.severity)
                .containsExactly("alert-1 HIGH", AlertIds.forBorrower("B-1", "CF-BURN", 7L) + " MEDIUM");
        assertThat(restored.recentEvents).extracting(EventRef::eventType).containsExactly("RepaymentEvent", "CreditEvent", "CreditEvent");
        assertThat(restored.timerDay).isEqualTo(state.timerDay);
        assertThat(restored.latestWaitingDay("kestrel.transactions#1")).as("format 9: the latest waiting day of each stream").isEqualTo(Days.of(at(171).toEpochMilli()));
        assertThat(restored.latestWaitingDay("kestrel.repayments#1")).isEqualTo(Days.NONE);
        assertThat(restored.episodes.get(1).checkedAt).isEqualTo(at(170).toEpochMilli());
        assertThat(restored.episodes.get(1).lastKnownAt(Indicator.OUTFLOW_TO_INFLOW_30D)).isEqualTo(at(160).toEpochMilli());
        assertThat(restored.episodes.get(1).lastKnownAt(Indicator.OUTFLOW_TO_INFLOW_90D)).as("never known during the episode")
                .isEqualTo(Episode.NEVER);
    }

    @Test
    void keepsEachCollateralItemsCurrencyAndReadsFormatEightWhichKeptNone() throws IOException {
        BorrowerState state = richState();
        state.apply(wrap(dev.kestrel.events.CollateralValuation.newBuilder(valuation("B-1", "F-B-1", 171, 100_000, 0))
                .setCollateralId("COL-EUR").setCurrency("EUR").build()), settings);
        byte[] bytes = serialize(state);

        assertThat(serializer.deserialize(new DataInputDeserializer(bytes)).exposure().pledges)
                .extracting(pledge -> pledge.currency).containsExactly("CNY", "EUR");
        // Format 9 appends the currencies after everything format 8 wrote: format 8 is the same bytes up to there.
        bytes[0] = 8;
        assertThat(serializer.deserialize(new DataInputDeserializer(bytes)).exposure().pledges)
                .extracting(pledge -> pledge.currency).containsExactly(null, null);
    }

    @Test
    void keepsWhatAlertsCiteAndReadsFormatSixWhichKeptNothingToCite() throws IOException {
        BorrowerState state = richState();
        byte[] bytes = serialize(state);

        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(bytes));

        assertThat(restored.bureau().rating.fact()).endsWith("rating moved from BBB to BB");
        assertThat(restored.bureau().lawsuits).hasSize(1);
        assertThat(restored.cash().disbursement.fact()).startsWith("disbursement ").contains("under F-B-1");
        assertThat(restored.cash().divertedPayments).singleElement().satisfies(paid -> assertThat(paid.fact()).contains("CNY 90,000.00 paid"));
        assertThat(restored.repayments().open).singleElement().satisfies(instalment -> {
            assertThat(instalment.currency).isEqualTo("CNY");
            assertThat(instalment.eventId).isEqualTo(state.repayments().open.get(0).eventId);
        });
        // Format 7 appends what alerts cite after everything format 6 wrote, so format 6 is the same bytes up to there.
        bytes[0] = 6;
        BorrowerState formatSix = serializer.deserialize(new DataInputDeserializer(bytes));
        assertThat(formatSix.bureau().rating).isNull();
        assertThat(formatSix.cash().disbursement).isNull();
        assertThat(formatSix.repayments().open).singleElement().satisfies(instalment -> assertThat(instalment.eventId).isNull());
        IndicatorValues read = new IndicatorValues();
        IndicatorValues original = new IndicatorValues();
        formatSix.indicators(read, settings);
        state.indicators(original, settings);
        assertThat(read.sameValues(original)).as(read + " vs " + original).isTrue();
    }

    @Test
    void readsStateThatTheEngineWroteInFormatThree() throws IOException {
        // richState() as the format-3 engine serialised it, before episodes remembered their unknown indicators and
        // facilities whether they can be redrawn.
        BorrowerState restored = StateBytes.read(serializer, StateBytes.kept("borrower-state-format-3.hex"));

        assertSameBorrower(restored, richState());
        assertThat(restored.episodes).allSatisfy(episode -> {
            assertThat(episode.checkedAt).as("not checked by this engine yet").isEqualTo(Episode.NEVER);
            assertThat(episode.unknown()).isEmpty();
        });
        IndicatorValues values = new IndicatorValues();
        restored.indicators(values, settings);
        assertThat(values.isKnown(Indicator.LIMIT_UTILISATION)).as("unknown until a profile names the facility types").isFalse();
        assertThat(values.get(Indicator.LIMIT_BREACH)).as("a breach is a breach whatever the type").isZero();
        restored.apply(wrap(profile("B-1", "G-1", 171, 1_000_000, 600_000)), settings);
        restored.indicators(values, settings);
        assertThat(values.isNotApplicable(Indicator.LIMIT_UTILISATION)).as("the profile's facility is a term loan").isTrue();
    }

    @Test
    void readsStateThatTheEngineWroteInFormatFiveWhenEveryStatementAmountWasRequired() throws IOException {
        // richState() as the format-5 engine serialised it, before statements kept their id and which amounts are known.
        BorrowerState restored = StateBytes.read(serializer, StateBytes.kept("borrower-state-format-5.hex"));

        IndicatorValues read = new IndicatorValues();
        IndicatorValues original = new IndicatorValues();
        restored.indicators(read, settings);
        richState().indicators(original, settings);
        assertThat(read.sameValues(original)).as(read + " vs " + original).isTrue();
        assertThat(read.get(Indicator.DEBT_TO_ASSETS)).as("every amount of the old layout is known").isEqualTo(7_000);
        assertThat(read.isKnown(Indicator.NEGATIVE_EQUITY)).as("no equity before format 6").isFalse();
        assertThat(restored.financials().latest().statementId).as("the next statement brings one").isNull();
        assertThat(serialize(serializer.deserialize(new DataInputDeserializer(serialize(restored)))))
                .as("written again in the current format").isEqualTo(serialize(restored));
    }

    @Test
    void readsStateThatTheEngineWroteInFormatTwo() throws IOException {
        // richState() as the format-2 engine serialised it (varints per slot, modified UTF-8), kept byte for byte.
        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(formatTwo()));

        assertSameBorrower(restored, richState());
        assertThat(restored.industry).isEqualTo("C");
        assertThat(restored.region).isEqualTo("CN-SH");
        assertThat(serializer.deserialize(new DataInputDeserializer(serialize(restored))).cash().dailyIn)
                .as("written again in the current format").containsExactly(restored.cash().dailyIn);
    }

    @Test
    void readsStateThatAnEngineBeforeGroupsWrote() throws IOException {
        byte[] formatTwo = formatTwo();
        // Format 1 ended where format 2 appends industry "C" (4 bytes), region "CN-SH" (8), no group membership (1)
        // and the membership digest (a long).
        byte[] formatOne = Arrays.copyOf(formatTwo, formatTwo.length - 4 - 8 - 1 - Long.BYTES);
        formatOne[0] = 1;

        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(formatOne));

        assertSameBorrower(restored, richState());
        assertThat(restored.industry).as("filled by the next profile").isNull();
        assertThat(restored.memberKey).as("announced to the group stage on its next change").isZero();
    }

    @Test
    void readsFormatFourWhichKeptAppliedEventIdsButNoEpisodeChecks() throws IOException {
        BorrowerState state = new BorrowerState();
        state.apply(Events.wrap(Events.transaction("B-1", 1, Direction.CREDIT, 10).setEventId("TX-1").build()), settings);
        // With no open episode and no statement, the current format writes exactly what format 4 wrote but for the version byte.
        byte[] formatFour = serialize(state);
        formatFour[0] = 4;

        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(formatFour));

        assertThat(restored.alreadyApplied("TX-1")).isTrue();
    }

    @Test
    void stateOfFormatThreeRemembersNoAppliedEventIds() throws IOException {
        BorrowerState restored = StateBytes.read(serializer, StateBytes.kept("borrower-state-format-3.hex"));

        assertThat(restored.appliedCount).isZero();
    }

    @Test
    void keepsTheIdsOfTheLastLiveEventsAppliedAndForgetsOlderOnes() throws IOException {
        BorrowerState state = new BorrowerState();
        for (int i = 0; i < BorrowerState.APPLIED_WINDOW + 5; i++) {
            state.apply(Events.wrap(Events.transaction("B-1", 1, Direction.CREDIT, 10).setEventId("TX-" + i).build()), settings);
        }

        BorrowerState restored = serializer.deserialize(new DataInputDeserializer(serialize(state)));

        assertThat(restored.alreadyApplied("TX-" + (BorrowerState.APPLIED_WINDOW + 4))).isTrue();
        assertThat(restored.alreadyApplied("TX-5")).as("the oldest still in the window").isTrue();
        assertThat(restored.alreadyApplied("TX-4")).as("beyond the window").isFalse();
        assertThat(restored.alreadyApplied("TX-never")).isFalse();
    }

    private static byte[] formatTwo() throws IOException {
        return StateBytes.kept("borrower-state-format-2.hex");
    }

    /**
     * The same borrower as far as the engine can tell: indicators, episodes, recent events' kinds and times, timer. The
     * formats before 5 did not keep whether a facility can be redrawn: until the next profile that is not known.
     */
    private void assertSameBorrower(BorrowerState restored, BorrowerState expected) {
        expected.exposure().lines.forEach(line -> line.redrawable = null);
        expected.stale |= Part.EXPOSURE.bit; // changed in place: computed again
        IndicatorValues read = new IndicatorValues();
        IndicatorValues original = new IndicatorValues();
        restored.indicators(read, settings);
        expected.indicators(original, settings);
        assertThat(read.sameValues(original)).as(read + " vs " + original).isTrue();
        assertThat(restored.episodes).extracting(e -> e.ruleId + " " + e.alertId + " " + e.severity + " " + e.startedAt)
                .containsExactlyElementsOf(expected.episodes.stream().map(e -> e.ruleId + " " + e.alertId + " " + e.severity + " " + e.startedAt).toList());
        // Event ids carry a test-run counter, so only their kinds and times are compared.
        assertThat(restored.recentEvents).extracting(r -> r.eventType() + "@" + r.eventTime())
                .containsExactlyElementsOf(expected.recentEvents.stream().map(r -> r.eventType() + "@" + r.eventTime()).toList());
        assertThat(restored.timerDay).isEqualTo(expected.timerDay);
        assertThat(restored.groupId).isEqualTo(expected.groupId);
        assertThat(restored.internalRating).isEqualTo(expected.internalRating);
    }

    @Test
    void copiesAreIndependent() {
        BorrowerState state = richState();
        BorrowerState copy = serializer.copy(state);

        copy.apply(wrap(inflow("B-1", 200, 1)), settings);

        assertThat(serialize(copy)).isNotEqualTo(serialize(state));
    }

    @Test
    void refusesStateOfAnUnknownNewerFormatInsteadOfMisreadingIt() {
        byte[] bytes = serialize(richState());
        bytes[0] = (byte) (BorrowerStateSerializer.FORMAT + 1);

        assertThatThrownBy(() -> serializer.deserialize(new DataInputDeserializer(bytes)))
                .isInstanceOf(IOException.class).hasMessageContaining("newer than this engine reads");
    }

    @Test
    void itsSnapshotRestoresACompatibleSerializer() throws IOException {
        TypeSerializerSnapshot<BorrowerState> snapshot = serializer.snapshotConfiguration();
        DataOutputSerializer out = new DataOutputSerializer(64);
        snapshot.writeSnapshot(out);
        TypeSerializerSnapshot<BorrowerState> read = new BorrowerStateSerializer.Snapshot();
        read.readSnapshot(snapshot.getCurrentVersion(), new DataInputDeserializer(out.getCopyOfBuffer()), getClass().getClassLoader());

        TypeSerializerSchemaCompatibility<BorrowerState> compatibility = serializer.snapshotConfiguration()
                .resolveSchemaCompatibility(read);
        assertThat(compatibility.isCompatibleAsIs()).isTrue();
    }

    private BorrowerState richState() {
        BorrowerState state = new BorrowerState();
        SpecificRecordBase[] events = {
                profile("B-1", "G-1", 0, 1_000_000, 600_000), valuation("B-1", "F-B-1", 1, 2_000_000, 2_500),
                inflow("B-1", 2, 50_000), outflow("B-1", 3, 20_000, "CP-1"), disbursement("B-1", 45, "F-B-1", 100_000),
                outflow("B-1", 46, 90_000, "CP-new"), inflow("B-1", 150, 10_000), scheduled("B-1", "F-B-1", "07", 140, 160, 30_000),
                statement("B-1", 100, date(89), 1_000, 700, 300, 350, 500, -20, -10),
                ratingChange("B-1", 120, "BBB", "BB"), Events.credit("B-1", 130, CreditEventKind.LAWSUIT)};
        for (SpecificRecordBase event : events) {
            state.apply(wrap(event), settings);
        }
        state.advanceClock(at(170).toEpochMilli());
        state.indicators(new IndicatorValues(), settings);
        state.episodes.add(new Episode("REPAY-ARREARS", "alert-1", Severity.HIGH, 2, at(161).toEpochMilli()));
        Episode burn = new Episode("CF-BURN", AlertIds.forBorrower("B-1", "CF-BURN", 7L), Severity.MEDIUM, 1, at(150).toEpochMilli());
        burn.checkedAt = at(170).toEpochMilli();
        burn.unknownSince(Indicator.OUTFLOW_TO_INFLOW_30D, at(160).toEpochMilli());
        burn.unknownSince(Indicator.OUTFLOW_TO_INFLOW_90D, Episode.NEVER);
        state.episodes.add(burn);
        state.timerDay = Days.of(at(171).toEpochMilli());
        return state;
    }

    @Test
    void readsACoreTheFormat11EngineWroteAsABorrowerNeverScored() throws IOException {
        // richState()'s core as the format-11 engine (commit cd11d44) wrote it, before the watch-list standing.
        BorrowerCoreSerializer core = new BorrowerCoreSerializer();
        BorrowerState restored = StateBytes.read(core, StateBytes.kept("borrower-core-format-11.hex"));

        BorrowerState original = richState();
        assertThat(restored.clock).isEqualTo(original.clock);
        assertThat(restored.episodes).extracting(e -> e.ruleId + " " + e.severity).containsExactly("REPAY-ARREARS HIGH", "CF-BURN MEDIUM");
        original.kept.clear(Part.REVIEWS.indicators); // the format-11 engine kept no reviews
        assertThat(restored.kept.sameValues(original.kept)).as(restored.kept + " vs " + original.kept).isTrue();
        assertThat(restored.watch.scored()).as("scored afresh at its next evaluation").isFalse();
        assertReviewScheduleStartsAtTheNextEvaluation(restored);
        byte[] again = StateBytes.of(core, restored);
        assertThat(again[0]).as("written again in the current format").isEqualTo((byte) BorrowerCoreSerializer.FORMAT);
        assertThat(StateBytes.of(core, StateBytes.read(core, again))).isEqualTo(again);
    }

    @Test
    void readsACoreTheFormat12EngineWroteWithItsWatchListStandingAndStartsItsReviewsAfresh() throws IOException {
        // richState()'s core, scored RED since day 150, as the format-12 engine (commit 7e267c7) wrote it, before reviews.
        BorrowerCoreSerializer core = new BorrowerCoreSerializer();
        BorrowerState restored = StateBytes.read(core, StateBytes.kept("borrower-core-format-12.hex"));

        BorrowerState original = richState();
        original.kept.clear(Part.REVIEWS.indicators);
        assertThat(restored.kept.sameValues(original.kept)).as(restored.kept + " vs " + original.kept).isTrue();
        assertThat(restored.episodes).extracting(e -> e.ruleId + " " + e.severity).containsExactly("REPAY-ARREARS HIGH", "CF-BURN MEDIUM");
        assertThat(restored.watch.grade).isEqualTo(dev.kestrel.events.WatchGrade.RED);
        assertThat(restored.watch.alertId).isEqualTo("watch-1");
        assertThat(restored.holdsUntil).as("each part's day as that engine kept it, reviews' and the project's none yet")
                .containsExactly(original.holdsUntil[0], original.holdsUntil[1], original.holdsUntil[2], original.holdsUntil[3],
                        original.holdsUntil[4], Days.NONE, Days.NONE);
        byte[] again = StateBytes.of(core, restored);
        assertThat(again[0]).as("written again in the current format").isEqualTo((byte) BorrowerCoreSerializer.FORMAT);

        assertThat(restored.stale & Part.REVIEWS.bit).as("reviews computed at the next evaluation").isNotZero();
        restored.advanceClock(at(171).toEpochMilli());
        restored.indicators(new IndicatorValues(), settings);
        assertThat(java.time.LocalDate.ofEpochDay(restored.reviewDueDay)).as("RED since day 150: monthly from day 171, when its schedule began")
                .isEqualTo(date(171).plusMonths(1));
    }

    @Test
    void readsACoreTheFormat13EngineWroteAsBeforeWithNoProjectToMeasure() throws IOException {
        // richState()'s core as the format-13 engine (commit 10aaad1) wrote it, before project finance.
        BorrowerCoreSerializer core = new BorrowerCoreSerializer();
        BorrowerState restored = StateBytes.read(core, StateBytes.kept("borrower-core-format-13.hex"));

        BorrowerState original = richState();
        assertThat(restored.kept.sameValues(original.kept)).as(restored.kept + " vs " + original.kept).isTrue();
        assertThat(restored.episodes).extracting(e -> e.ruleId + " " + e.severity).containsExactly("REPAY-ARREARS HIGH", "CF-BURN MEDIUM");
        assertThat(restored.reviewDueDay).isEqualTo(original.reviewDueDay);
        assertThat(restored.holdsUntil).as("each part's day as that engine kept it, the project's none")
                .containsExactly(original.holdsUntil[0], original.holdsUntil[1], original.holdsUntil[2], original.holdsUntil[3],
                        original.holdsUntil[4], original.holdsUntil[5], Days.NONE);
        assertThat(restored.hasProject()).isFalse();
        byte[] again = StateBytes.of(core, restored);
        assertThat(again[0]).as("written again in the current format").isEqualTo((byte) BorrowerCoreSerializer.FORMAT);
        assertThat(StateBytes.read(core, again).kept.sameValues(original.kept)).isTrue();
    }

    @Test
    void readsAProjectThePartFormat3EngineWroteWhichKeptNoAccounts() throws IOException {
        // A toll road with a revenue account, a half-yearly model and a covenant with a 6-month reserve, as the part
        // format 3 engine (commit ad0d40b) wrote it: it kept neither the revenue account nor the reserve.
        PartSerializer serializer = new PartSerializer(Part.PROJECT);
        ProjectFinance restored = (ProjectFinance) StateBytes.read(serializer, StateBytes.kept("project-part-format-3.hex")).value();

        assertThat(restored.projectId).isEqualTo("PRJ-B-1");
        assertThat(restored.forecastId).isEqualTo("FM-2025");
        assertThat(restored.periods).hasSize(2);
        assertThat(restored.covenants).singleElement().satisfies(c -> {
            assertThat(c.historicLockUp).isEqualTo(12_000);
            assertThat(c.llcrDefault).isEqualTo(11_000);
            assertThat(c.reserveAccountId).as("format 3 kept no reserve").isNull();
        });
        assertThat(restored.accounts.revenueAccountId).as("known again when the register sends the project again").isNull();
        assertThat(restored.accounts.reserves).isEmpty();

        // The register sends the project again, with the date of its version: it applies on the borrower's day 9.
        restored.record(dev.kestrel.events.Project.newBuilder(Events.project("B-1", 6, -550, -365)).setRevenueAccountId("REV-B-1").build(),
                Days.of(at(9).toEpochMilli()));
        KeptPart again = StateBytes.read(serializer, StateBytes.of(serializer, new KeptPart(at(9).toEpochMilli(), restored)));
        assertThat(((ProjectFinance) again.value()).accounts.revenueAccountId).as("written in format 4").isEqualTo("REV-B-1");
        assertThat(((ProjectFinance) again.value()).accounts.revenueNamedDay).as("watched from the day it applied, not its older date")
                .isEqualTo(Days.of(at(9).toEpochMilli()));
    }

    @Test
    void roundTripsAProjectsAccountsTheirReceiptsAndReserves() throws IOException {
        ProjectFinance project = new ProjectFinance();
        int today = Days.of(at(0).toEpochMilli());
        project.record(dev.kestrel.events.Project.newBuilder(Events.project("B-1", 0, -550, -365)).setRevenueAccountId("REV-B-1").build(), today);
        for (String account : new String[] {"DSRA-B-1", "DSRA-B-1-MEZZ"}) {
            project.record(dev.kestrel.events.FacilityCovenants.newBuilder(Events.covenants("B-1", 0, -365, 12_000, 10_500, 13_000, 11_000))
                    .setFacilityId("F-" + account).setDsra(dev.kestrel.events.ReserveRequirement.newBuilder().setAccountId(account).setMonths(6).build())
                    .build(), today);
        }
        Money money = Money.unconverted("CNY");
        for (int day : new int[] {3, 40, 41, 75}) {
            project.transaction(inflowTo("REV-B-1", day, 1_000 + day, null), money);
        }
        project.transaction(inflowTo("DSRA-B-1", 50, 500, 6_000_000L), money);
        PartSerializer serializer = new PartSerializer(Part.PROJECT);

        ProjectFinance read = (ProjectFinance) StateBytes.read(serializer, StateBytes.of(serializer, new KeptPart(at(80).toEpochMilli(), project))).value();

        assertThat(read.accounts.revenueByMonth).isEqualTo(project.accounts.revenueByMonth).hasSize(3);
        assertThat(read.accounts.revenueFromMonth).isEqualTo(project.accounts.revenueFromMonth);
        assertThat(read.accounts.revenueNamedDay).isEqualTo(today);
        assertThat(read.accounts.reserves).extracting(r -> r.accountId + " " + r.namedDay + " " + r.balanceKnown() + " " + r.balance + " " + r.eventId)
                .containsExactly("DSRA-B-1 " + today + " true 600000000 TX-DSRA-B-1-50", "DSRA-B-1-MEZZ " + today + " false 0 null");
        assertThat(read.covenants).extracting(c -> c.reserveAccountId + " " + c.reserveMonths + " " + c.reserveNamedDay)
                .containsExactly("DSRA-B-1 6 " + today, "DSRA-B-1-MEZZ 6 " + today);
    }

    private static dev.kestrel.events.TransactionEvent inflowTo(String account, int day, long yuan, Long balanceYuan) {
        return Events.transaction("B-1", day, Direction.CREDIT, yuan).setAccountId(account).setEventId("TX-" + account + "-" + day)
                .setBalanceAfterMinor(balanceYuan == null ? null : balanceYuan * 100).build();
    }

    /** A borrower kept before reviews starts its schedule the day it is next evaluated, as if monitoring began then. */
    private void assertReviewScheduleStartsAtTheNextEvaluation(BorrowerState restored) {
        assertThat(restored.stale & Part.REVIEWS.bit).as("reviews computed at the next evaluation").isNotZero();
        restored.advanceClock(at(171).toEpochMilli());
        IndicatorValues values = new IndicatorValues();
        restored.indicators(values, settings);
        assertThat(values.get(Indicator.REVIEW_OVERDUE_DAYS)).isZero();
        assertThat(java.time.LocalDate.ofEpochDay(restored.reviewDueDay)).isEqualTo(date(171).plusYears(1));
        assertThat(restored.changed & Part.REVIEWS.bit).as("the schedule's start is stored").isNotZero();
    }

    @Test
    void theWatchListStandingSurvivesTheCore() throws IOException {
        BorrowerCoreSerializer core = new BorrowerCoreSerializer();
        BorrowerState state = richState();
        state.watch.scorecardKey = 77;
        state.watch.score = 333;
        state.watch.grade = dev.kestrel.events.WatchGrade.RED;
        state.watch.segment = dev.kestrel.events.RiskSegment.RISK_WATCH;
        state.watch.gradeSince = at(150).toEpochMilli();
        state.watch.reviewDay = Days.of(at(240).toEpochMilli());
        state.watch.alertId = "watch-1";
        state.watch.alertStartedAt = at(120).toEpochMilli();
        state.watch.alertSeverity = Severity.HIGH;

        WatchStanding read = StateBytes.read(core, StateBytes.of(core, state)).watch;

        assertThat(read).usingRecursiveComparison().isEqualTo(state.watch);
    }

    private byte[] serialize(BorrowerState state) {
        return StateBytes.of(serializer, state);
    }
}
