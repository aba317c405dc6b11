package dev.kestrel.api.groups;

import dev.kestrel.api.alerts.AlertView;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.util.List;

/**
 * A corporate group: its members with their classifications, their drawn exposure against the shared group limit,
 * and the group's open alerts.
 */
@Serdeable
public record GroupView(String groupId, @Nullable String groupName, @Nullable Long limitMinor, @Nullable String currency,
                        long drawnMinor, @Nullable Integer utilisationBasisPoints, int membersInDistress,
                        @Nullable String worstLoanCategory, List<Member> members, List<AlertView> openAlerts) {

    @Serdeable
    public record Member(String borrowerId, @Nullable String name, @Nullable String loanCategory, @Nullable String smaClass,
                         @Nullable Integer daysPastDue, @Nullable Long drawnMinor, @Nullable Long limitMinor,
                         @Nullable String ratingTier, int openAlerts) {
    }
}
