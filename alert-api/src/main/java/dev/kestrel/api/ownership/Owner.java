package dev.kestrel.api.ownership;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;

/** The officer responsible for a borrower on the desk, the team, and who set them when. */
@Serdeable
public record Owner(String borrowerId, String officer, @Nullable String team, String assignedBy, Instant assignedAt) {

    /** What a supervisor sets: an enabled analyst or supervisor, and optionally a team (blank is none). */
    @Serdeable
    public record Request(@NotBlank @Size(max = 100) String officer,
                          @Nullable @Size(max = 100) @Pattern(regexp = "[\\p{L}\\p{N} ._-]*",
                                  message = "letters, digits, spaces, dots, dashes and underscores only") String team) {
    }
}
