package dev.kestrel.api.feed;

import dev.kestrel.api.alerts.EngineAlerts;
import dev.kestrel.api.borrowers.BorrowerStore;
import dev.kestrel.api.collections.CollectionCases;
import dev.kestrel.api.evidence.BorrowerEvidence;
import dev.kestrel.api.groups.GroupStore;
import dev.kestrel.api.limits.LimitRecommendations;
import dev.kestrel.api.publication.VersionsInForce;
import dev.kestrel.api.rules.RuleChanges;
import dev.kestrel.api.scorecards.ScorecardChanges;
import dev.kestrel.api.scores.ScoreStore;
import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.api.projects.ProjectRegister;
import dev.kestrel.events.CashFlowForecast;
import dev.kestrel.events.CollateralValuation;
import dev.kestrel.events.FacilityCovenants;
import dev.kestrel.events.Project;
import dev.kestrel.events.ProjectMilestone;
import dev.kestrel.events.CreditEvent;
import dev.kestrel.events.FinancialStatement;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.GroupRiskSnapshot;
import dev.kestrel.events.InstalmentStatus;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.RepaymentEvent;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import io.micronaut.core.annotation.Nullable;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Instant;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Hands each engine record to the store of the feature that owns it. Every store applies its records idempotently:
 * applying a record twice, or an older record after a newer one (a replay after a restart), leaves the store as it
 * was. That is what lets the feed commit offsets after the database and still lose and duplicate nothing.
 */
@Singleton
public final class FeedWriter {
    private final EngineAlerts alerts;
    private final BorrowerStore borrowers;
    private final GroupStore groups;
    private final LimitRecommendations recommendations;
    private final ScoreStore scores;
    private final RuleChanges rules;
    private final ScorecardChanges scorecards;
    private final CollectionCases collections;
    private final BorrowerEvidence evidence;
    private final VersionsInForce versions;
    private final ProjectRegister projects;

    FeedWriter(EngineAlerts alerts, BorrowerStore borrowers, GroupStore groups, LimitRecommendations recommendations,
               ScoreStore scores, RuleChanges rules, ScorecardChanges scorecards, CollectionCases collections,
               BorrowerEvidence evidence, VersionsInForce versions, ProjectRegister projects) {
        this.versions = versions;
        this.projects = projects;
        this.alerts = alerts;
        this.borrowers = borrowers;
        this.groups = groups;
        this.recommendations = recommendations;
        this.scores = scores;
        this.rules = rules;
        this.scorecards = scorecards;
        this.collections = collections;
        this.evidence = evidence;
    }

    /** Applies the record; returns the id of an alert that changed, for the live stream, or null. */
    @Nullable
    public String apply(Connection connection, SpecificRecordBase record, Instant receivedAt) throws SQLException {
        if (record instanceof Alert alert) {
            return alerts.apply(connection, alert, receivedAt) ? alert.getAlertId() : null;
        } else if (record instanceof BorrowerRiskSnapshot snapshot) {
            if (borrowers.applySnapshot(connection, snapshot)) {
                // The newest (or the same again): opens or closes a case on the engine's arrears.
                collections.apply(connection, snapshot, receivedAt);
            }
        } else if (record instanceof BorrowerProfile profile) {
            borrowers.applyProfile(connection, profile);
        } else if (record instanceof GroupLimit limit) {
            groups.applyLimit(connection, limit);
        } else if (record instanceof GroupRiskSnapshot group) {
            groups.applySnapshot(connection, group);
        } else if (record instanceof LimitRecommendation recommendation) {
            recommendations.apply(connection, recommendation);
        } else if (record instanceof BorrowerScore score) {
            scores.apply(connection, score);
        } else if (record instanceof Rule rule) {
            rules.seenOnTopic(connection, rule, receivedAt);
        } else if (record instanceof Scorecard card) {
            scorecards.seenOnTopic(connection, card, receivedAt);
        } else if (record instanceof RuleVersionStatus status) {
            versions.apply(connection, status, receivedAt);
        } else if (record instanceof RepaymentEvent repayment) {
            evidence.applyRepayment(connection, repayment);
        } else if (record instanceof InstalmentStatus instalment) {
            evidence.applyInstalment(connection, instalment);
        } else if (record instanceof FinancialStatement statement) {
            evidence.applyStatement(connection, statement);
        } else if (record instanceof CreditEvent event) {
            evidence.applyCreditEvent(connection, event);
        } else if (record instanceof CollateralValuation valuation) {
            evidence.applyValuation(connection, valuation);
        } else if (record instanceof Project project) {
            projects.applyProject(connection, project);
        } else if (record instanceof ProjectMilestone milestone) {
            projects.applyMilestone(connection, milestone);
        } else if (record instanceof CashFlowForecast forecast) {
            projects.applyForecast(connection, forecast);
        } else if (record instanceof FacilityCovenants covenants) {
            projects.applyCovenants(connection, covenants);
        } else {
            throw new IllegalArgumentException(record.getSchema().getName() + " does not belong on the API's topics");
        }
        return null;
    }
}
