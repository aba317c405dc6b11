package dev.kestrel.api.collections;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;

/**
 * A non-performing case's disposal as the desk shows it: the figures now, the four options with the figures behind
 * each, the decisions (each with the figures as they stood when it was proposed), and the progress with what it
 * recovered.
 */
@Serdeable
public record DisposalView(String caseId, String borrowerId, @Nullable String name, String caseStatus,
                           Instant nonPerformingSince, @Nullable Disposals.Figures figures,
                           List<DisposalOptions.Option> options, List<DecisionView> decisions, List<ProgressView> progress) {

    @Serdeable
    public record DecisionView(String decisionId, String option, String rationale, long expectedRecoveryMinor, String status,
                               String proposedBy, Instant proposedAt, @Nullable String decidedBy, @Nullable Instant decidedAt,
                               @Nullable String decisionNote, @Nullable JsonNode figures) {
    }

    @Serdeable
    public record ProgressView(long progressId, String decisionId, LocalDate onDate, String note, @Nullable Long recoveredMinor,
                               String recordedBy, Instant recordedAt) {

        static ProgressView of(Disposals.Progress p) {
            return new ProgressView(p.progressId(), p.decisionId(), p.onDate(), p.note(), p.recoveredMinor(), p.recordedBy(),
                    p.recordedAt());
        }
    }
}
