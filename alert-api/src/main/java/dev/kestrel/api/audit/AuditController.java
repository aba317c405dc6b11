package dev.kestrel.api.audit;

import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.Size;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** The audit trail, read-only: there is no endpoint that changes or deletes an entry. */
@Controller("/api/audit")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured({Roles.AUDITOR, Roles.ADMIN})
@Tag(name = "Audit")
class AuditController {
    private final Database database;
    private final JsonColumns json;

    AuditController(Database database, JsonColumns json) {
        this.database = database;
        this.json = json;
    }

    @Serdeable
    record AuditEntry(long id, Instant at, String actor, String action, String targetType, String targetId,
                      @Nullable JsonNode before, @Nullable JsonNode after) {
    }

    @Serdeable
    record AuditPage(List<AuditEntry> items, @Nullable Long nextBefore) {
    }

    @Operation(summary = "Audit entries, newest first; pass nextBefore as before for the next page")
    @Get
    AuditPage list(@QueryValue @Nullable @Size(max = 100) String targetType,
                   @QueryValue @Nullable @Size(max = 200) String targetId,
                   @QueryValue @Nullable @Size(max = 100) String actor,
                   @QueryValue @Nullable @Min(1) Long before,
                   @QueryValue(defaultValue = "100") @Min(1) @Max(1000) int limit) {
        StringBuilder sql = new StringBuilder(
                "SELECT id, at, actor, action, target_type, target_id, before::text, after::text FROM audit_log WHERE true");
        List<Object> parameters = new ArrayList<>();
        if (targetType != null) {
            sql.append(" AND target_type = ?");
            parameters.add(targetType);
        }
        if (targetId != null) {
            sql.append(" AND target_id = ?");
            parameters.add(targetId);
        }
        if (actor != null) {
            sql.append(" AND actor = ?");
            parameters.add(actor);
        }
        if (before != null) {
            sql.append(" AND id < ?");
            parameters.add(before);
        }
        sql.append(" ORDER BY id DESC LIMIT ?");
        parameters.add(limit);
        return database.read(connection -> {
            List<AuditEntry> entries = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement(sql.toString())) {
                for (int i = 0; i < parameters.size(); i++) {
                    select.setObject(i + 1, parameters.get(i));
                }
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        entries.add(new AuditEntry(row.getLong("id"), Sql.instant(row, "at"), row.getString("actor"),
                                row.getString("action"), row.getString("target_type"), row.getString("target_id"),
                                json.tree(row.getString("before")), json.tree(row.getString("after"))));
                    }
                }
            }
            Long nextBefore = entries.size() == limit ? entries.get(entries.size() - 1).id() : null;
            return new AuditPage(entries, nextBefore);
        });
    }

    @Operation(summary = "Check the audit log's hash chain: intact with its head hash, or where it first breaks and how")
    @Get("/verify")
    AuditChain.Verdict verify() {
        return database.inTransaction(AuditChain::verify);
    }
}
