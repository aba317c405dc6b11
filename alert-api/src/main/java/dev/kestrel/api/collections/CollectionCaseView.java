package dev.kestrel.api.collections;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.Map;

/**
 * A collection case as the desk shows it. {@code openedOn}: MATERIAL_ARREARS, or NON_PERFORMING for a claim classified
 * non-performing with arrears under the materiality floor; {@code arrearsSince} is day 1 of the ladder. The figures
 * {@code daysPastDue}, {@code overdueMinor} and {@code loanCategory} are the engine's as of its latest snapshot
 * ({@code asOf}); {@code nonPerformingSince} is the first snapshot that classified the borrower non-performing while
 * the case was open. {@code lateSteps}: pending steps past their due date.
 */
@Serdeable
public record CollectionCaseView(String caseId, String borrowerId, @Nullable String name, @Nullable String officer,
                                 @Nullable String team, String status, String openedOn, LocalDate arrearsSince,
                                 Instant openedAt, int openedDaysPastDue, long openedOverdueMinor, @Nullable String currency,
                                 @Nullable Instant nonPerformingSince, @Nullable Instant closedAt,
                                 @Nullable String closeReason, @Nullable Integer daysPastDue, @Nullable Long overdueMinor,
                                 @Nullable String loanCategory, @Nullable Instant asOf, @Nullable StepView nextStep,
                                 int lateSteps, List<StepView> steps) {

    /** A rung of the ladder; {@code late}: still pending after its due date. */
    @Serdeable
    public record StepView(int position, String kind, int dayOfArrears, LocalDate dueDate, String status, boolean late,
                           @Nullable String outcome, @Nullable LocalDate doneOn, @Nullable String notes,
                           @Nullable String reference, @Nullable Long promisedAmountMinor, @Nullable LocalDate promisedDate,
                           @Nullable String recordedBy, @Nullable Instant recordedAt) {

        static StepView of(CollectionCases.Step s, LocalDate today) {
            return new StepView(s.position(), s.kind(), s.dayOfArrears(), s.dueDate(), s.status(),
                    s.status().equals("PENDING") && s.dueDate().isBefore(today), s.outcome(), s.doneOn(), s.notes(),
                    s.reference(), s.promisedAmountMinor(), s.promisedDate(), s.recordedBy(), s.recordedAt());
        }
    }

    static List<CollectionCaseView> of(List<CollectionCases.Case> cases, Map<String, List<CollectionCases.Step>> steps, LocalDate today) {
        return cases.stream().map(c -> of(c, steps.getOrDefault(c.caseId(), List.of()), today)).toList();
    }

    static CollectionCaseView of(CollectionCases.Case c, List<CollectionCases.Step> steps, LocalDate today) {
        List<StepView> views = steps.stream().map(s -> StepView.of(s, today)).toList();
        StepView next = views.stream().filter(s -> s.status().equals("PENDING")).findFirst().orElse(null);
        int late = (int) views.stream().filter(StepView::late).count();
        return new CollectionCaseView(c.caseId(), c.borrowerId(), c.name(), c.officer(), c.team(), c.status(), c.openedOn(),
                c.arrearsSince(), c.openedAt(), c.openedDaysPastDue(), c.openedOverdueMinor(), c.currency(),
                c.nonPerformingSince(), c.closedAt(), c.closeReason(), c.daysPastDue(), c.overdueMinor(), c.loanCategory(),
                c.asOf(), next, late, views);
    }
}
