package dev.kestrel.api.routing;

import dev.kestrel.api.tags.BorrowerTag;
import dev.kestrel.events.AlertCategory;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.Severity;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.List;

/**
 * A workflow rule of the desk: which new alerts it takes (every condition set must hold; an empty list or a null
 * severity is "any"), to whom it assigns them ({@value #OWNER}, the borrower's officer, or a username), and the tag it
 * puts on their borrower. It assigns, tags, or both.
 */
@Serdeable
public record RoutingRule(String ruleId, int position, String description, boolean enabled, @Nullable Severity minSeverity,
                          List<AlertCategory> categories, List<CustomerSegment> segments, List<String> teams,
                          List<String> officers, @Nullable String assignTo, @Nullable String tag, String updatedBy,
                          Instant updatedAt) {

    /** Assign to the borrower's owner: a rule that says so passes an alert whose borrower has none to the next rule. */
    public static final String OWNER = "@owner";

    /** Whether the alert meets every condition the rule sets. */
    boolean matches(Route.NewAlert alert, @Nullable String segment, @Nullable String team, @Nullable String officer) {
        return enabled
                && (minSeverity == null || alert.severity().ordinal() >= minSeverity.ordinal())
                && (categories.isEmpty() || categories.contains(alert.category()))
                && (segments.isEmpty() || segments.stream().anyMatch(s -> s.name().equals(segment)))
                && (teams.isEmpty() || teams.contains(team))
                && (officers.isEmpty() || officers.contains(officer));
    }

    /** What a supervisor sends to create or replace a rule. */
    @Serdeable
    public record Request(@Min(1) @Max(10_000) int position,
                          @NotBlank @Size(max = 300) String description,
                          @Nullable Boolean enabled,
                          @Nullable Severity minSeverity,
                          @Nullable List<@NotNull AlertCategory> categories,
                          @Nullable List<@NotNull CustomerSegment> segments,
                          @Nullable List<@NotBlank @Size(max = 100) String> teams,
                          @Nullable List<@NotBlank @Size(max = 100) String> officers,
                          @Nullable @Size(max = 100) @Pattern(regexp = "@owner|[a-z][a-z0-9._-]{1,39}",
                                  message = "@owner or a username") String assignTo,
                          @Nullable @Pattern(regexp = BorrowerTag.PATTERN, message = "1 to 40 letters, digits, spaces, dots, "
                                  + "dashes or underscores, starting with a letter or digit") String tag) {
    }
}
