package dev.kestrel.jobs.risk;

import dev.kestrel.events.AlertScope;
import dev.kestrel.events.EventReference;
import dev.kestrel.jobs.rules.CompiledRule;
import java.util.List;

/**
 * What an alert is about, as {@link AlertEpisodes} needs it: a borrower, a corporate group, or one industry or region
 * of the portfolio. Each stage keeps its subjects' open episodes and hands them over through this view.
 */
public interface AlertSubject {

    AlertScope scope();

    /** The borrower, for borrower alerts; otherwise null. */
    String borrowerId();

    /** The borrower's group, or the group of a group alert; may be null. */
    String groupId();

    /** The subject within its scope, for alert ids: the borrower id, the group id, or e.g. {@code industry:K}. */
    String subjectId();

    /** ISO 4217 code of the subject's money amounts, or null. */
    String currency();

    /** The subject's "now" in event time. */
    long clock();

    /** The open episodes, one per rule; evaluation adds and removes them. */
    List<Episode> episodes();

    /** The input events behind the current change, oldest first. */
    List<EventReference> triggeringEvents();

    /** The input events behind a change of this rule's alert; by default those of the current change. */
    default List<EventReference> triggeringEvents(CompiledRule rule) {
        return triggeringEvents();
    }

    /** The alert's title: the rule's, unless the subject must be named in it (an industry, a region). */
    default String title(CompiledRule rule) {
        return rule.title();
    }

    /** Facts the indicators alone do not tell the desk, e.g. which member is non-performing; empty when none. */
    default String context(CompiledRule rule) {
        return "";
    }
}
