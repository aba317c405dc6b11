package dev.kestrel.jobs.risk;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

/** Alert episode ids: a name-based UUID, so the same borrower, rule and opening event time give the same id in every run. */
public final class AlertIds {
    private AlertIds() {}

    public static String forBorrower(String borrowerId, String ruleId, long openedAtMillis) {
        String name = "borrower:" + borrowerId + "|rule:" + ruleId + "|opened:" + openedAtMillis;
        return UUID.nameUUIDFromBytes(name.getBytes(StandardCharsets.UTF_8)).toString();
    }
}
