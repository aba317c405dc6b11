package dev.kestrel.api.groups;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * One member as the engine's group snapshot last told it, kept in the group snapshot's {@code members} column: its
 * exposure, condition, and the score, grade and materiality the engine gave it (null before the engine graded groups).
 */
@Serdeable
public record EngineGroupMember(String borrowerId, long drawnMinor, long limitMinor, @Nullable String currency,
                                String loanCategory, int daysPastDue, boolean inDefault, boolean nonPerforming,
                                List<String> criticalAlertRules, @Nullable Integer score, @Nullable String watchGrade,
                                @Nullable Boolean material) {
}
