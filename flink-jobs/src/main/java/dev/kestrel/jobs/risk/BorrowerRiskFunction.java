package dev.kestrel.jobs.risk;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.fx.FxInForce;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.fx.FxSettings;
import dev.kestrel.jobs.fx.RateWait;
import dev.kestrel.jobs.group.GroupEvent;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.RuleMetrics;
import dev.kestrel.jobs.rules.RulesInForce;
import dev.kestrel.jobs.rules.VersionReports;
import dev.kestrel.jobs.score.ScorecardBook;
import dev.kestrel.jobs.score.ScorecardsInForce;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The per-borrower heart of the engine. For each event it reads the borrower's core state (once per call, also when a
 * timer releases several events) and the parts of it the event touches ({@link BorrowerStore}), computes the
 * indicators before and after the event, evaluates the rules in force that can decide differently (those with an episode
 * open, and those reading an indicator that moved), emits the alert episode changes, scores the borrower ({@link BorrowerScoring}) and (when due)
 * a risk snapshot, and writes what changed. Rules arrive on the broadcast input and judge events from their publishedAt on; a timer at
 * the start of a day re-evaluates borrowers whose indicators move with time alone (days past due, reminders,
 * overdue statements). Live events of a borrower with no profile yet are held until its profile comes, for a bounded
 * wait of event time, and then refused as UNKNOWN_BORROWER (see {@link HeldEvents}). FX rates arrive on the broadcast
 * input too; a live event whose amounts need a rate not known for its day waits for one, with the borrower's later
 * live events behind it, and is refused as NO_FX_RATE when its wait ends (see {@link RateWait}).
 */
public final class BorrowerRiskFunction extends KeyedBroadcastProcessFunction<String, BorrowerEvent, Published, Alert> {

    /** Published rule versions, kept in broadcast state so they survive restarts. */
    public static final MapStateDescriptor<String, Rule> PUBLISHED_RULES = RulesInForce.PUBLISHED;
    /** Published scorecard versions, in broadcast state beside the rules. */
    public static final MapStateDescriptor<String, Scorecard> PUBLISHED_SCORECARDS = ScorecardsInForce.PUBLISHED;
    /** Published FX rates, per pair and day, in broadcast state beside the rules. */
    public static final MapStateDescriptor<String, FxRate> PUBLISHED_FX_RATES = FxInForce.PUBLISHED;
    /** Each change of a borrower's score or watch-list grade (BorrowerScoring). */
    public static final OutputTag<BorrowerScore> SCORES = new OutputTag<>("borrower-scores", TypeInformation.of(BorrowerScore.class));
    /** The engine's word on each instalment as it changes: the desk's ledger reads it (docs/events.md, InstalmentStatus). */
    public static final OutputTag<InstalmentStatus> INSTALMENTS =
            new OutputTag<>("instalments", TypeInformation.of(InstalmentStatus.class));
    public static final OutputTag<BorrowerRiskSnapshot> SNAPSHOTS =
            new OutputTag<>("borrower-snapshots", TypeInformation.of(BorrowerRiskSnapshot.class));
    /**
     * What the group and portfolio stages need to know of each borrower, when it changes, and the group limits passed
     * through: one stream, so that the group stage applies a limit and its members' changes in the order they came
     * here (two inputs would interleave differently from run to run, and a replay would not repeat itself).
     */
    public static final OutputTag<GroupEvent> GROUP_EVENTS = new OutputTag<>("group-events", TypeInformation.of(GroupEvent.class));
    /** Events refused after decoding: late for their borrower, of a borrower with no profile, or overflowing its sums. */
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("borrower-dead-letters", TypeInformation.of(DeadLetter.class));
    private static final Logger LOG = LoggerFactory.getLogger(BorrowerRiskFunction.class);

    private final RiskSettings settings;
    private final RuleFiles ruleFiles;
    private final Duration stateTtl;
    private final long snapshotPeriodMillis;
    private final long ageUntilMillis;
    private final Duration unknownBorrowerWait;
    private final FxSettings fx;

    private transient BorrowerStore borrowers;
    private transient HeldEvents held;
    private transient EventsAhead ahead;
    private transient RulesInForce rulesInForce;
    private transient ScorecardsInForce scorecardsInForce;
    private transient VersionReports versions;
    /** The scorecard's versions: read from broadcast state once, then kept up to date by each publication. */
    private transient ScorecardBook scorecards;
    private transient FxInForce fxInForce;
    private transient RateWait rateWait;
    private transient Counter heldForRate;
    private transient BorrowerSubject subject;
    private transient IndicatorValues before;
    private transient IndicatorValues after;
    private transient RuleMetrics metrics;
    private transient BorrowerOutputs outputs;
    private transient List<CompiledRule> digested;
    private transient long digest;
    private transient Counter deadLetters;
    private transient Counter redeliveries;

    /**
     * @param snapshotPeriod the period of event time with at most one snapshot of a borrower while what the desk sees
     *                       of it does not change ({@link RiskSnapshots})
     * @param ageUntilMillis in a bounded run, the event time up to which borrowers age once the input has ended
     *                       ({@code Long.MIN_VALUE}: not at all); see {@link #onTimer}
     * @param unknownBorrowerWait how long, in event time from the first of them, the live events of a borrower with no
     *                            profile are held for one
     */
    public BorrowerRiskFunction(RiskSettings settings, RuleFiles ruleFiles, Duration stateTtl, Duration snapshotPeriod,
                                long ageUntilMillis, Duration unknownBorrowerWait) {
        this(settings, ruleFiles, stateTtl, snapshotPeriod, ageUntilMillis, unknownBorrowerWait, FxSettings.defaults());
    }

    /** @param fx how amounts of several currencies are converted, and how long an event waits for a missing rate */
    public BorrowerRiskFunction(RiskSettings settings, RuleFiles ruleFiles, Duration stateTtl, Duration snapshotPeriod,
                                long ageUntilMillis, Duration unknownBorrowerWait, FxSettings fx) {
        this.fx = fx;
        this.settings = settings;
        this.ruleFiles = ruleFiles;
        this.ageUntilMillis = ageUntilMillis;
        this.unknownBorrowerWait = unknownBorrowerWait;
        this.stateTtl = stateTtl;
        this.snapshotPeriodMillis = snapshotPeriod.toMillis();
    }

    @Override
    public void open(OpenContext openContext) {
        borrowers = new BorrowerStore(getRuntimeContext(), stateTtl);
        held = new HeldEvents(getRuntimeContext(), unknownBorrowerWait);
        ahead = new EventsAhead(getRuntimeContext());
        rulesInForce = new RulesInForce(ruleFiles);
        scorecardsInForce = new ScorecardsInForce(ruleFiles);
        versions = new VersionReports(getRuntimeContext().getTaskInfo().getIndexOfThisSubtask());
        fxInForce = new FxInForce(fx);
        rateWait = new RateWait(getRuntimeContext(), fx.rateWait().toMillis());
        heldForRate = getRuntimeContext().getMetricGroup().counter("heldForFxRate");
        subject = new BorrowerSubject();
        before = new IndicatorValues();
        after = new IndicatorValues();
        metrics = new RuleMetrics(getRuntimeContext().getMetricGroup(), "alerts");
        redeliveries = getRuntimeContext().getMetricGroup().counter("redeliveriesIgnored");
        deadLetters = getRuntimeContext().getMetricGroup().counter("borrowerDeadLetters");
        outputs = new BorrowerOutputs();

    }

    @Override
    public void processElement(BorrowerEvent event, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        borrowers.forget(); // another key's borrower, or this one's as a previous call left it
        if (scorecards == null) {
            scorecards = scorecardsInForce.book(ctx.getBroadcastState(PUBLISHED_SCORECARDS));
        }
        if (versions.startPending()) {
            reportStart(ctx.getBroadcastState(PUBLISHED_RULES), ctx.getBroadcastState(PUBLISHED_SCORECARDS),
                    status -> ctx.output(VersionReports.RULE_VERSIONS, status));
        }
        if (event.groupLimit != null) {
            ctx.output(GROUP_EVENTS, GroupEvent.of(event.groupLimit)); // no borrower's state: see GROUP_EVENTS
            return;
        }
        accept(event, false, ctx, out);
    }

    /**
     * A borrower's event, as it came or as its day's wait ended ({@code released}): applied, held, left to wait for its
     * day, or refused.
     */
    private void accept(BorrowerEvent event, boolean released, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        BorrowerState state = read(ctx);
        if (!released && state != null && event.isLive() && behindItsStream(event, state, ctx)) {
            return;
        }
        boolean known = state != null && state.hasProfile();
        HeldEvents.Hold hold = !known && event.profile != null ? held.current() : null;
        if (hold != null) {
            // The wait for a profile has not ended (its timer would have refused them): the profile releases the held
            // events, whatever its own date; those of a day event time has not reached go on waiting for it.
            release(event, state, hold, ctx, out);
            return;
        }
        if (EventsAhead.mustWait(event, state == null ? Long.MIN_VALUE : state.clock(), ctx.currentWatermark())) {
            waitForItsDay(event, state == null ? fresh(ctx) : state, ctx);
            return;
        }
        if (!known && event.isLive()) {
            hold(event, state, ctx);
            return;
        }
        if (state == null) {
            state = fresh(ctx);
        }
        RuleBook rules = rulesInForce.book(ctx.getBroadcastState(PUBLISHED_RULES));
        if (rateWait.timer() != null) {
            state = releaseForRates(state, rules, ctx, out, Long.MIN_VALUE, false);
        }
        applyOrWait(event, state, rules, ctx, out);
    }

    /** The borrower's stored state, converting with the task's rates; null for a borrower never seen. */
    private BorrowerState read(ReadOnlyContext ctx) throws Exception {
        BorrowerState state = borrowers.current();
        if (state != null) {
            state.convertWith(fxInForce.table(ctx.getBroadcastState(PUBLISHED_FX_RATES)), fx.portfolioCurrency());
        }
        return state;
    }

    private BorrowerState fresh(ReadOnlyContext ctx) throws Exception {
        BorrowerState state = new BorrowerState();
        state.convertWith(fxInForce.table(ctx.getBroadcastState(PUBLISHED_FX_RATES)), fx.portfolioCurrency());
        return state;
    }

    /**
     * Applies a live event, unless it needs a rate not known for its day or earlier events wait for one: then it
     * waits too, behind them, so that the borrower's events keep their order. Master data applies at once.
     */
    private BorrowerState applyOrWait(BorrowerEvent event, BorrowerState state, RuleBook rules, ReadOnlyContext ctx,
            Collector<Alert> out) throws Exception {
        if (event.isLive()) {
            boolean queue = rateWait.timer() != null;
            String missing = queue ? null : BorrowerMoney.missingRate(event, state, fxInForce.table(ctx.getBroadcastState(PUBLISHED_FX_RATES)),
                    settings);
            if (queue || missing != null) {
                List<BorrowerEvent> waiting = queue ? rateWait.inOrder() : List.of();
                if (waiting.size() >= RateWait.MAX_PER_BORROWER) {
                    refuse(event, DeadLetterReason.NO_FX_RATE, String.format(Locale.ROOT, "%,d", RateWait.MAX_PER_BORROWER)
                            + " events of borrower " + event.borrowerId + " already wait for an FX rate, the most held per "
                            + "borrower: this one is refused at once; send the day's FxRate before its events", ctx);
                } else {
                    rateWait.add(event, ctx.timerService());
                    heldForRate.inc();
                }
                return state;
            }
        }
        return applyAndStore(event, state, rules, ctx, out);
    }

    /**
     * Applies the events waiting for a rate, in the order they happened, as far as their rates are now known; one whose
     * wait ended by {@code now} (event time) with no rate is refused as NO_FX_RATE, and the next ones go on. The rest
     * wait on. Called at the borrower's next event and timer: a rate arriving on the broadcast input does not reach
     * into every borrower's state, so a waiting event applies, as of its own time, at the latest when its wait ends.
     */
    private BorrowerState releaseForRates(BorrowerState stored, RuleBook rules, ReadOnlyContext ctx, Collector<Alert> out, long now,
            boolean timerFired) throws Exception {
        FxRates rates = fxInForce.table(ctx.getBroadcastState(PUBLISHED_FX_RATES));
        List<BorrowerEvent> waiting = rateWait.inOrder();
        BorrowerState state = stored;
        int next = 0;
        for (; next < waiting.size(); next++) {
            BorrowerEvent event = waiting.get(next);
            String missing = BorrowerMoney.missingRate(event, state, rates, settings);
            if (missing != null) {
                if (rateWait.until(event) > now) {
                    break;
                }
                refuse(event, DeadLetterReason.NO_FX_RATE, missing + "; the event was held " + span(fx.rateWait().toMillis())
                        + " of event time for one (to " + Instant.ofEpochMilli(rateWait.until(event)) + "; fx.rate-wait); send the "
                        + "day's FxRate before or with its events", ctx);
                continue;
            }
            state = applyAndStore(event, state, rules, ctx, out);
        }
        List<BorrowerEvent> still = List.copyOf(waiting.subList(next, waiting.size()));
        Long timer = rateWait.timer();
        rateWait.keep(still, still.isEmpty() ? null : still.get(0), ctx.timerService(),
                timerFired || (timer != null && timerInUse(state, timer)));
        return state;
    }

    /**
     * Whether a live event came after an event of its own stream dated on a later day, which waits for its day: it is
     * behind its stream, and refused as LATE as it would be had that event been applied already. So the verdict does
     * not hang on how far event time had got when the earlier one came, and a replay repeats itself.
     */
    private boolean behindItsStream(BorrowerEvent event, BorrowerState state, ReadOnlyContext ctx) {
        int waitingDay = state.waiting.isEmpty() ? Days.NONE : state.latestWaitingDay(stream(event));
        if (waitingDay == Days.NONE || Days.of(event.eventTimeMillis) >= waitingDay) {
            return false;
        }
        refuse(event, DeadLetterReason.LATE, "eventTime " + Instant.ofEpochMilli(event.eventTimeMillis) + " is on a day before "
                + java.time.LocalDate.ofEpochDay(waitingDay) + ", the day of an event of borrower " + event.borrowerId
                + " that came before it on the same topic and partition: a feed sends a borrower's events in the order "
                + "they happened; a back-valued event must be sent as a correction dated today (docs/events.md)", ctx);
        return true;
    }

    /** The input stream an event came on: its topic and partition, which keep a borrower's events in order. */
    private static String stream(BorrowerEvent event) {
        return (event.sourceTopic == null ? "" : event.sourceTopic) + "#" + event.partition;
    }

    /** Leaves an event to wait until event time passes its day's start, and marks its stream's latest waiting day. */
    private void waitForItsDay(BorrowerEvent event, BorrowerState state, ReadOnlyContext ctx) throws Exception {
        ahead.add(event, ctx.timerService());
        if (state.waits(stream(event), Days.of(event.eventTimeMillis))) { // the stream's mark moved: keep it
            borrowers.store(state, ctx.timerService().currentProcessingTime());
        }
    }

    private void store(BorrowerState state, ReadOnlyContext ctx) throws Exception {
        schedule(state, ctx);
        borrowers.store(state, ctx.timerService().currentProcessingTime());
    }

    /**
     * Holds a live event of a borrower with no profile: master data may lag the event feeds, and applied now the event
     * would be judged against no facilities, industry or region. Beyond {@link HeldEvents#MAX_PER_BORROWER} events the
     * rest are refused at once.
     */
    private void hold(BorrowerEvent event, BorrowerState state, ReadOnlyContext ctx) throws Exception {
        HeldEvents.Hold hold = held.current();
        if (hold != null && hold.events >= HeldEvents.MAX_PER_BORROWER) {
            refuse(event, DeadLetterReason.UNKNOWN_BORROWER, "borrower " + event.borrowerId + " has no BorrowerProfile, and "
                    + String.format(Locale.ROOT, "%,d", HeldEvents.MAX_PER_BORROWER) + " of its events already wait for one since "
                    + Instant.ofEpochMilli(hold.since) + ", the most held per borrower: this one is refused at once; "
                    + "send the borrower's master data before its events", ctx);
            return;
        }
        held.add(event, hold, ctx.timerService());
    }

    /**
     * The profile of a borrower whose live events are held: the profile applies first, then the held events in the
     * order they happened, each judged as if it had come after the profile. A profile dated after the first held
     * event applies as of that event's time: applied at its own, it would move the borrower's clock past the held
     * events and make them LATE. If the profile itself is refused, the events wait on.
     */
    private void release(BorrowerEvent profile, BorrowerState stored, HeldEvents.Hold hold, ReadOnlyContext ctx,
                         Collector<Alert> out) throws Exception {
        List<BorrowerEvent> waiting = held.inOrder();
        BorrowerState state = stored == null ? fresh(ctx) : stored;
        RuleBook rules = rulesInForce.book(ctx.getBroadcastState(PUBLISHED_RULES));
        BorrowerEvent asOf = profile;
        if (!waiting.isEmpty() && waiting.get(0).eventTimeMillis < profile.eventTimeMillis) {
            asOf = BorrowerEvent.of(profile.profile).from(profile.sourceTopic, profile.partition, profile.offset);
            asOf.eventTimeMillis = waiting.get(0).eventTimeMillis;
        }
        if (!applyOne(asOf, state, rules, ctx, out)) {
            return;
        }
        store(state, ctx);
        held.clear(hold, ctx.timerService(), timerInUse(state, hold.until));
        // Applied early, the profile is applied again at its own time: its drawn amounts already count the drawings
        // and repayments dated before it, which would otherwise count twice.
        boolean again = asOf != profile;
        for (BorrowerEvent event : waiting) {
            if (again && event.eventTimeMillis >= profile.eventTimeMillis) {
                state = applyAndStore(profile, state, rules, ctx, out);
                again = false;
            }
            state = applyOrWait(event, state, rules, ctx, out);
        }
        if (again) {
            applyAndStore(profile, state, rules, ctx, out);
        }
    }

    /** Applies an event released from a hold, unless its day has not come yet: then it waits for it (EventsAhead). */
    private BorrowerState applyAndStore(BorrowerEvent event, BorrowerState state, RuleBook rules, ReadOnlyContext ctx,
            Collector<Alert> out) throws Exception {
        if (EventsAhead.mustWait(event, state.clock(), ctx.currentWatermark())) {
            waitForItsDay(event, state, ctx);
            return state;
        }
        if (applyOne(event, state, rules, ctx, out)) {
            store(state, ctx);
            return state;
        }
        borrowers.forget(); // refused: an overflow may have changed the state half-way; take what was stored
        return read(ctx);
    }

    /**
     * Ends a borrower's wait for its profile: every held event is refused as UNKNOWN_BORROWER, with the borrower and
     * how long its events waited. {@code timerFired}: called from the wait's own timer.
     */
    private void expire(HeldEvents.Hold hold, BorrowerState state, ReadOnlyContext ctx, boolean timerFired) throws Exception {
        List<BorrowerEvent> waiting = held.inOrder();
        held.clear(hold, ctx.timerService(), timerFired || timerInUse(state, hold.until));
        for (BorrowerEvent event : waiting) {
            refuse(event, DeadLetterReason.UNKNOWN_BORROWER, "borrower " + event.borrowerId + " is unknown: no BorrowerProfile "
                    + "arrived in the " + span(hold.until - hold.since) + " of event time its events were held (from "
                    + Instant.ofEpochMilli(hold.since) + ", its first held event, to " + Instant.ofEpochMilli(hold.until)
                    + "; events.unknown-borrower-wait); send the borrower's master data before its events", ctx);
        }
    }

    /** Whether the borrower's day timer is set for {@code time}. */
    private static boolean isDayTimer(BorrowerState state, long time) {
        return state != null && state.timerDay != Days.NONE && Days.start(state.timerDay) == time;
    }

    /** Whether a timer at {@code time} serves the borrower's day or events waiting for their day (Flink keeps one). */
    private boolean timerInUse(BorrowerState state, long time) throws Exception {
        return isDayTimer(state, time) || ahead.releaseAt(time);
    }

    /** A span of event time as the configuration writes it: 1d, 36h, 90m, 45s or 1500ms. */
    static String span(long millis) {
        Duration span = Duration.ofMillis(millis);
        if (millis % Days.MILLIS_PER_DAY == 0) {
            return span.toDays() + "d";
        }
        if (millis % 3_600_000L == 0) {
            return span.toHours() + "h";
        }
        if (millis % 60_000L == 0) {
            return span.toMinutes() + "m";
        }
        return millis % 1_000L == 0 ? span.toSeconds() + "s" : millis + "ms";
    }

    /**
     * Applies one event to the borrower and emits what it changed, or refuses it; says whether the state changed.
     * A redelivery is skipped. A live event on a day the borrower has already evaluated is LATE: applying it now would
     * contradict the alerts of the days after it. An event whose sums would overflow is refused whole: nothing it
     * caused is emitted, and the state, read afresh from RocksDB for every event, is not written.
     */
    private boolean applyOne(BorrowerEvent event, BorrowerState state, RuleBook rules, ReadOnlyContext ctx, Collector<Alert> out) {
        if (event.isLive() && state.alreadyApplied(event.eventId())) {
            redeliveries.inc(); // applied once already: idempotent, and counted so a redelivering producer shows
            return false;
        }
        if (event.isLive() && state.clock() != Long.MIN_VALUE && Days.of(event.eventTimeMillis) < Days.of(state.clock())) {
            refuse(event, DeadLetterReason.LATE, "eventTime " + Instant.ofEpochMilli(event.eventTimeMillis) + " is on a day borrower "
                    + event.borrowerId + " has already evaluated: its clock is at " + Instant.ofEpochMilli(state.clock())
                    + "; a back-valued event must be sent as a correction dated today (docs/events.md)", ctx);
            return false;
        }
        String unfit = state.projectRefusal(event);
        if (unfit != null) {
            refuse(event, DeadLetterReason.INVALID, unfit, ctx);
            return false;
        }
        outputs.clear();
        state.instalmentsTold.clear();
        try {
            ageThroughDaysBefore(event, state, rules);
            state.advanceClock(event.eventTimeMillis);
            state.indicators(before, settings);
            state.apply(event, settings);
            state.indicators(after, settings);
            evaluate(event.borrowerId, state, rules, before);
        } catch (ArithmeticException overflow) {
            outputs.clear();
            refuse(event, DeadLetterReason.INVALID, "applying it would overflow borrower " + event.borrowerId
                    + "'s running sums (" + overflow.getMessage() + "); amounts this large cannot be right", ctx);
            return false;
        } catch (FxRates.MissingRate missing) { // checked before applying (BorrowerMoney.missingRate); a guard, not a path
            outputs.clear();
            refuse(event, DeadLetterReason.NO_FX_RATE, missing.getMessage(), ctx);
            return false;
        }
        outputs.emit(out, metrics, ctx::output);
        return true;
    }

    private void refuse(BorrowerEvent event, DeadLetterReason reason, String why, ReadOnlyContext ctx) {
        deadLetters.inc();
        ctx.output(DEAD_LETTERS, event.refuse(reason, why));
    }

    /**
     * Evaluates the day boundaries the borrower passed since its last event, before applying a later event: a day
     * timer fires only when the watermark passes it, which can be after this event arrives, and a default that began
     * on Saturday must carry Saturday's date, not that of Monday's receipt. The timer, when it fires, finds the days
     * done (see {@link #schedule}).
     */
    private void ageThroughDaysBefore(BorrowerEvent event, BorrowerState state, RuleBook rules) {
        int eventDay = Days.of(event.eventTimeMillis);
        int due = state.nextEvaluationDay(settings);
        while (due != Days.NONE && due <= eventDay && Days.start(due) > state.clock()) {
            ageTo(Days.start(due), event.borrowerId, state, rules);
            due = state.nextEvaluationDay(settings);
        }
    }

    /**
     * Evaluates, one after the other, the days after the borrower's clock and before {@code day} whose start moves its
     * cash-flow windows: the timer fires only every few days of silence ({@link BorrowerState#nextTimerDay}), and an
     * inflow that stopped must be alerted on the day its drop crossed, not the day the timer fired.
     */
    private void ageThroughSilentDays(int day, String borrowerId, BorrowerState state, RuleBook rules) {
        for (int next = Days.of(state.clock()) + 1; next < day; next++) {
            if (state.cashMovesWithTime(next)) {
                ageTo(Days.start(next), borrowerId, state, rules);
            }
        }
    }

    /** Moves the borrower's clock to {@code time} with no new event, and evaluates what the passing of time changed. */
    private void ageTo(long time, String borrowerId, BorrowerState state, RuleBook rules) {
        state.indicators(before, settings);
        state.advanceClock(time);
        state.indicators(after, settings);
        evaluate(borrowerId, state, rules, before);
    }

    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        borrowers.forget();
        if (scorecards == null) {
            scorecards = scorecardsInForce.book(ctx.getBroadcastState(PUBLISHED_SCORECARDS));
        }
        boolean releasing = EventsAhead.isReleaseTime(timestamp);
        if (releasing) {
            // Event time has passed the day's start: its waiting events apply in the order they happened.
            for (BorrowerEvent event : ahead.release(timestamp)) {
                accept(event, true, ctx, out);
            }
        }
        BorrowerState state = read(ctx);
        if (releasing && state != null && state.releasedThrough(Days.of(timestamp))) {
            borrowers.store(state, ctx.timerService().currentProcessingTime()); // the released streams' marks go
        }
        if (state == null || !state.hasProfile()) {
            HeldEvents.Hold hold = held.current();
            if (hold != null && hold.until == timestamp) {
                // The wait ended, also when a bounded input ends: the end of time passes every wait, so a replay
                // refuses what no profile came for, whatever ageUntil says.
                expire(hold, state, ctx, true);
            }
        }
        if (state == null) {
            return; // expired by TTL: nothing to evaluate, nothing to reschedule
        }
        boolean dayTimer = isDayTimer(state, timestamp);
        Long rateTimer = rateWait.timer();
        if (rateTimer != null) {
            // Events waiting for a rate apply first, each ageing the borrower up to its own day. While some still
            // wait, the borrower does not age past them: they would be late on release. Their release ages it.
            state = releaseForRates(state, rulesInForce.book(ctx.getBroadcastState(PUBLISHED_RULES)), ctx, out, timestamp,
                    rateTimer == timestamp);
            if (rateWait.timer() != null) {
                if (dayTimer) {
                    state.timerDay = Days.NONE; // fired: the next store schedules the day again
                    borrowers.store(state, ctx.timerService().currentProcessingTime());
                }
                return;
            }
        }
        if (!dayTimer) {
            if (rateTimer != null && state.timerDay == Days.NONE) {
                // The wait ended with nothing applied (every event refused), after a day timer that fired during it
                // had to leave the days unaged: the timer is owed again, or a silent borrower would never age.
                store(state, ctx);
            }
            return; // not the day timer: nothing to age
        }
        // The input ended (a bounded replay) and the day lies beyond the time the run covers: it never happened.
        // Days up to ageUntil do age, whether the watermark passed them before the end or only at the end, so a
        // replay ages every borrower alike however its timing falls.
        boolean beyondTheRun = ctx.timerService().currentWatermark() == Long.MAX_VALUE && timestamp > ageUntilMillis;
        if (beyondTheRun && ageUntilMillis <= state.clock()) {
            return;
        }
        RuleBook rules = rulesInForce.book(ctx.getBroadcastState(PUBLISHED_RULES));
        state.timerDay = Days.NONE;
        outputs.clear();
        state.instalmentsTold.clear();
        try {
            if (beyondTheRun) { // the silent days up to the end of the run still count, down to its last day's start
                ageThroughSilentDays(Days.of(ageUntilMillis) + 1, ctx.getCurrentKey(), state, rules);
            } else {
                ageThroughSilentDays(Days.of(timestamp), ctx.getCurrentKey(), state, rules);
                ageTo(timestamp, ctx.getCurrentKey(), state, rules);
            }
        } catch (ArithmeticException overflow) {
            // No event to refuse: the borrower's next event meets the same sums and is refused with the reason.
            LOG.warn("borrower {}: ageing to {} overflows its running sums: {}", ctx.getCurrentKey(), Instant.ofEpochMilli(timestamp),
                    overflow.getMessage());
            return;
        }
        outputs.emit(out, metrics, ctx::output);
        if (!beyondTheRun) { // at the end of a run a timer would fire at once, beyond it again, for ever
            schedule(state, ctx);
        }
        borrowers.store(state, ctx.timerService().currentProcessingTime());
    }

    @Override
    public void processBroadcastElement(Published published, Context ctx, Collector<Alert> out) throws Exception {
        java.util.function.Consumer<RuleVersionStatus> reports = report -> ctx.output(VersionReports.RULE_VERSIONS, report);
        if (versions.startPending()) {
            // Before a publication changes the books, so that the start reports what the task began with.
            reportStart(ctx.getBroadcastState(PUBLISHED_RULES), ctx.getBroadcastState(PUBLISHED_SCORECARDS), reports);
        }
        if (published.rule != null) {
            RuleVersionStatus status = rulesInForce.publish(published.rule, ctx.getBroadcastState(PUBLISHED_RULES));
            metrics.published(status);
            versions.report(status, reports);
        } else if (published.scorecard != null) {
            versions.report(scorecardsInForce.publish(published.scorecard, ctx.getBroadcastState(PUBLISHED_SCORECARDS)), reports);
            scorecards = scorecardsInForce.book(ctx.getBroadcastState(PUBLISHED_SCORECARDS));
        } else if (published.fxRate != null) {
            fxInForce.publish(published.fxRate, ctx.getBroadcastState(PUBLISHED_FX_RATES));
        }
    }

    private void reportStart(ReadOnlyBroadcastState<String, Rule> rules, ReadOnlyBroadcastState<String, Scorecard> cards,
                             java.util.function.Consumer<RuleVersionStatus> out) throws Exception {
        List<RuleVersionStatus> reports = new java.util.ArrayList<>(rulesInForce.startReport(rules));
        reports.addAll(scorecardsInForce.startReport(cards));
        versions.start(reports, out);
    }

    private void evaluate(String borrowerId, BorrowerState state, RuleBook rules, IndicatorValues previous) {
        long detectedAt = System.currentTimeMillis();
        List<CompiledRule> inForce = rules.rules(AlertScope.BORROWER, state.clock());
        if (inForce != digested) { // one list per rule book and period: its digest once
            digested = inForce;
            digest = CompiledRule.digest(inForce);
        }
        // Only the rules whose indicators moved since the borrower was last evaluated against the same rules, and those
        // with an episode open; a rule published or changed since reads every borrower again.
        long moved = state.movedSinceRulesRead(digest);
        int alertsFrom = outputs.alerts.size();
        AlertEpisodes.evaluate(subject.of(borrowerId, state), inForce, moved, previous, after, detectedAt, outputs.alerts::add);
        state.rulesRead(digest);
        // The score reads the alerts the rules just raised; the snapshot and the group read the score's segment.
        int scoresFrom = outputs.scores.size();
        BorrowerScoring.evaluate(borrowerId, state, after, inForce, scorecards.inForce(state.clock), settings.internalRatingScale(),
                moved, outputs.alerts, alertsFrom,
                detectedAt, outputs.scores);
        if (RiskSnapshots.due(state, previous, after, snapshotPeriodMillis, settings.internalRatingScale())) {
            outputs.snapshots.add(RiskSnapshots.of(borrowerId, state, after, settings.internalRatingScale()));
        }
        MemberStatuses.announce(borrowerId, state, after, outputs.scores.size() > scoresFrom,
                status -> outputs.groupEvents.add(GroupEvent.of(status)));
        for (Repayments.Told told : state.instalmentsTold) {
            outputs.instalments.add(told.status(borrowerId));
        }
        state.instalmentsTold.clear();
    }

    /** Keeps exactly one timer per borrower: at the start of the next day it must be evaluated, if any. */
    private void schedule(BorrowerState state, ReadOnlyContext ctx) {
        int next = state.nextTimerDay(settings);
        if (next == state.timerDay) {
            return;
        }
        if (state.timerDay != Days.NONE) {
            ctx.timerService().deleteEventTimeTimer(Days.start(state.timerDay));
        }
        if (next != Days.NONE) {
            ctx.timerService().registerEventTimeTimer(Days.start(next));
        }
        state.timerDay = next;
    }
}
