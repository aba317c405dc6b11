package dev.kestrel.api.alerts;

import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.DeskSessions;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.errors.ListFilter;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpHeaders;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Header;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.http.sse.Event;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.Parameter;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import org.reactivestreams.Publisher;

/** The alert list, one alert in full, the live stream, and the desk's workflow actions. */
@Controller("/api/alerts")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Alerts")
class AlertController {
    private static final Set<String> SEVERITIES = Set.of("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL");
    private static final Set<String> CATEGORIES = Set.copyOf(
            java.util.Arrays.stream(dev.kestrel.events.AlertCategory.values()).map(Enum::name).toList());

    private final AlertRepository alerts;
    private final AlertDesk desk;
    private final AlertStream stream;
    private final DeskSessions sessions;

    AlertController(AlertRepository alerts, AlertDesk desk, AlertStream stream, DeskSessions sessions) {
        this.sessions = sessions;
        this.alerts = alerts;
        this.desk = desk;
        this.stream = stream;
    }

    @Operation(summary = "List alerts", description = "Filters combine with AND; a list filter (status, severity, "
            + "category) takes comma-separated values. Pages are cut by cursor: pass nextCursor back until it is null.")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    AlertPage list(@Parameter(description = "e.g. NEW,ASSIGNED") @QueryValue @Nullable String status,
                   @Parameter(description = "e.g. HIGH,CRITICAL") @QueryValue @Nullable String severity,
                   @Parameter(description = "e.g. REPAYMENT,CASH_FLOW") @QueryValue @Nullable String category,
                   @QueryValue @Nullable @Size(max = 100) String rule,
                   @QueryValue @Nullable @Size(max = 100) String borrower,
                   @QueryValue @Nullable @Size(max = 100) String group,
                   @QueryValue @Nullable @Size(max = 100) String assignee,
                   @Parameter(description = "detected at or after (ISO-8601 instant)") @QueryValue @Nullable Instant from,
                   @Parameter(description = "detected before (ISO-8601 instant)") @QueryValue @Nullable Instant to,
                   @Parameter(description = "text in the borrower's name") @QueryValue @Nullable @Size(min = 2, max = 100) String q,
                   @Parameter(description = "true or false") @QueryValue @Nullable @Size(max = 10) String slaBreached,
                   @Parameter(description = "receivedAt, episodeStartedAt, severity or slaDueAt; leading '-' for "
                           + "descending; default -receivedAt") @QueryValue @Nullable String sort,
                   @QueryValue @Nullable @Size(max = 200) String cursor,
                   @QueryValue(defaultValue = "50") @Min(1) @Max(AlertQuery.MAX_LIMIT) int limit) {
        if (from != null && to != null && !from.isBefore(to)) {
            throw ApiException.badRequest("from must be before to");
        }
        List<AlertStatus> statuses = new ArrayList<>();
        for (String value : ListFilter.values(status, "status", Arrays.stream(AlertStatus.values()).map(Enum::name).toList())) {
            statuses.add(AlertStatus.valueOf(value));
        }
        return alerts.list(new AlertQuery(statuses, values(severity, "severity", SEVERITIES),
                values(category, "category", CATEGORIES), rule, borrower, group, assignee, from, to, q,
                ListFilter.flag(slaBreached, "slaBreached"),
                AlertQuery.Order.parse(sort), cursor, limit));
    }

    private static List<String> values(String list, String name, Set<String> allowed) {
        return ListFilter.values(list, name, allowed.stream().sorted().toList());
    }

    @Operation(summary = "New and changed alerts, live (server-sent events named 'alert')")
    @Get(value = "/stream", produces = MediaType.TEXT_EVENT_STREAM)
    @ExecuteOn(TaskExecutors.IO)
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    Publisher<Event<?>> stream(Authentication user) {
        Object session = user.getAttributes().get(DeskSessions.CLAIM);
        Instant expires = expiry(user.getAttributes().get("exp"));
        return stream.events(() -> sessions.active(session) && (expires == null || Instant.now().isBefore(expires)));
    }

    /** The token's expiry claim, as the JWT library hands it over (a date, or seconds since the epoch). */
    private static Instant expiry(Object exp) {
        if (exp instanceof java.util.Date date) {
            return date.toInstant();
        }
        if (exp instanceof Number seconds) {
            return Instant.ofEpochSecond(seconds.longValue());
        }
        return null;
    }

    @Operation(summary = "One alert: explanation, history of status changes and comments; its ETag is its version")
    @Get("/{alertId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    HttpResponse<AlertDetail> detail(@PathVariable String alertId) {
        AlertDetail detail = alerts.detail(id(alertId)).orElseThrow(() -> ApiException.notFound("alert " + alertId));
        return withETag(HttpResponse.ok(detail), detail.alert());
    }

    @Operation(summary = "Assign to an analyst or supervisor (supervisors only)")
    @Post("/{alertId}/assign")
    @Secured(Roles.SUPERVISOR)
    HttpResponse<AlertView> assign(@PathVariable String alertId, @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
                                   @Body @Valid WorkflowRequests.Assign request, Authentication user) {
        return withETag(HttpResponse.ok(desk.assign(id(alertId), version(ifMatch), user, request)));
    }

    @Operation(summary = "Acknowledge: the caller takes it if nobody has it")
    @Post("/{alertId}/acknowledge")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<AlertView> acknowledge(@PathVariable String alertId, @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
                                        @Body @Valid WorkflowRequests.Acknowledge request, Authentication user) {
        return withETag(HttpResponse.ok(desk.acknowledge(id(alertId), version(ifMatch), user, request)));
    }

    @Operation(summary = "Escalate, with a note saying why")
    @Post("/{alertId}/escalate")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<AlertView> escalate(@PathVariable String alertId, @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
                                     @Body @Valid WorkflowRequests.Escalate request, Authentication user) {
        return withETag(HttpResponse.ok(desk.escalate(id(alertId), version(ifMatch), user, request)));
    }

    @Operation(summary = "Resolve with a disposition and a note")
    @Post("/{alertId}/resolve")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<AlertView> resolve(@PathVariable String alertId, @Header(HttpHeaders.IF_MATCH) @Nullable String ifMatch,
                                    @Body @Valid WorkflowRequests.Resolve request, Authentication user) {
        return withETag(HttpResponse.ok(desk.resolve(id(alertId), version(ifMatch), user, request)));
    }

    @Operation(summary = "Add a comment; allowed in every status, no If-Match needed")
    @Post("/{alertId}/comments")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<AlertDetail.Comment> comment(@PathVariable String alertId, @Body @Valid WorkflowRequests.Comment request,
                                              Authentication user) {
        return HttpResponse.created(desk.comment(id(alertId), user, request));
    }

    private static String id(String alertId) {
        if (alertId.isBlank() || alertId.length() > 100) {
            throw ApiException.badRequest("an alert id has 1 to 100 characters");
        }
        return alertId;
    }

    /** The version the caller last saw, from {@code If-Match: "7"}; required so no change is made blind. */
    private static int version(String ifMatch) {
        if (ifMatch == null || ifMatch.isBlank()) {
            throw new ApiException(HttpStatus.PRECONDITION_REQUIRED,
                    "send If-Match with the alert's ETag (its version) so a change made meanwhile is not overwritten");
        }
        String value = ifMatch.trim();
        if (value.startsWith("W/")) {
            value = value.substring(2);
        }
        value = value.replace("\"", "");
        try {
            return Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw ApiException.badRequest("If-Match '" + ifMatch + "' is not an ETag this API issued");
        }
    }

    private static <T> HttpResponse<T> withETag(io.micronaut.http.MutableHttpResponse<T> response, AlertView view) {
        return response.header(HttpHeaders.ETAG, "\"" + view.version() + "\"");
    }

    private static HttpResponse<AlertView> withETag(io.micronaut.http.MutableHttpResponse<AlertView> response) {
        return withETag(response, response.body());
    }
}
