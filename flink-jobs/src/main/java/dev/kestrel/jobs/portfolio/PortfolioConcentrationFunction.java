package dev.kestrel.jobs.portfolio;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.EventReference;
import dev.kestrel.jobs.fx.FxInForce;
import dev.kestrel.jobs.fx.FxRates;
import dev.kestrel.jobs.fx.FxSettings;
import dev.kestrel.jobs.group.ChangesInOrder;
import dev.kestrel.jobs.group.MemberStatus;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.ingest.Published;
import dev.kestrel.jobs.risk.AlertEpisodes;
import dev.kestrel.jobs.risk.AlertSubject;
import dev.kestrel.jobs.risk.Days;
import dev.kestrel.jobs.risk.Episode;
import dev.kestrel.jobs.risk.EventRef;
import dev.kestrel.jobs.rules.CompiledRule;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.jobs.rules.RuleMetrics;
import dev.kestrel.jobs.rules.RulesInForce;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.co.KeyedBroadcastProcessFunction;
import org.apache.flink.util.Collector;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Portfolio concentration: every borrower's drawn exposure in the portfolio's currency, summed per industry and per
 * region, and the PORTFOLIO rules in force evaluated for each of those segments (for example, one industry over 25%
 * of the portfolio). There is one portfolio, so the stage runs under one key; it hears only borrowers whose
 * exposure, industry or region changed, and a change moves only the segments it touches. Changes wait for event
 * time to pass them and are applied in {@link #ORDER} (see {@link ChangesInOrder}); the segments are judged once per
 * moment, after all of that moment's changes.
 */
public final class PortfolioConcentrationFunction extends KeyedBroadcastProcessFunction<String, MemberStatus, Published, Alert> {
    private static final Logger LOG = LoggerFactory.getLogger(PortfolioConcentrationFunction.class);
    /** The one key of the stage. */
    public static final String PORTFOLIO = "portfolio";
    public static final KeySelector<MemberStatus, String> ONE_PORTFOLIO = status -> PORTFOLIO;

    /** The changes of one moment: by borrower. */
    static final Comparator<MemberStatus> ORDER = Comparator.comparing(status -> status.borrowerId);

    private final RuleFiles ruleFiles;
    private final String currency;
    private final FxSettings fx;
    private transient FxInForce fxInForce;
    private transient Counter withoutRate;

    private transient ValueState<PortfolioState> portfolio;
    private transient MapState<String, MemberStatus> contributions;
    private transient RulesInForce rulesInForce;
    private transient IndicatorValues before;
    private transient IndicatorValues after;
    private transient RuleMetrics metrics;
    private transient Counter overflows;
    private transient ChangesInOrder<MemberStatus> changes;

    /** @param currency the portfolio's reporting currency; exposure in others is converted into it */
    public PortfolioConcentrationFunction(RuleFiles ruleFiles, String currency) {
        this(ruleFiles, new FxSettings(FxSettings.defaults().pivot(), "", FxSettings.defaults().rateWait(), currency));
    }

    /** @param fx the rates that convert each borrower's exposure into the portfolio's currency, {@code fx.portfolioCurrency()} */
    public PortfolioConcentrationFunction(RuleFiles ruleFiles, FxSettings fx) {
        this.ruleFiles = ruleFiles;
        this.currency = fx.portfolioCurrency();
        this.fx = fx;
    }

    @Override
    public void open(OpenContext openContext) {
        portfolio = getRuntimeContext().getState(new ValueStateDescriptor<>("portfolio", new PortfolioStateSerializer()));
        contributions = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("portfolio-exposure", Types.STRING, TypeInformation.of(MemberStatus.class)));
        rulesInForce = new RulesInForce(ruleFiles);
        fxInForce = new FxInForce(fx);
        withoutRate = getRuntimeContext().getMetricGroup().counter("portfolioExposureWithoutFxRate");
        before = new IndicatorValues();
        after = new IndicatorValues();
        metrics = new RuleMetrics(getRuntimeContext().getMetricGroup(), "portfolioAlerts");
        overflows = getRuntimeContext().getMetricGroup().counter("portfolioChangesOverflowing");
        changes = new ChangesInOrder<>(getRuntimeContext(), "portfolio-changes-held", TypeInformation.of(MemberStatus.class),
                status -> status.eventTime, ORDER);
    }

    @Override
    public void processElement(MemberStatus change, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        if (change.leftGroup) {
            return; // a departure concerns the old group only; the borrower's own status follows it
        }
        if (!changes.hold(change, ctx.timerService())) {
            moment(List.of(change), ctx, out);
        }
    }

    /** Event time passed a moment's held changes: they are applied in {@link #ORDER}, then judged together. */
    @Override
    public void onTimer(long timestamp, OnTimerContext ctx, Collector<Alert> out) throws Exception {
        moment(changes.release(timestamp), ctx, out);
    }

    /**
     * The changes of one moment (one event time), applied in order, then the segments judged once as they stand after
     * them. The portfolio's state is read only if one of them moves a share.
     */
    private void moment(List<MemberStatus> changesOfOneMoment, ReadOnlyContext ctx, Collector<Alert> out) throws Exception {
        FxRates rates = fxInForce.table(ctx.getBroadcastState(FxInForce.PUBLISHED));
        PortfolioState state = null;
        PortfolioState previous = null;
        for (MemberStatus change : changesOfOneMoment) {
            MemberStatus status;
            try {
                status = inPortfolioCurrency(change, rates);
            } catch (ArithmeticException overflow) {
                // An amount that converted is beyond a long: left out and told, not a job failing on it for ever.
                overflows.inc();
                LOG.warn("portfolio: {} converted into {} would overflow ({}); left out", change, currency, overflow.getMessage());
                continue;
            }
            MemberStatus old = contributions.get(status.borrowerId);
            boolean wasIn = PortfolioState.contributes(old, currency);
            boolean isIn = PortfolioState.contributes(status, currency);
            if (!wasIn && !isIn) {
                continue;
            }
            if (wasIn && isIn && old.drawnMinor == status.drawnMinor && Objects.equals(old.industry, status.industry)
                    && Objects.equals(old.region, status.region)) {
                continue; // its classification moved, not its exposure: no share changes
            }
            if (state == null) {
                state = portfolio.value();
                if (state == null) {
                    state = new PortfolioState();
                }
                previous = state.totalsCopy();
            }
            apply(status, old, wasIn, isIn, state);
        }
        if (state != null) {
            evaluate(state, previous, rulesInForce.book(ctx.getBroadcastState(RulesInForce.PUBLISHED)), out);
            portfolio.update(state);
        }
    }

    private void apply(MemberStatus status, MemberStatus old, boolean wasIn, boolean isIn, PortfolioState state) throws Exception {
        try {
            state.checkRoom(wasIn ? old : null, isIn ? status : null);
        } catch (ArithmeticException overflow) {
            // Sums are exact: a total beyond a long is no portfolio a bank holds, so the change is left out and told,
            // rather than wrapping to wrong shares or failing the job over and over on the same record.
            overflows.inc();
            LOG.warn("portfolio: {} would overflow its drawn totals ({}); left out", status, overflow.getMessage());
            return;
        }
        if (wasIn) {
            state.add(old, -1);
        }
        if (isIn) {
            state.add(status, 1);
            contributions.put(status.borrowerId, status);
        } else {
            contributions.remove(status.borrowerId);
        }
        state.clock = Math.max(state.clock, status.eventTime);
        if (status.eventId != null) {
            state.lastEvent = new EventRef(status.eventId, status.eventType, status.eventTime);
        }
    }

    /**
     * The borrower's contribution in the portfolio's currency, converted at the rate in force on the day of its change
     * and kept so, so that taking it out later subtracts what was added. With no rate it is left out of the shares
     * (its currency is not the portfolio's), counted and told, never added unconverted.
     */
    private MemberStatus inPortfolioCurrency(MemberStatus change, FxRates rates) {
        if (change.currency == null || change.currency.equals(currency) || change.drawnMinor == 0) {
            return change;
        }
        MemberStatus converted = change.copy();
        try {
            converted.drawnMinor = rates.convert(change.drawnMinor, change.currency, currency, Days.of(change.eventTime));
            converted.currency = currency;
        } catch (FxRates.MissingRate missing) {
            withoutRate.inc();
            LOG.warn("portfolio: borrower {} draws {} {}, left out of the {} shares: {}", change.borrowerId, change.drawnMinor,
                    change.currency, currency, missing.getMessage());
        }
        return converted;
    }

    private void evaluate(PortfolioState state, PortfolioState previous, RuleBook rules, Collector<Alert> out) {
        List<CompiledRule> portfolioRules = rules.rules(AlertScope.PORTFOLIO, state.clock);
        long detectedAt = System.currentTimeMillis();
        for (String segment : state.segmentsToEvaluate()) {
            List<Episode> open = state.episodes.computeIfAbsent(segment, s -> new ArrayList<>());
            if (portfolioRules.isEmpty() && open.isEmpty()) {
                continue;
            }
            previous.indicators(segment, before);
            state.indicators(segment, after);
            AlertEpisodes.evaluate(new Segment(segment, state, currency), portfolioRules, before, after, detectedAt, alert -> {
                metrics.alert(alert);
                out.collect(alert);
            });
            if (open.isEmpty()) {
                state.episodes.remove(segment);
            }
        }
    }


    @Override
    public void processBroadcastElement(Published published, Context ctx, Collector<Alert> out) throws Exception {
        if (published.rule != null) {
            // The borrower stage reports what was done with the version (VersionReports); every stage does the same.
            metrics.published(rulesInForce.publish(published.rule, ctx.getBroadcastState(RulesInForce.PUBLISHED)));
        } else if (published.fxRate != null) {
            fxInForce.publish(published.fxRate, ctx.getBroadcastState(FxInForce.PUBLISHED));
        }
    }

    /** One industry or region of the portfolio as an alert subject, named in the title so the desk sees which. */
    private record Segment(String segment, PortfolioState state, String currency) implements AlertSubject {
        @Override
        public AlertScope scope() {
            return AlertScope.PORTFOLIO;
        }

        @Override
        public String borrowerId() {
            return null;
        }

        @Override
        public String groupId() {
            return null;
        }

        @Override
        public String subjectId() {
            return segment;
        }

        @Override
        public long clock() {
            return state.clock;
        }

        @Override
        public List<Episode> episodes() {
            return state.episodes.get(segment);
        }

        @Override
        public List<EventReference> triggeringEvents() {
            return state.lastEvent == null ? List.of() : EventRef.references(List.of(state.lastEvent));
        }

        @Override
        public String title(CompiledRule rule) {
            return rule.title() + ": " + segment.replace(":", " ");
        }

        @Override
        public String context(CompiledRule rule) {
            long drawn = state.segments.getOrDefault(segment, 0L);
            String name = segment.replace(":", " ");
            return Character.toUpperCase(name.charAt(0)) + name.substring(1) + " holds " + AlertEpisodes.money(drawn, currency) + " of "
                    + AlertEpisodes.money(state.totalMinor, currency) + " drawn across " + state.borrowers + " borrowers. ";
        }
    }
}
