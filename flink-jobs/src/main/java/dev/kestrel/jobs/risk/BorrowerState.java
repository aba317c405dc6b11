package dev.kestrel.jobs.risk;

import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.contract.Indicator;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.Severity;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the engine remembers about one borrower. What every event needs (its clock, profile, open episodes, the
 * ids of the events applied, and the last value of every indicator) is read and written with each event; the parts
 * that keep the facts behind the indicators ({@link Part}: account flows, facilities and collateral, instalments,
 * statements, bureau reports) are read only when an event touches them or their indicators have to be computed
 * again, and written only when they changed (see {@link BorrowerStore}).
 *
 * <p>{@link #indicators} computes again only the parts whose indicators can have moved since the last evaluation:
 * those the event changed, those whose values move with the day once the day has moved (the days past due, the
 * 30-day windows, the statement due date, the bureau's windows: each part says until which day its values hold),
 * and those that read another part that changed (an instalment falling due reads the account's means; arrears read
 * the drawn exposure for materiality). Values computed from amounts in several currencies hold for no longer than one
 * evaluation, since a rate may arrive for the day. The result is exactly that of computing every part each time.
 */
public final class BorrowerState {
    String groupId;
    String industry;
    String region;
    String internalRating;
    CustomerSegment segment;
    String currency;
    /** The latest event time or timer time seen: the borrower's "now". Never moves back. */
    long clock = Long.MIN_VALUE;
    /** Whether a BorrowerProfile has been applied (the time of the latest is in the exposure part). */
    boolean profiled;
    final List<Episode> episodes = new ArrayList<>();
    final List<EventRef> recentEvents = new ArrayList<>();
    /** The day whose start the pending event-time timer is set for, or NONE. */
    int timerDay = Days.NONE;
    long snapshotAt = Long.MIN_VALUE;
    long snapshotKey;
    /** Indicators moved after the last snapshot, within its period: the next evaluation of a later period writes one. */
    boolean snapshotOwed;
    /**
     * Hashes of the ids of the last {@link #APPLIED_WINDOW} live events applied, oldest first: a producer that
     * redelivers (any at-least-once producer does, after a retry or a restart) must not count a receipt or a lawsuit
     * twice. Bounded per borrower so that state stays small; see docs/events.md for the window.
     */
    final long[] appliedEventIds = new long[APPLIED_WINDOW];
    int appliedCount;
    /** How many of a borrower's latest live events are remembered to recognise a redelivery. */
    public static final int APPLIED_WINDOW = 32;
    /**
     * For each input stream (topic and partition) that has events of this borrower waiting for their day
     * ({@link EventsAhead}), the latest such day. A stream delivers a borrower's events in the order they happened, so
     * an event it delivers afterwards dated on an earlier day is behind its own stream, and late, whether or not the
     * one before it has been applied yet. Empty except while events wait (the first hour or so of a day).
     */
    final List<WaitingStream> waiting = new ArrayList<>(0);

    /** A stream with events waiting, and the latest day among them. */
    static final class WaitingStream {
        final String stream;
        int day;

        WaitingStream(String stream, int day) {
            this.stream = stream;
            this.day = day;
        }
    }

    /** Its score and place on the watch list (BorrowerScoring). */
    final WatchStanding watch = new WatchStanding();
    /**
     * The latest review's day and the next review's due day, as the reviews part last computed them; kept in the core so
     * that a snapshot reads neither the part nor the schedule. NONE before a review, and before the profile.
     */
    int lastReviewDay = Days.NONE;
    int reviewDueDay = Days.NONE;

    /** The group the group stage last heard this borrower belongs to, and a digest of what it heard (see MemberStatuses). */
    String memberGroupId;
    long memberKey;
    /**
     * The currencies of the borrower's facilities, and of its open instalments, which an event's rates must convert
     * ({@link BorrowerMoney#missingRate}); kept beside the clock so that checking them reads neither part.
     */
    final List<String> lineCurrencies = new ArrayList<>(1);
    final List<String> instalmentCurrencies = new ArrayList<>(1);

    // The parts, each read on first use; see Part and BorrowerStore.
    private final Object[] parts = new Object[Part.ALL.length];
    /** Reads a part the store holds; null: a borrower not read from a store, whose parts start empty. */
    private PartReader reader;
    /** The parts the store holds for this borrower (a part never written is empty, and not read). */
    int stored;
    /** The parts changed since they were last written. */
    int changed;
    /** The parts whose indicators must be computed again at the next evaluation. */
    int stale = Part.EVERY;
    /** The processing day the parts were last all written, so that none expires before the rest (BorrowerStore). */
    int partsRewrittenDay = Days.NONE;
    /** Set when read from the state layout before the split, so that the store writes every part and drops the old value. */
    boolean fromSingleValue;

    // The indicators of the last evaluation, and until when each part's hold.
    final IndicatorValues kept = new IndicatorValues();
    /** The day of the last evaluation, or NONE before the first. */
    int evaluatedDay = Days.NONE;
    /** Per part: the first day whose start moves its indicators with no event, or NONE. */
    final int[] holdsUntil = new int[Part.ALL.length];
    /** Per part: its last computation converted amounts, so holds only for the evaluation (a rate may yet come). */
    int converts;
    /** What instalments can be paid from (the larger of balance and last 30 days' inflow), as last computed. */
    long means;
    /** Whether the bank feeds the borrower's accounts (a transaction was seen), as last computed. */
    boolean meansKnown;
    /** Whether money was in the cash-flow windows at the last evaluation: then they move with each day. */
    boolean cashMoves;
    /** Whether an instalment fell due within the reminder horizon at the last evaluation: then the means matter. */
    boolean instalmentDueSoon;
    /**
     * The indicators whose value or presence moved since the rules last read them: a rule that reads none of them, with
     * no episode open, decides as it did, and is not evaluated again (see BorrowerRiskFunction#evaluate).
     */
    long unevaluated = -1L;
    /** What the engine tells of instalments since the last evaluation (Repayments.Told): sent with it, never kept. */
    final List<Repayments.Told> instalmentsTold = new ArrayList<>(0);
    /** A digest of the rules (ids and versions) the borrower was last evaluated against; 0 before the first. */
    long rulesEvaluated;
    /** One part's indicators as they are computed, before they are taken; not kept. */
    private IndicatorValues scratch;
    /** The drawn amounts and limits of every line in the borrower's currency, as last computed. */
    long drawnTotal;
    long limitTotal;

    /** The rates the borrower's amounts are converted with, and the currency of a borrower without facilities; set by the operator, not kept. */
    private FxRates fx;
    private String portfolioCurrency;
    /** The settings of the last evaluation in this task, for the words of its classification; not kept. */
    private RiskSettings evaluatedWith;

    /** Reads one part of a borrower from where it is kept. */
    interface PartReader {
        Object read(Part part);
    }

    /** A borrower the engine has not seen yet. */
    public BorrowerState() {
        java.util.Arrays.fill(holdsUntil, Days.NONE);
    }

    /** A borrower whose parts, when first used, are read with {@code reader} if the store holds them. */
    void readPartsWith(PartReader reader) {
        this.reader = reader;
    }

    /** Takes a part read back, or made, for a borrower whose state was kept as one value (format 10 and before). */
    void setPart(Part part, Object value) {
        parts[part.ordinal()] = value;
    }

    private Object part(Part part) {
        Object value = parts[part.ordinal()];
        if (value == null) {
            value = reader != null && (stored & part.bit) != 0 ? reader.read(part) : null;
            if (value == null) {
                value = part.empty();
            }
            parts[part.ordinal()] = value;
        }
        return value;
    }

    /** Whether the part is in memory (read or made), so that writing it costs no read. */
    boolean isLoaded(Part part) {
        return parts[part.ordinal()] != null;
    }

    /** The part as it is in memory, reading it if needed; for the store. */
    Object partForWriting(Part part) {
        return part(part);
    }

    CashFlow cash() {
        return (CashFlow) part(Part.CASH);
    }

    Exposure exposure() {
        return (Exposure) part(Part.EXPOSURE);
    }

    ProjectFinance project() {
        return (ProjectFinance) part(Part.PROJECT);
    }

    /** Whether the borrower is a project company with a project kept: asks without reading any part. */
    boolean hasProject() {
        ProjectFinance project = (ProjectFinance) parts[Part.PROJECT.ordinal()];
        return project != null ? project.known() || !project.milestones.isEmpty() || project.forecastId != null
                || !project.covenants.isEmpty() : (stored & Part.PROJECT.bit) != 0;
    }

    /** Why a project record cannot be taken for this borrower (it names another project than its own), or null. */
    public String projectRefusal(BorrowerEvent event) {
        return event.project == null ? null : project().refusal(event.project, event.borrowerId);
    }

    /**
     * Whether a facility's limit, drawn amount or collateral, or a project's model or receipts, changed since this was
     * last asked; asks without reading a part.
     */
    boolean takeFacilityFiguresMoved() {
        Exposure exposure = (Exposure) parts[Part.EXPOSURE.ordinal()];
        ProjectFinance project = (ProjectFinance) parts[Part.PROJECT.ordinal()];
        boolean moved = (exposure != null && exposure.figuresMoved) || (project != null && project.figuresMoved);
        if (exposure != null) {
            exposure.figuresMoved = false;
        }
        if (project != null) {
            project.figuresMoved = false;
        }
        return moved;
    }

    Repayments repayments() {
        return (Repayments) part(Part.REPAYMENTS);
    }

    Financials financials() {
        return (Financials) part(Part.FINANCIALS);
    }

    Bureau bureau() {
        return (Bureau) part(Part.BUREAU);
    }

    Reviews reviews() {
        return (Reviews) part(Part.REVIEWS);
    }

    /**
     * The watch grade moved (or was first given) at the borrower's clock: the next review's due day follows it at once.
     * Today's overdue days stay as they are, since a move brings the day forward to a period after today at the
     * earliest; the timer and the snapshot take the new day.
     */
    void gradeMoved() {
        if (evaluatedWith == null) {
            return; // scored before any evaluation cannot happen; the first evaluation starts the schedule
        }
        Reviews reviews = reviews();
        int today = Days.of(clock);
        if (reviews.follow(watch, today, evaluatedWith.reviewSchedule())) {
            changed |= Part.REVIEWS.bit;
            reviewDueDay = reviews.dueDay;
            holdsUntil[Part.REVIEWS.ordinal()] = reviews.nextEvaluationDay(today);
        }
    }

    /** The part changed: it must be written, and its indicators computed again. */
    private void touched(Part part) {
        changed |= part.bit;
        stale |= part.bit;
    }

    /**
     * Converts the borrower's amounts with these rates from now on (null: takes amounts as they are, one currency);
     * {@code portfolioCurrency} is the borrower's currency while its profile lists no facility.
     */
    public void convertWith(FxRates rates, String defaultCurrency) {
        this.fx = rates;
        this.portfolioCurrency = defaultCurrency;
    }

    /** The currency the borrower's sums are in: its first facility's, else {@code portfolio.currency}. */
    String borrowerCurrency() {
        return currency != null ? currency : portfolioCurrency;
    }

    /** The borrower's amounts as they convert on {@code day}; {@code settings} null: no materiality test to serve. */
    Money money(int day, RiskSettings settings) {
        if (fx == null) {
            return Money.unconverted(currency);
        }
        String own = borrowerCurrency();
        return new Money(fx, own, settings != null && settings.active(Regime.EU) ? Money.EURO : own, day);
    }

    /** Folds one valid event into the state. */
    public void apply(BorrowerEvent event, RiskSettings settings) {
        clock = Math.max(clock, event.eventTimeMillis);
        if (event.transaction != null) {
            Money money = money(Days.of(event.eventTimeMillis), settings);
            TransactionEvent t = BorrowerMoney.inBorrowerCurrency(event.transaction, money);
            cash().record(t, settings);
            touched(Part.CASH);
            if (hasProject() && project().transaction(event.transaction, money)) {
                touched(Part.PROJECT); // on the project's revenue or reserve account
            }
            currency = t.getCurrency();
            if (BorrowerMoney.isDrawdown(t)) {
                Exposure exposure = exposure();
                exposure.drawn(t.getFacilityId(), money.exactly(event.transaction.getAmountMinor(), event.transaction.getCurrency(),
                        exposure.currencyOf(t.getFacilityId())));
                touched(Part.EXPOSURE);
            }
        } else if (event.repayment != null) {
            RepaymentEvent r = event.repayment;
            long principalRepaid = repayments().record(r, settings, instalmentsTold);
            touched(Part.REPAYMENTS);
            if (principalRepaid != 0) {
                Exposure exposure = exposure();
                exposure.drawn(r.getFacilityId(), -money(Days.of(event.eventTimeMillis), settings)
                        .exactly(principalRepaid, r.getCurrency(), exposure.currencyOf(r.getFacilityId())));
                touched(Part.EXPOSURE);
            }
        } else if (event.credit != null) {
            bureau().record(event.credit);
            touched(Part.BUREAU);
        } else if (event.profile != null) {
            BorrowerProfile p = event.profile;
            if (!profiled && reviews().monitoredFrom(Days.of(event.eventTimeMillis), watch, settings.reviewSchedule())) {
                touched(Part.REVIEWS); // the review schedule starts with the first profile
            }
            Exposure exposure = exposure();
            boolean newest = p.getEventTime().toEpochMilli() >= exposure.profileAt; // an older one arriving late changes nothing
            if (newest) {
                groupId = p.getGroupId();
                industry = p.getIndustry();
                region = p.getRegion();
                internalRating = p.getInternalRating();
                segment = p.getSegment();
                if (!p.getFacilities().isEmpty()) {
                    currency = p.getFacilities().get(0).getCurrency();
                }
            }
            exposure.replaceFacilities(p);
            touched(Part.EXPOSURE);
            profiled = true;
            if (newest) {
                repayments().keepFacilities(p.getFacilities().stream().map(f -> f.getFacilityId()).toList());
                touched(Part.REPAYMENTS);
            }
        } else if (event.statement != null) {
            financials().record(event.statement);
            touched(Part.FINANCIALS);
        } else if (event.collateral != null) {
            exposure().revalue(event.collateral);
            touched(Part.EXPOSURE);
        } else if (event.review != null) {
            if (reviews().record(event.review, watch, settings.reviewSchedule())) {
                touched(Part.REVIEWS);
            }
        } else if (event.project != null) {
            if (project().record(event.project, Days.of(clock))) {
                touched(Part.PROJECT);
            }
        }
        noteCurrencies();
        if (event.isLive()) {
            rememberApplied(event.eventId());
            EventRef.keepRecent(recentEvents, new EventRef(event.eventId(), event.record().getSchema().getName(), event.eventTimeMillis));
        }
    }

    /** The currencies of the facilities and open instalments, from the parts that changed (in memory, then). */
    void noteCurrencies() {
        if ((changed & Part.EXPOSURE.bit) != 0) {
            lineCurrencies.clear();
            for (Exposure.Line line : exposure().lines) {
                if (line.currency != null && !lineCurrencies.contains(line.currency)) {
                    lineCurrencies.add(line.currency);
                }
            }
        }
        if ((changed & Part.REPAYMENTS.bit) != 0) {
            instalmentCurrencies.clear();
            instalmentCurrencies.addAll(repayments().currencies());
        }
    }

    /** Whether a live event with this id is among the last {@link #APPLIED_WINDOW} applied: a redelivery. */
    public boolean alreadyApplied(String eventId) {
        long hash = EventIds.hash(eventId);
        for (int i = 0; i < appliedCount; i++) {
            if (appliedEventIds[i] == hash) {
                return true;
            }
        }
        return false;
    }

    private void rememberApplied(String eventId) {
        if (appliedCount == APPLIED_WINDOW) {
            System.arraycopy(appliedEventIds, 1, appliedEventIds, 0, APPLIED_WINDOW - 1);
            appliedCount--;
        }
        appliedEventIds[appliedCount++] = EventIds.hash(eventId);
    }

    /** The latest day of the events of {@code stream} waiting for their day, or {@link Days#NONE}. */
    int latestWaitingDay(String stream) {
        for (WaitingStream w : waiting) {
            if (w.stream.equals(stream)) {
                return w.day;
            }
        }
        return Days.NONE;
    }

    /** An event of {@code stream} dated {@code day} waits for it; says whether the stream's mark moved. */
    boolean waits(String stream, int day) {
        for (WaitingStream w : waiting) {
            if (w.stream.equals(stream)) {
                if (day <= w.day) {
                    return false;
                }
                w.day = day;
                return true;
            }
        }
        waiting.add(new WaitingStream(stream, day));
        return true;
    }

    /** The events waiting for days up to {@code day} have been released; says whether any stream's mark went. */
    boolean releasedThrough(int day) {
        return waiting.removeIf(w -> w.day <= day);
    }

    /** Moves the borrower's clock to a timer's time. */
    public void advanceClock(long time) {
        clock = Math.max(clock, time);
    }

    public long clock() {
        return clock;
    }

    /** Whether a BorrowerProfile has been applied: until then the engine does not know the borrower's facilities. */
    public boolean hasProfile() {
        return profiled;
    }

    /**
     * Every indicator as of the borrower's clock: the parts whose values may have moved are computed again (see the
     * class comment), the others' kept values are taken as they are, those observed "now" dated now.
     */
    public void indicators(IndicatorValues out, RiskSettings settings) {
        out.clear();
        if (clock == Long.MIN_VALUE) {
            return;
        }
        int today = Days.of(clock);
        int due = stale | converts;
        if (evaluatedDay == Days.NONE) {
            due = Part.EVERY;
        } else if (today != evaluatedDay) {
            for (Part part : Part.ALL) {
                if (holdsUntil[part.ordinal()] != Days.NONE && today >= holdsUntil[part.ordinal()]) {
                    due |= part.bit;
                }
            }
        }
        IndicatorValues values = kept;
        IndicatorValues part = scratch();
        if ((due & Part.CASH.bit) != 0) {
            CashFlow cash = cash();
            part.clear();
            cash.indicators(part, today, IndicatorValues.AS_OF_EVALUATION, settings);
            take(part, Part.CASH);
            long coverable = Math.max(cash.hasBalance() ? cash.balance : 0, cash.inflow30());
            if (instalmentDueSoon && (coverable != means || cash.hasHistory() != meansKnown)) {
                due |= Part.REPAYMENTS.bit; // what falls due is measured against the means, which moved
            }
            means = coverable;
            meansKnown = cash.hasHistory();
            cashMoves = cash.movesWithTime(today);
            // A young account's ratios and baseline appear as its history grows, money or not: its days move too.
            boolean young = cash.firstDay != Days.NONE && today - cash.firstDay <= CashFlow.MIN_HISTORY_DAYS_FOR_BASELINE + CashFlow.DAYS;
            holdsUntil[Part.CASH.ordinal()] = cashMoves || young ? today + 1 : Days.NONE;
        }
        Money money = money(today, settings);
        if ((due & Part.EXPOSURE.bit) != 0) {
            Exposure exposure = exposure();
            int before = money.conversions();
            part.clear();
            exposure.indicators(part, IndicatorValues.AS_OF_EVALUATION, money);
            take(part, Part.EXPOSURE);
            Money own = money(today, null);
            drawnTotal = exposure.totalDrawn(own);
            limitTotal = exposure.totalLimit(own);
            converts = money.conversions() > before || own.conversions() > 0 ? converts | Part.EXPOSURE.bit : converts & ~Part.EXPOSURE.bit;
            holdsUntil[Part.EXPOSURE.ordinal()] = Days.NONE;
            if (values.has(Indicator.DAYS_PAST_DUE) && values.get(Indicator.DAYS_PAST_DUE) > 0) {
                due |= Part.REPAYMENTS.bit; // arrears are judged material against the exposure, and claims by facility
            }
        }
        if ((due & Part.REPAYMENTS.bit) != 0) {
            Repayments repayments = repayments();
            int before = money.conversions();
            // The first look at arrears counts the days since the borrower's last evaluation, whichever part it read.
            if (evaluatedDay != Days.NONE) {
                repayments.lastEvaluatedDay = Math.max(repayments.lastEvaluatedDay, evaluatedDay);
            }
            boolean tellingOpen = repayments.tellOpenOnce;
            int materialSince = repayments.materialSinceDay;
            int curedSince = repayments.curedSinceDay;
            boolean inDefault = repayments.inDefault;
            part.clear();
            repayments.indicators(part, today, IndicatorValues.AS_OF_EVALUATION,
                    () -> exposure().totalDrawnForMateriality(money), means, meansKnown, money, settings, instalmentsTold);
            RegulatoryStatus.classify(part, repayments, today, IndicatorValues.AS_OF_EVALUATION,
                    nonPerformingClaimsShare(today, part.get(Indicator.DAYS_PAST_DUE), money), settings);
            take(part, Part.REPAYMENTS);
            if (repayments.materialSinceDay != materialSince || repayments.curedSinceDay != curedSince || repayments.inDefault != inDefault
                    || tellingOpen) { // told its open instalments once after an upgrade: written in the format that says so
                // Arrears grew material, a default began, was cured or ended its probation, with no event: kept. (The
                // part's last evaluation day moves too, but the borrower's own evaluation day supersedes it.)
                changed |= Part.REPAYMENTS.bit;
            }
            instalmentDueSoon = repayments.dueSoonAtLastLook != 0;
            converts = money.conversions() > before ? converts | Part.REPAYMENTS.bit : converts & ~Part.REPAYMENTS.bit;
            holdsUntil[Part.REPAYMENTS.ordinal()] = repayments.nextEvaluationDay(today, settings);
        }
        if ((due & Part.FINANCIALS.bit) != 0) {
            Financials financials = financials();
            part.clear();
            financials.indicators(part, today, settings);
            take(part, Part.FINANCIALS);
            holdsUntil[Part.FINANCIALS.ordinal()] = financials.nextEvaluationDay(today, settings);
        }
        if ((due & Part.BUREAU.bit) != 0) {
            Bureau bureau = bureau();
            part.clear();
            bureau.indicators(part, today, IndicatorValues.AS_OF_EVALUATION);
            take(part, Part.BUREAU);
            holdsUntil[Part.BUREAU.ordinal()] = bureau.nextChangeDay(today);
        }
        if ((due & Part.REVIEWS.bit) != 0) {
            Reviews reviews = reviews();
            ReviewSchedule schedule = settings.reviewSchedule();
            // A borrower kept by an engine before reviews starts its schedule now; any borrower follows a move of grade.
            boolean moved = profiled && reviews.monitoredFrom(today, watch, schedule);
            if (reviews.follow(watch, today, schedule) || moved) {
                changed |= Part.REVIEWS.bit;
            }
            part.clear();
            reviews.indicators(part, today);
            take(part, Part.REVIEWS);
            lastReviewDay = reviews.reviewDay;
            reviewDueDay = reviews.dueDay;
            holdsUntil[Part.REVIEWS.ordinal()] = reviews.nextEvaluationDay(today);
        }
        // A project company's ratios read its statements: measured again when they moved.
        if ((due & (Part.PROJECT.bit | Part.FINANCIALS.bit)) != 0 && hasProject()) {
            ProjectFinance project = project();
            part.clear();
            project.indicators(part, today, financials());
            take(part, Part.PROJECT);
            holdsUntil[Part.PROJECT.ordinal()] = project.nextEvaluationDay(today);
        }
        stale = 0;
        evaluatedDay = today;
        evaluatedWith = settings;
        out.copyFrom(values, clock);
    }

    /** A part's indicators just computed become the kept ones; those that moved wait for the rules (see {@link #unevaluated}). */
    private void take(IndicatorValues computed, Part part) {
        if (((computed.presentMask() | computed.inapplicableMask()) & ~part.indicators) != 0) {
            throw new IllegalStateException(part + " set indicators of another part: " + computed);
        }
        unevaluated |= kept.differences(computed, part.indicators);
        kept.replace(computed, part.indicators);
    }

    /**
     * The indicators moved since the borrower's rules last read them, for rules of this digest
     * ({@code CompiledRule.digest}); -1 (every indicator) when the rules read last were others.
     */
    long movedSinceRulesRead(long rulesDigest) {
        return rulesDigest == rulesEvaluated ? unevaluated : -1L;
    }

    /** The rules of this digest have read the borrower's indicators as they are. */
    void rulesRead(long rulesDigest) {
        unevaluated = 0;
        rulesEvaluated = rulesDigest;
    }

    private IndicatorValues scratch() {
        if (scratch == null) {
            scratch = new IndicatorValues();
        }
        return scratch;
    }

    /** Each active regime's classification in words, for the desk, as of the last evaluation ("" before the first). */
    String regulatoryStatus() {
        RiskSettings settings = evaluatedWith;
        if (evaluatedDay == Days.NONE || settings == null) {
            return "";
        }
        IndicatorValues values = new IndicatorValues();
        values.copyFrom(kept, clock);
        int today = Days.of(clock);
        long claimsShare = values.has(Indicator.NON_PERFORMING_CLAIMS_SHARE) ? values.get(Indicator.NON_PERFORMING_CLAIMS_SHARE)
                : nonPerformingClaimsShare(today, values.get(Indicator.DAYS_PAST_DUE), money(today, settings));
        return RegulatoryStatus.classify(values, repayments(), today, clock, claimsShare, settings);
    }

    /**
     * The share of the borrower's claims on facilities over 90 days past due, in basis points. A facility's claim is
     * the larger of its drawn amount and its arrears (a facility known only from repayments has no drawn amount).
     */
    long nonPerformingClaimsShare(int today, long daysPastDue, Money money) {
        if (daysPastDue <= 90) {
            return 0; // no facility can be over 90 days when the oldest instalment is not: skip the per-facility walk
        }
        long[] claims = new long[2]; // all claims, non-performing claims, in the borrower's currency
        for (Exposure.Line line : exposure().lines) {
            addClaim(claims, line.facilityId, line.drawn, today, money);
        }
        for (String facilityId : repayments().facilitiesWithoutLine(exposure())) {
            addClaim(claims, facilityId, 0, today, money);
        }
        return claims[0] == 0 ? 0 : Ratios.basisPoints(claims[1], claims[0]);
    }

    /** A facility's claim in its own currency (its line's, else its instalments'), added in the borrower's. */
    private void addClaim(long[] claims, String facilityId, long drawn, int today, Money money) {
        Repayments repayments = repayments();
        long claim = money.inBorrowerCurrency(Math.max(drawn, repayments.overdue(facilityId, today)), currencyOf(facilityId));
        claims[0] = Math.addExact(claims[0], claim);
        if (repayments.daysPastDue(facilityId, today) > 90) {
            claims[1] = Math.addExact(claims[1], claim);
        }
    }

    /**
     * The next day whose start changes an indicator other than the cash-flow windows with no event arriving, or NONE
     * when nothing is pending: as the last evaluation found it, or from the parts when one changed since.
     */
    public int nextEvaluationDay(RiskSettings settings) {
        int today = Days.of(clock);
        // The day a better watch-list grade may apply, once the minimum stay ends, with no event to bring it.
        int betterGrade = watch.reviewDay != Days.NONE && watch.reviewDay > today ? watch.reviewDay : Days.NONE;
        boolean current = evaluatedDay == today
                && (stale & (Part.REPAYMENTS.bit | Part.FINANCIALS.bit | Part.REVIEWS.bit | Part.PROJECT.bit)) == 0;
        if (current) {
            return earliest(betterGrade, earliest(holdsUntil[Part.REPAYMENTS.ordinal()],
                    earliest(holdsUntil[Part.FINANCIALS.ordinal()], earliest(holdsUntil[Part.REVIEWS.ordinal()],
                            holdsUntil[Part.PROJECT.ordinal()]))));
        }
        int project = hasProject() ? project().nextEvaluationDay(today) : Days.NONE;
        return earliest(betterGrade, earliest(repayments().nextEvaluationDay(today, settings), earliest(financials().nextEvaluationDay(today, settings),
                earliest(reviews().nextEvaluationDay(today), project))));
    }

    /**
     * The day the borrower's timer is set for: the next day that changes an indicator other than the cash-flow
     * windows, or, when it stays silent, {@link RiskSettings#silenceCheckDays} after its clock while money is still
     * in its cash-flow windows (these move every day, and a timer each day for each borrower would cost more than its
     * events: the days between are evaluated when the timer fires), or while a snapshot is owed (RiskSnapshots).
     */
    public int nextTimerDay(RiskSettings settings) {
        int today = Days.of(clock);
        boolean moves = evaluatedDay == today && (stale & Part.CASH.bit) == 0 ? cashMoves : cash().movesWithTime(today);
        // A snapshot owed is written by the next evaluation in a later period; the silence check bounds the wait.
        int silenceCheck = settings.silenceCheckDays() > 0 && (moves || snapshotOwed) ? today + settings.silenceCheckDays() : Days.NONE;
        return earliest(nextEvaluationDay(settings), silenceCheck);
    }

    /** Whether the cash-flow indicators change at the start of {@code day} with no event arriving. */
    public boolean cashMovesWithTime(int day) {
        if (evaluatedDay != Days.NONE && (stale & Part.CASH.bit) == 0 && !cashMoves && day >= evaluatedDay) {
            return false; // no money was in the windows at the last evaluation, and none came since: none leaves them
        }
        return cash().movesWithTime(day);
    }

    private static int earliest(int day, int other) {
        return day == Days.NONE ? other : other == Days.NONE ? day : Math.min(day, other);
    }


    /**
     * The facts behind the indicators a rule reads and the events that brought them, each from the part of the state
     * that keeps it: the overdue instalments, the bureau's reports, the statement, the disbursement. Indicators summed
     * over many events (a 30-day inflow, a ratio) cite the borrower's latest account movements.
     */
    void explain(Indicator[] indicators, Evidence evidence) {
        int today = Days.of(clock);
        boolean movements = false;
        boolean latestMovement = false; // the payment measured, the balance reported: the latest booking
        for (Indicator indicator : indicators) {
            switch (indicator) {
                case DAYS_PAST_DUE, OVERDUE_AMOUNT, MATERIAL_DAYS_PAST_DUE, IN_DEFAULT, IFRS9_STAGE, LOAN_CATEGORY, SMA_CLASS,
                        REGULATORY_STEP, NON_PERFORMING_CLAIMS_SHARE -> repayments().explainOverdue(today, this::currencyOf, evidence);
                case UPCOMING_INSTALMENT_SHORTFALL -> repayments().explainDueSoon(today,
                        evaluatedWith == null ? 0 : evaluatedWith.reminderHorizonDays(), this::currencyOf, evidence);
                case SERVICING_ARREARS_MISMATCH -> repayments().explainServicingReports(evidence);
                case PROCEEDS_TO_NEW_COUNTERPARTIES -> cash().explainDiversion(evidence);
                case LIMIT_UTILISATION, LIMIT_BREACH -> exposure().explainLimits(indicator, currency, evidence);
                case RATING_DOWNGRADE_NOTCHES, OVERDUE_ELSEWHERE, LAWSUITS_365D, ENFORCEMENT_365D, GUARANTEE_CALLED_365D,
                        TAX_ARREARS_365D, NEGATIVE_NEWS_90D -> bureau().explain(indicator, today, evidence);
                case DEBT_TO_ASSETS, CURRENT_RATIO, REVENUE_CHANGE_YOY, NET_MARGIN, NET_LOSS, NEGATIVE_EQUITY,
                        NEGATIVE_OPERATING_CASH_FLOW_PERIODS, STATEMENT_OVERDUE_DAYS -> financials().explain(evidence);
                case REVIEW_OVERDUE_DAYS -> reviews().explain(
                        evaluatedWith == null ? ReviewSchedule.defaults() : evaluatedWith.reviewSchedule(), evidence);
                case HISTORIC_DSCR, PROJECTED_DSCR, LLCR, COVENANT_LEVEL, MILESTONE_SLIPPAGE_DAYS, COD_MARGIN_DAYS, CAPEX_OVERRUN,
                        REVENUE_SHORTFALL, DSRA_FUNDING -> project().explain(indicator, today, financials(), evidence);
                case INFLOW_30D, OUTFLOW_30D, INFLOW_90D, OUTFLOW_90D, OUTFLOW_TO_INFLOW_30D, OUTFLOW_TO_INFLOW_90D,
                        INFLOW_BASELINE_30D, INFLOW_DROP -> movements = true;
                case OUTFLOW_SIZE_VS_USUAL, BALANCE, NEGATIVE_BALANCE -> latestMovement = true;
                default -> { } // the subject cites its latest events when nothing more precise is known
            }
        }
        EventRef latest = null;
        for (EventRef ref : recentEvents) { // oldest first
            if (ref.eventType().equals("TransactionEvent")) {
                if (movements) {
                    evidence.add(null, ref.eventId(), ref.eventType(), ref.eventTime());
                }
                latest = ref;
            }
        }
        if (latestMovement && latest != null) {
            evidence.add(null, latest.eventId(), latest.eventType(), latest.eventTime());
        }
    }

    /** The drawn amounts of every line, in the borrower's currency, as of the last evaluation. */
    long drawnInBorrowerCurrency() {
        return drawnTotal;
    }

    /** The limits of every line, in the borrower's currency, as of the last evaluation. */
    long limitInBorrowerCurrency() {
        return limitTotal;
    }

    /** A facility's currency as its profile gives it; the borrower's where the profile does not list it. */
    private String currencyOf(String facilityId) {
        String facilityCurrency = exposure().currencyOf(facilityId);
        return facilityCurrency != null ? facilityCurrency : currency;
    }

    /** The highest severity among open episodes, or null. */
    Severity worstOpenSeverity() {
        Severity worst = null;
        for (Episode episode : episodes) {
            if (worst == null || episode.severity.compareTo(worst) > 0) {
                worst = episode.severity;
            }
        }
        return worst;
    }
}
