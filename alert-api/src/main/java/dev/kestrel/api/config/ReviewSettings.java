package dev.kestrel.api.config;

import dev.kestrel.contract.RatingScale;
import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Periodic reviews on the desk (docs/api.md, Reviews). The schedule is the engine's; these say what a review must name
 * and when an owner hears that one is coming due.
 *
 * @param internalScale the bank's internal rating scale, as the engine's {@code rating.internal-scale}: a review's
 *                      concluded rating must be one of its grades
 * @param dueNoticeDays how many days before a borrower's review is due its owner is told, by e-mail and webhook
 * @param checkEvery how often the API looks for reviews coming due
 */
@ConfigurationProperties("kestrel.reviews")
public record ReviewSettings(String internalScale, @Min(0) int dueNoticeDays, Duration checkEvery) {

    public ReviewSettings {
        internalScale = internalScale == null || internalScale.isBlank() ? RatingScale.LETTERS_NAME : internalScale;
        RatingScale.parse(internalScale); // a scale that does not read stops the start
    }

    /** The scale a review's ratings are checked against. */
    public RatingScale scale() {
        return RatingScale.parse(internalScale);
    }
}
