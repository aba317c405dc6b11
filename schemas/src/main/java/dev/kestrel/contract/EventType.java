package dev.kestrel.contract;

import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.TransactionEvent;
import java.util.List;
import java.util.Optional;
import org.apache.avro.Schema;
import org.apache.avro.specific.SpecificData;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * A top-level record of the contract: one that travels on its own as a Kafka value or a JSON line.
 * Nested records (Facility, AlertExplanation, ...) travel only inside these.
 */
public record EventType(Class<? extends SpecificRecordBase> javaClass, Schema schema, SpecificData model) {

    /** Every top-level record, in the order docs/events.md describes them. */
    public static final List<EventType> ALL = List.of(
            of(TransactionEvent.class, TransactionEvent.getClassSchema()),
            of(RepaymentEvent.class, RepaymentEvent.getClassSchema()),
            of(CreditEvent.class, CreditEvent.getClassSchema()),
            of(BorrowerProfile.class, BorrowerProfile.getClassSchema()),
            of(FinancialStatement.class, FinancialStatement.getClassSchema()),
            of(CollateralValuation.class, CollateralValuation.getClassSchema()),
            of(GroupLimit.class, GroupLimit.getClassSchema()),
            of(FxRate.class, FxRate.getClassSchema()),
            of(Rule.class, Rule.getClassSchema()),
            of(Scorecard.class, Scorecard.getClassSchema()),
            of(Alert.class, Alert.getClassSchema()),
            of(BorrowerRiskSnapshot.class, BorrowerRiskSnapshot.getClassSchema()),
            of(InstalmentStatus.class, InstalmentStatus.getClassSchema()),
            of(BorrowerScore.class, BorrowerScore.getClassSchema()),
            of(GroupRiskSnapshot.class, GroupRiskSnapshot.getClassSchema()),
            of(LimitRecommendation.class, LimitRecommendation.getClassSchema()),
            of(LimitDecision.class, LimitDecision.getClassSchema()),
            of(BorrowerReview.class, BorrowerReview.getClassSchema()),
            of(Project.class, Project.getClassSchema()),
            of(ProjectMilestone.class, ProjectMilestone.getClassSchema()),
            of(CashFlowForecast.class, CashFlowForecast.getClassSchema()),
            of(FacilityCovenants.class, FacilityCovenants.getClassSchema()),
            of(RuleVersionStatus.class, RuleVersionStatus.getClassSchema()),
            of(DeadLetter.class, DeadLetter.getClassSchema()));

    private static EventType of(Class<? extends SpecificRecordBase> javaClass, Schema schema) {
        // The generated class's own model carries the logical-type conversions (Instant, LocalDate).
        return new EventType(javaClass, schema, SpecificData.getForClass(javaClass));
    }

    /** The record's simple name, e.g. {@code TransactionEvent}; the JSON-lines {@code type} field uses it. */
    public String name() {
        return schema.getName();
    }

    public static Optional<EventType> named(String name) {
        return ALL.stream().filter(t -> t.name().equals(name)).findFirst();
    }

    public static EventType of(Class<?> javaClass) {
        return ALL.stream()
                .filter(t -> t.javaClass.equals(javaClass))
                .findFirst()
                .orElseThrow(() -> new IllegalArgumentException(javaClass.getName() + " is not a top-level record of the contract"));
    }
}
