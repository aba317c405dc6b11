package dev.kestrel.api.notifications;

import java.time.LocalDate;
import java.util.List;

/**
 * Steps of one collection case that come due, or are due already; {@code name} and {@code officer} may be unknown.
 *
 * @param steps the steps told of, in ladder order
 */
public record CollectionStepsNotice(String caseId, String borrowerId, String name, String officer, List<Step> steps) {

    /** One pending step: its place on the ladder, its kind and its due date. */
    public record Step(int position, String kind, LocalDate dueDate) {}
}
