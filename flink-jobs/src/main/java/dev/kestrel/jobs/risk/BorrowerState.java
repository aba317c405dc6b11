package dev.kestrel.jobs.risk;

import dev.kestrel.contract.Indicator;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.Severity;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.events.TransactionKind;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.ingest.BorrowerEvent;
import java.util.ArrayList;
import java.util.List;

/**
 * Everything the engine remembers about one borrower, read once and written once per event. Each part keeps its
 * own small incremental aggregates; {@link #indicators} derives every indicator from them in one pass.
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
    final CashFlow cash;
    final Exposure exposure;
    final Repayments repayments;
    final Financials financials;
    final Bureau bureau;
    final List<Episode> episodes = new ArrayList<>();
    final List<EventRef> recentEvents = new ArrayList<>();
    /** The day whose start the pending event-time timer is set for, or NONE. */
    int timerDay = Days.NONE;
    long snapshotAt = Long.MIN_VALUE;
    long snapshotKey;
    /**
     * Hashes of the ids of the last {@link #APPLIED_WINDOW} live events applied, oldest first: a producer that
     * redelivers (any at-least-once producer does, after a retry or a restart) must not count a receipt or a lawsuit
     * twice. Bounded per borrower so that state stays small; see docs/events.md for the window.
     */
    final long[] appliedEventIds = new long[APPLIED_WINDOW];
    int appliedCount;
    /** How many of a borrower's latest live events are remembered to recognise a redelivery. */
    public static final int APPLIED_WINDOW = 32;
    /** Every active regime's class as of the last {@link #indicators} call, for the desk; derived, never stored. */
    String regulatoryStatus = "";
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

    /** The group the group stage last heard this borrower belongs to, and a digest of what it heard (see MemberStatuses). */
    String memberGroupId;
    long memberKey;

    /** The rates the borrower's amounts are converted with, and the currency of a borrower without facilities; set by the operator, not kept. */
    private FxRates fx;
    private String portfolioCurrency;

    /** A borrower the engine has not seen yet. */
    public BorrowerState() {
        this(new CashFlow(), new Exposure(), new Repayments(), new Financials(), new Bureau());
    }

    /** A borrower read back from state: the parts as read, not empty ones made only to be replaced. */
    BorrowerState(CashFlow cash, Exposure exposure, Repayments repayments, Financials financials, Bureau bureau) {
        this.cash = cash;
        this.exposure = exposure;
        this.repayments = repayments;
        this.financials = financials;
        this.bureau = bureau;
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
            cash.record(t, settings);
            currency = t.getCurrency();
            if (BorrowerMoney.isDrawdown(t)) {
                exposure.drawn(t.getFacilityId(), money.exactly(event.transaction.getAmountMinor(), event.transaction.getCurrency(),
                        exposure.currencyOf(t.getFacilityId())));
            }
        } else if (event.repayment != null) {
            RepaymentEvent r = event.repayment;
            long principalRepaid = repayments.record(r, settings);
            if (principalRepaid != 0) {
                exposure.drawn(r.getFacilityId(), -money(Days.of(event.eventTimeMillis), settings)
                        .exactly(principalRepaid, r.getCurrency(), exposure.currencyOf(r.getFacilityId())));
            }
        } else if (event.credit != null) {
            bureau.record(event.credit);
        } else if (event.profile != null) {
            BorrowerProfile p = event.profile;
            if (p.getEventTime().toEpochMilli() >= exposure.profileAt) {
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
            if (p.getEventTime().toEpochMilli() >= exposure.profileAt) {
                repayments.keepFacilities(p.getFacilities().stream().map(f -> f.getFacilityId()).toList());
            }
        } else if (event.statement != null) {
            financials.record(event.statement);
        } else if (event.collateral != null) {
            exposure.revalue(event.collateral);
        }
        if (event.isLive()) {
            rememberApplied(event.eventId());
            EventRef.keepRecent(recentEvents, new EventRef(event.eventId(), event.record().getSchema().getName(), event.eventTimeMillis));
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

    /** An event of {@code stream} dated {@code day} waits for it. */
    void waits(String stream, int day) {
        for (WaitingStream w : waiting) {
            if (w.stream.equals(stream)) {
                w.day = Math.max(w.day, day);
                return;
            }
        }
        waiting.add(new WaitingStream(stream, day));
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
        return exposure.profileAt != Long.MIN_VALUE;
    }

    /** Every indicator as of the borrower's clock. */
    public void indicators(IndicatorValues out, RiskSettings settings) {
        out.clear();
        if (clock == Long.MIN_VALUE) {
            return;
        }
        int today = Days.of(clock);
        Money money = money(today, settings);
        cash.indicators(out, today, clock, settings);
        exposure.indicators(out, clock, money);
        long coverable = Math.max(cash.hasBalance() ? cash.balance : 0, cash.inflow30());
        repayments.indicators(out, today, clock, exposure.totalDrawnForMateriality(money), coverable, cash.hasHistory(), money,
                settings);
        regulatoryStatus = RegulatoryStatus.classify(out, repayments, today, clock,
                nonPerformingClaimsShare(today, out.get(Indicator.DAYS_PAST_DUE), money), settings);
        financials.indicators(out, today, settings);
        bureau.indicators(out, today, clock);
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
        for (Exposure.Line line : exposure.lines) {
            addClaim(claims, line.facilityId, line.drawn, today, money);
        }
        for (String facilityId : repayments.facilitiesWithoutLine(exposure)) {
            addClaim(claims, facilityId, 0, today, money);
        }
        return claims[0] == 0 ? 0 : Ratios.basisPoints(claims[1], claims[0]);
    }

    /** A facility's claim in its own currency (its line's, else its instalments'), added in the borrower's. */
    private void addClaim(long[] claims, String facilityId, long drawn, int today, Money money) {
        long claim = money.inBorrowerCurrency(Math.max(drawn, repayments.overdue(facilityId, today)), currencyOf(facilityId));
        claims[0] = Math.addExact(claims[0], claim);
        if (repayments.daysPastDue(facilityId, today) > 90) {
            claims[1] = Math.addExact(claims[1], claim);
        }
    }

    /** The next day whose start changes an indicator with no event arriving, or NONE when nothing is pending. */
    public int nextEvaluationDay(RiskSettings settings) {
        int today = Days.of(clock);
        return earliest(repayments.nextEvaluationDay(today, settings), financials.nextEvaluationDay(today, settings));
    }

    /**
     * The day the borrower's timer is set for: the next day that changes an indicator other than the cash-flow
     * windows, or, when it stays silent, {@link RiskSettings#silenceCheckDays} after its clock while money is still
     * in its cash-flow windows (these move every day, and a timer each day for each borrower would cost more than its
     * events: the days between are evaluated when the timer fires).
     */
    public int nextTimerDay(RiskSettings settings) {
        int today = Days.of(clock);
        int silenceCheck = settings.silenceCheckDays() > 0 && cash.movesWithTime(today) ? today + settings.silenceCheckDays() : Days.NONE;
        return earliest(nextEvaluationDay(settings), silenceCheck);
    }

    /** Whether the cash-flow indicators change at the start of {@code day} with no event arriving. */
    public boolean cashMovesWithTime(int day) {
        return cash.movesWithTime(day);
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
                        REGULATORY_STEP, NON_PERFORMING_CLAIMS_SHARE -> repayments.explainOverdue(today, this::currencyOf, evidence);
                case UPCOMING_INSTALMENT_SHORTFALL -> repayments.explainDueSoon(today, this::currencyOf, evidence);
                case SERVICING_ARREARS_MISMATCH -> repayments.explainServicingReports(evidence);
                case PROCEEDS_TO_NEW_COUNTERPARTIES -> cash.explainDiversion(evidence);
                case LIMIT_UTILISATION, LIMIT_BREACH -> exposure.explainLimits(indicator, currency, evidence);
                case RATING_DOWNGRADE_NOTCHES, OVERDUE_ELSEWHERE, LAWSUITS_365D, ENFORCEMENT_365D, GUARANTEE_CALLED_365D,
                        TAX_ARREARS_365D, NEGATIVE_NEWS_90D -> bureau.explain(indicator, today, evidence);
                case DEBT_TO_ASSETS, CURRENT_RATIO, REVENUE_CHANGE_YOY, NET_MARGIN, NET_LOSS, NEGATIVE_EQUITY,
                        NEGATIVE_OPERATING_CASH_FLOW_PERIODS, STATEMENT_OVERDUE_DAYS -> financials.explain(evidence);
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

    /** The drawn amounts of every line, in the borrower's currency, as of its clock. */
    long drawnInBorrowerCurrency() {
        return exposure.totalDrawn(money(Days.of(clock), null));
    }

    /** The limits of every line, in the borrower's currency, as of its clock. */
    long limitInBorrowerCurrency() {
        return exposure.totalLimit(money(Days.of(clock), null));
    }

    /** A facility's currency as its profile gives it; the borrower's where the profile does not list it. */
    private String currencyOf(String facilityId) {
        String facilityCurrency = exposure.currencyOf(facilityId);
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
