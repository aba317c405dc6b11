package dev.kestrel.api.borrowers;

import dev.kestrel.api.alerts.AlertRepository;
import dev.kestrel.api.alerts.AlertView;
import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.errors.ListFilter;
import dev.kestrel.api.limits.LimitRecommendationView;
import dev.kestrel.api.limits.LimitRecommendations;
import dev.kestrel.api.ownership.Owner;
import dev.kestrel.api.ownership.OwnerStore;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.tags.BorrowerTag;
import dev.kestrel.api.tags.BorrowerTags;
import dev.kestrel.events.CustomerSegment;
import dev.kestrel.events.LoanCategory;
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
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

/** The borrower list, and the customer 360 view of one borrower. */
@Controller("/api/borrowers")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Borrowers")
class BorrowerController {
    private static final int ALERTS_SHOWN = 100;
    private static final int MAX_HISTORY_POINTS = 2_000;

    private final Database database;
    private final BorrowerStore store;
    private final AlertRepository alerts;
    private final AuditLog audit;
    private final Clock clock;
    private final LimitRecommendations recommendations;
    private final OwnerStore owners;
    private final BorrowerTags tags;

    BorrowerController(Database database, BorrowerStore store, AlertRepository alerts, AuditLog audit, Clock clock,
                       LimitRecommendations recommendations, OwnerStore owners, BorrowerTags tags) {
        this.tags = tags;
        this.store = store;
        this.recommendations = recommendations;
        this.owners = owners;
        this.database = database;
        this.alerts = alerts;
        this.audit = audit;
        this.clock = clock;
    }

    @Operation(summary = "Borrowers by name, found by name or id and filtered by segment, rating, grade, classification, "
            + "industry, region, group, owner (or me), team and tags", description = "List filters take comma-separated values. "
            + "Pages are cut by cursor: pass nextCursor back until it is null.")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    BorrowerList.Page list(@QueryValue @Nullable @Size(max = 200) String q,
                           @QueryValue @Nullable String segment, @QueryValue @Nullable @Size(max = 500) String rating,
                           @QueryValue @Nullable String grade, @QueryValue @Nullable String classification,
                           @QueryValue @Nullable @Size(max = 100) String industry,
                           @QueryValue @Nullable @Size(max = 100) String region,
                           @QueryValue @Nullable @Size(max = 100) String group,
                           @QueryValue @Nullable @Size(max = 100) String owner,
                           @QueryValue @Nullable @Size(max = 100) String team,
                           @QueryValue @Nullable @Size(max = 500) String tag,
                           @QueryValue @Nullable @Size(max = 4000) String cursor,
                           @QueryValue(defaultValue = "50") @Min(1) @Max(500) int limit,
                           Authentication user) {
        BorrowerList.Query query = new BorrowerList.Query(q == null || q.isBlank() ? null : q.strip(),
                values(segment, "segment", CustomerSegment.values()), ratings(rating),
                values(grade, "grade", WatchGrade.values()), values(classification, "classification", LoanCategory.values()),
                industry, region, group, "me".equals(owner) ? user.getName() : owner, team, ratings(tag), cursor, limit);
        return database.read(connection -> store.search(connection, query));
    }

    private static List<String> values(String list, String name, Enum<?>[] allowed) {
        return ListFilter.values(list, name, java.util.Arrays.stream(allowed).map(Enum::name).toList());
    }

    /** Ratings (the bank's own scale, docs/configuration.md) and tags: any values, as given, comma-separated. */
    private static List<String> ratings(String list) {
        return list == null || list.isBlank() ? List.of()
                : java.util.Arrays.stream(list.split(",")).map(String::strip).filter(r -> !r.isEmpty()).toList();
    }

    @Operation(summary = "Profile (masked by role), classification, rating tier, segment, indicators, the standing limit "
            + "recommendation, owner, alerts and indicator history; supervisors see personal data unmasked, and each such view is audited")
    @Get("/{borrowerId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    BorrowerView borrower(@PathVariable String borrowerId,
                          @QueryValue(defaultValue = "365") @Min(1) @Max(3660) int historyDays,
                          Authentication user) {
        boolean unmasked = Roles.has(user, Roles.SUPERVISOR);
        Instant now = clock.instant();
        // One connection for the whole page: on a small pool, a request waits for a connection once, not seven times.
        BorrowerView view = database.read(connection -> {
            BorrowerView.Profile profile = store.profile(connection, borrowerId, !unmasked);
            BorrowerView.Risk risk = store.risk(connection, borrowerId);
            LimitRecommendationView recommendation = recommendations.forBorrower(connection, borrowerId);
            List<AlertView> all = alerts.forSubject(connection, "borrower_id", borrowerId, ALERTS_SHOWN);
            if (profile == null && risk == null && recommendation == null && all.isEmpty()) {
                return null;
            }
            // History is counted back from the latest snapshot, so a replay of old events still charts.
            Instant latest = risk != null ? risk.asOf() : now;
            List<BorrowerView.HistoryPoint> history =
                    store.history(connection, borrowerId, latest.minus(Duration.ofDays(historyDays)), MAX_HISTORY_POINTS);
            return new BorrowerView(borrowerId, profile, risk, recommendation, owners.of(connection, borrowerId).orElse(null),
                    tags.of(connection, borrowerId), all.stream().filter(a -> a.status().isOpen()).toList(),
                    all.stream().filter(a -> !a.status().isOpen()).toList(), history);
        });
        if (view == null) {
            throw ApiException.notFound("borrower " + borrowerId);
        }
        if (unmasked && view.profile() != null) {
            // Who looked at whose personal data is itself something an auditor must be able to see.
            database.inTransaction(connection -> {
                audit.record(connection, now, user.getName(), "VIEW_PERSONAL_DATA", "borrower", borrowerId, null,
                        Map.of("fields", List.of("unifiedSocialCreditCode", "legalRepresentativeName",
                                "legalRepresentativeIdNumber", "legalRepresentativePhone")));
                return null;
            });
        }
        return view;
    }
}
