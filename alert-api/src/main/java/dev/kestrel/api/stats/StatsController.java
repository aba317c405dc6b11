package dev.kestrel.api.stats;

import dev.kestrel.api.alerts.AlertCounts;
import dev.kestrel.api.config.SlaPolicy;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** The desk's overview: what is open, what is late, which rules fire most, and how many alerts arrive each day. */
@Controller("/api/stats")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Stats")
class StatsController {
    private final Database database;
    private final AlertCounts counts;
    private final SlaPolicy sla;
    private final Clock clock;

    StatsController(Database database, AlertCounts counts, SlaPolicy sla, Clock clock) {
        this.database = database;
        this.counts = counts;
        this.sla = sla;
        this.clock = clock;
    }

    @Serdeable
    record Stats(Instant asOf, Map<String, Long> openBySeverity, Map<String, Long> byStatus, long slaBreaches,
                 Map<String, Long> slaBreachesBySeverity, Map<String, String> slaPolicy, List<RuleCount> topRules,
                 List<DayCount> alertsPerDay) {
    }

    @Serdeable
    record RuleCount(String ruleId, long alerts) {
    }

    @Serdeable
    record DayCount(LocalDate day, long alerts) {
    }

    @Operation(summary = "Open alerts by severity, alerts by status, SLA breaches, the most frequent rules and alerts "
            + "per day (UTC) over the last 'days' days")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    Stats stats(@QueryValue(defaultValue = "30") @Min(1) @Max(366) int days) {
        Instant now = clock.instant();
        Instant since = now.minus(Duration.ofDays(days));
        return database.read(connection -> {
            Map<String, Long> breaches = counts.slaBreachesBySeverity(connection, now);
            List<RuleCount> topRules = new ArrayList<>();
            counts.topRules(connection, since).forEach((rule, n) -> topRules.add(new RuleCount(rule, n)));
            Map<LocalDate, Long> received = counts.receivedPerDay(connection, since);
            // Every day of the window, a quiet one as 0: a chart of the days with alerts alone showed one day as all of them.
            List<DayCount> perDay = new ArrayList<>();
            LocalDate today = LocalDate.ofInstant(now, java.time.ZoneOffset.UTC);
            for (LocalDate day = today.minusDays(days - 1L); !day.isAfter(today); day = day.plusDays(1)) {
                perDay.add(new DayCount(day, received.getOrDefault(day, 0L)));
            }
            Map<String, String> policy = new LinkedHashMap<>();
            sla.asMap().forEach((severity, duration) -> policy.put(severity.name(), duration.toString()));
            return new Stats(now, counts.openBySeverity(connection), counts.byStatus(connection),
                    breaches.values().stream().mapToLong(Long::longValue).sum(), breaches, policy, topRules, perDay);
        });
    }
}
