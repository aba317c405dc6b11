package dev.kestrel.api.ownership;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Future;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/**
 * A supervisor's grant that widens what an analyst may act on beyond the borrowers they own. Active from when it is
 * granted until it expires or is revoked.
 */
@Serdeable
public record PortfolioGrant(long grantId, String grantee, Scope scope, @Nullable String scopeValue, String reason,
                             String grantedBy, Instant grantedAt, @Nullable Instant expiresAt, @Nullable String revokedBy,
                             @Nullable Instant revokedAt) {

    /** What a grant covers. */
    public enum Scope {
        /** One borrower's alerts. */
        BORROWER,
        /** A group's alerts and those of its members. */
        GROUP,
        /** Every borrower an officer owns: cover for a colleague. */
        OFFICER,
        /** Every borrower owned within a team. */
        TEAM,
        /** The whole book. */
        ALL
    }

    public boolean activeAt(Instant at) {
        return revokedAt == null && (expiresAt == null || expiresAt.isAfter(at));
    }

    /** What a supervisor sends: who, what, why, and optionally until when. */
    @Serdeable
    public record Request(@NotBlank @Size(max = 100) String grantee,
                          @NotNull Scope scope,
                          @Nullable @Size(min = 1, max = 100) String scopeValue,
                          @NotBlank @Size(max = 500) String reason,
                          @Nullable @Future(message = "must be in the future") Instant expiresAt) {
    }
}
