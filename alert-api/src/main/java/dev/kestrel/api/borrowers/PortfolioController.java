package dev.kestrel.api.borrowers;

import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.errors.ListFilter;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.Arrays;
import java.util.List;

/** Portfolio views: exposure by industry, region, segment, grade or classification, and the migration matrix. */
@Controller("/api/portfolio")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Portfolio")
class PortfolioController {
    private final Database database;
    private final PortfolioReports reports;

    PortfolioController(Database database, PortfolioReports reports) {
        this.database = database;
        this.reports = reports;
    }

    @Operation(summary = "Exposure cut by industry, region, segment, grade or classification, per currency: borrowers, "
            + "drawn, limits, drawn on non-performing facilities, borrowers in default")
    @Get("/exposure")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<PortfolioReports.ExposureRow> exposure(@QueryValue(defaultValue = "INDUSTRY") String by) {
        List<String> allowed = Arrays.stream(PortfolioReports.Dimension.values()).map(Enum::name).toList();
        List<String> dimensions = ListFilter.values(by, "by", allowed);
        if (dimensions.size() != 1) {
            throw ApiException.badRequest("by: one of " + allowed + ", not " + dimensions.size());
        }
        PortfolioReports.Dimension dimension = PortfolioReports.Dimension.valueOf(dimensions.get(0));
        return database.read(connection -> reports.exposure(connection, dimension));
    }

    @Operation(summary = "How borrowers' classifications moved between the end of one day and the end of another (UTC)")
    @Get("/migration")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    PortfolioReports.Migration migration(@QueryValue String from, @QueryValue String to) {
        LocalDate start = date(from, "from");
        LocalDate end = date(to, "to");
        if (start.isAfter(end)) {
            throw ApiException.badRequest("from: " + start + " is after to (" + end + ")");
        }
        return database.read(connection -> reports.migration(connection, start, end));
    }

    private static LocalDate date(String value, String name) {
        LocalDate date;
        try {
            date = LocalDate.parse(value.strip());
        } catch (DateTimeParseException e) {
            throw ApiException.badRequest(name + ": '" + value + "' is not a date like 2026-03-31");
        }
        if (date.getYear() < 1900 || date.getYear() > 9998) {
            throw ApiException.badRequest(name + ": " + date + " is outside the years 1900 to 9998");
        }
        return date;
    }
}
