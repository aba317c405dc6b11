package dev.kestrel.jobs.limits;

import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.LimitAction;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.RecommendationBasis;
import dev.kestrel.events.Severity;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.state.MapState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ValueState;
import org.apache.flink.api.common.state.ValueStateDescriptor;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.java.functions.KeySelector;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.apache.flink.streaming.api.functions.KeyedProcessFunction;
import org.apache.flink.util.Collector;

/**
 * Dynamic limit adjustment: keeps, per borrower and per group, the HIGH and CRITICAL alerts that are open, and
 * recommends what to do with the credit limit when they change: freeze the undrawn limit while a CRITICAL alert is
 * open, cut the limit by a configured share while a HIGH one is, and withdraw the recommendation when none is left.
 * A new recommendation is written when the action changes or another severe alert joins the basis. A credit officer
 * decides; the engine recommends.
 */
public final class LimitRecommender extends KeyedProcessFunction<String, Alert, LimitRecommendation> {
    /** Recommendations concern a borrower's or a group's limit; portfolio alerts have none. */
    public static final KeySelector<Alert, String> SUBJECT = alert -> subject(alert.getScope(), alert.getGroupId(), alert.getBorrowerId());

    private final int limitCutBasisPoints;

    private transient MapState<String, RecommendationBasis> severeAlerts;
    private transient ValueState<String> lastAction;

    /** @param limitCutBasisPoints how much of the limit a HIGH alert recommends cutting, in basis points */
    public LimitRecommender(int limitCutBasisPoints) {
        this.limitCutBasisPoints = limitCutBasisPoints;
    }

    /** The Kafka key of a recommendation: its subject, as the stage keys it. */
    public static String subjectOf(LimitRecommendation recommendation) {
        return subject(recommendation.getScope(), recommendation.getGroupId(), recommendation.getBorrowerId());
    }

    private static String subject(AlertScope scope, String groupId, String borrowerId) {
        return scope == AlertScope.GROUP ? "GROUP:" + groupId : "BORROWER:" + borrowerId;
    }

    /** Whether an alert can move a limit recommendation: borrower and group alerts do, portfolio ones do not. */
    public static boolean concernsALimit(Alert alert) {
        return alert.getScope() == AlertScope.BORROWER || alert.getScope() == AlertScope.GROUP;
    }

    @Override
    public void open(OpenContext openContext) {
        severeAlerts = getRuntimeContext().getMapState(
                new MapStateDescriptor<>("severe-alerts", Types.STRING, new AvroTypeInfo<>(RecommendationBasis.class)));
        lastAction = getRuntimeContext().getState(new ValueStateDescriptor<>("last-action", Types.STRING));
    }

    @Override
    public void processElement(Alert alert, Context ctx, Collector<LimitRecommendation> out) throws Exception {
        boolean severe = alert.getSeverity().compareTo(Severity.HIGH) >= 0;
        boolean joined = false;
        if (alert.getLifecycle() == AlertLifecycle.CLOSED || !severe) {
            if (!severeAlerts.contains(alert.getAlertId())) {
                return; // never severe: no recommendation rests on it
            }
            severeAlerts.remove(alert.getAlertId());
        } else {
            joined = !severeAlerts.contains(alert.getAlertId());
            severeAlerts.put(alert.getAlertId(), new RecommendationBasis(alert.getAlertId(), alert.getRuleId(), alert.getSeverity(), alert.getTitle()));
        }
        List<RecommendationBasis> basis = new ArrayList<>();
        for (RecommendationBasis open : severeAlerts.values()) {
            basis.add(open);
        }
        basis.sort(Comparator.comparing(RecommendationBasis::getSeverity).reversed().thenComparing(RecommendationBasis::getAlertId));
        LimitAction action = basis.isEmpty() ? LimitAction.WITHDRAWN
                : basis.get(0).getSeverity() == Severity.CRITICAL ? LimitAction.FREEZE_UNDRAWN : LimitAction.REDUCE_LIMIT;
        String last = lastAction.value();
        boolean changed = !action.name().equals(last);
        if (action == LimitAction.WITHDRAWN) {
            lastAction.clear();
            if (last == null) {
                return;
            }
        } else if (changed || joined) {
            lastAction.update(action.name());
        } else {
            return;
        }
        out.collect(recommendation(ctx.getCurrentKey(), alert, action, basis));
    }

    private LimitRecommendation recommendation(String subject, Alert alert, LimitAction action, List<RecommendationBasis> basis) {
        List<String> titles = basis.stream().map(b -> b.getTitle() + " (" + b.getSeverity() + ")").toList();
        String reason = switch (action) {
            case FREEZE_UNDRAWN -> "Freeze the undrawn limit while critical alerts are open: " + String.join("; ", titles) + ".";
            case REDUCE_LIMIT -> String.format(Locale.ROOT, "Cut the limit by %.0f%% while severe alerts are open: %s.",
                    limitCutBasisPoints / 100.0, String.join("; ", titles));
            case WITHDRAWN -> "Withdrawn: no severe alert is open any more; the last one closed was '" + alert.getTitle() + "'.";
        };
        String name = subject + "|" + action + "|" + alert.getAlertId() + "|" + alert.getLifecycle() + "|" + alert.getEventTime().toEpochMilli();
        boolean group = alert.getScope() == AlertScope.GROUP;
        return LimitRecommendation.newBuilder()
                .setRecommendationId(UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString())
                .setScope(group ? AlertScope.GROUP : AlertScope.BORROWER)
                .setBorrowerId(group ? null : alert.getBorrowerId())
                .setGroupId(alert.getGroupId())
                .setAction(action)
                .setReductionBasisPoints(action == LimitAction.REDUCE_LIMIT ? limitCutBasisPoints : null)
                .setSeverity(basis.isEmpty() ? alert.getSeverity() : basis.get(0).getSeverity())
                .setReason(reason)
                .setAlerts(basis)
                .setEventTime(alert.getEventTime())
                .setDetectedAt(Instant.now())
                .build();
    }
}
