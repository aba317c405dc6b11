package dev.kestrel.api.scores;

import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.errors.ListFilter;
import dev.kestrel.events.RiskSegment;
import dev.kestrel.events.WatchGrade;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.Arrays;
import java.util.List;

/** The watch list the desk works from: borrowers ranked by the engine's score, and each borrower's score history. */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Watch list")
class WatchListController {
    static final int MAX_LIMIT = 500;
    private static final int MAX_HISTORY = 2_000;

    private final Database database;
    private final ScoreStore scores;

    WatchListController(Database database, ScoreStore scores) {
        this.database = database;
        this.scores = scores;
    }

    @Operation(summary = "Borrowers ranked by score, riskiest first", description = "Each with its grade, the score before "
            + "(trend), PD, segment, top three factors, open alerts, owner and team. Filters combine with AND; grade and "
            + "segment take comma-separated values; owner=me is the caller. Pages are cut by cursor: pass nextCursor back "
            + "until it is null.")
    @Get("/watch-list")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    WatchListView.Page watchList(@Parameter(description = "e.g. AMBER,RED,BLACK") @QueryValue @Nullable String grade,
                                 @Parameter(description = "e.g. RISK_WATCH") @QueryValue @Nullable String segment,
                                 @QueryValue @Nullable @Size(max = 100) String industry,
                                 @QueryValue @Nullable @Size(max = 100) String region,
                                 @QueryValue @Nullable @Size(max = 100) String group,
                                 @Parameter(description = "the responsible officer's username, or me") @QueryValue @Nullable
                                 @Size(max = 100) String owner,
                                 @QueryValue @Nullable @Size(max = 100) String team,
                                 @QueryValue @Nullable @Size(max = 200) String cursor,
                                 @QueryValue(defaultValue = "50") @Min(1) @Max(MAX_LIMIT) int limit,
                                 Authentication user) {
        WatchListView.Query query = new WatchListView.Query(values(grade, "grade", WatchGrade.values()),
                values(segment, "segment", RiskSegment.values()), industry, region, group,
                "me".equals(owner) ? user.getName() : owner, team, cursor, limit);
        return database.read(connection -> scores.page(connection, query));
    }

    @Operation(summary = "A borrower's score changes, oldest first, with every factor's bin and points")
    @Get("/borrowers/{borrowerId}/scores")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<WatchListView.ScorePoint> history(@PathVariable @Size(max = 100) String borrowerId,
                                           @QueryValue(defaultValue = "500") @Min(1) @Max(MAX_HISTORY) int limit) {
        List<WatchListView.ScorePoint> points = database.read(connection -> scores.history(connection, borrowerId, limit));
        if (points.isEmpty()) {
            throw ApiException.notFound("scores of borrower " + borrowerId);
        }
        return points;
    }

    private static List<String> values(String list, String name, Enum<?>[] allowed) {
        return ListFilter.values(list, name, Arrays.stream(allowed).map(Enum::name).toList());
    }
}
