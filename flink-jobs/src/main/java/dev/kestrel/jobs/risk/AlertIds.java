package dev.kestrel.jobs.risk;

import dev.kestrel.events.AlertScope;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Alert episode ids: a name-based UUID, so the same subject, rule and opening event time give the same id in every run. */
public final class AlertIds {
    private AlertIds() {}

    public static String forBorrower(String borrowerId, String ruleId, long openedAtMillis) {
        return of(AlertScope.BORROWER, borrowerId, ruleId, openedAtMillis);
    }

    /** @param subjectId the borrower id, the group id, or the portfolio segment such as {@code industry:K} */
    public static String of(AlertScope scope, String subjectId, String ruleId, long openedAtMillis) {
        String name = scope.name().toLowerCase(java.util.Locale.ROOT) + ":" + subjectId + "|rule:" + ruleId + "|opened:" + openedAtMillis;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
