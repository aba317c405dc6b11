package dev.kestrel.api.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Size;

/** The bodies of the workflow endpoints. Notes are limited so a paste accident cannot bloat the history. */
public final class WorkflowRequests {
    private WorkflowRequests() {}

    @Serdeable
    public record Assign(@NotBlank @Size(max = 100) String assignee, @Nullable @Size(max = 4000) String note) {
    }

    @Serdeable
    public record Acknowledge(@Nullable @Size(max = 4000) String note) {
    }

    @Serdeable
    public record Comment(@NotBlank @Size(max = 4000) String body) {
    }

    @Serdeable
    public record Escalate(@NotBlank @Size(max = 4000) String note) {
    }

    @Serdeable
    public record Resolve(@NotNull Disposition disposition, @NotBlank @Size(max = 4000) String note) {
    }
}
