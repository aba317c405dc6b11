package dev.kestrel.api.audit;

import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.inject.Named;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.util.List;

/** The audit trail, read-only: there is no endpoint that changes or deletes an entry. */
@Controller("/api/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.AUDITOR, Roles.ADMIN})
@Tag(name = "Audit")
class AuditController {
    private final Database database;
    /** The check reads and hashes the whole log: on the background pool, so that it keeps no other request waiting. */
    private final Database background;
    private final AuditLog log;

    AuditController(Database database, @Named(Database.BACKGROUND) Database background, AuditLog log) {
        this.background = background;
        this.database = database;
        this.log = log;
    }

    @Serdeable
    record AuditPage(List<AuditLog.Entry> items, @Nullable Long nextBefore) {
    }

    @Operation(summary = "Audit entries, newest first; pass nextBefore as before for the next page")
    @Get
    AuditPage list(@QueryValue @Nullable @Size(max = 100) String targetType,
                   @QueryValue @Nullable @Size(max = 200) String targetId,
                   @QueryValue @Nullable @Size(max = 100) String actor,
                   @QueryValue @Nullable @Min(1) Long before,
                   @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        List<AuditLog.Entry> entries = database.read(connection ->
                log.read(connection, new AuditLog.Filter(targetType, targetId, actor, before, limit)));
        return new AuditPage(entries, entries.size() == limit ? entries.get(entries.size() - 1).id() : null);
    }

    @Operation(summary = "Check the audit log's hash chain: intact with its head hash, or where it first breaks and how")
    @Get("/verify")
    AuditChain.Verdict verify() {
        return background.inTransaction(AuditChain::verify);
    }
}
