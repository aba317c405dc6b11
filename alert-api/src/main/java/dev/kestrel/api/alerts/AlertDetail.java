package dev.kestrel.api.alerts;

import io.micronaut.core.annotation.Nullable;
import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** An alert with everything behind it: the explanation, every status change and the comments. */
@Serdeable
public record AlertDetail(AlertView alert, Explanation explanation, @Nullable String resolutionNote,
                          List<HistoryEntry> history, List<Comment> comments) {

    /** A change of the alert, by the engine ({@code actor = engine}) or by a person. */
    @Serdeable
    public record HistoryEntry(Instant at, String actor, String action, @Nullable String fromStatus,
                               @Nullable String toStatus, @Nullable String note) {
    }

    @Serdeable
    public record Comment(long id, Instant at, String author, String body) {
    }
}
