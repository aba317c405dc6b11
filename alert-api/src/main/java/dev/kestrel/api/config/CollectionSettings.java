package dev.kestrel.api.config;

import io.micronaut.context.annotation.ConfigurationProperties;
import jakarta.validation.constraints.Min;
import java.time.Duration;

/**
 * Collections on the desk (docs/api.md, Collections).
 *
 * @param ladder the steps a collection case follows, in order, each as {@code KIND:day}, the day of material arrears it
 *               falls due on (day 1 is the engine's first day of material arrears), for example
 *               {@code REMINDER:1,CALL:7,FORMAL_LETTER:30,LAWYERS_LETTER:60,LEGAL_ACTION:90}; a case keeps the ladder
 *               of the day it opened
 * @param dueNoticeDays how many days before a step of an open case falls due its owner is told, by e-mail and webhook
 *                      (a step already due when the case opens is told at once)
 * @param checkEvery how often the API looks for steps coming due
 */
@ConfigurationProperties("kestrel.collections")
public record CollectionSettings(String ladder, @Min(0) int dueNoticeDays, Duration checkEvery) {
}
