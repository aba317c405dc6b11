package dev.kestrel.api.security;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.config.SeedUser;
import dev.kestrel.api.store.Database;
import io.micronaut.context.annotation.Context;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the configured users that the database lacks, at start-up. Users already there are left alone: once
 * created, a user belongs to the admins, and a restart must not undo their changes.
 */
@Context
final class SeedUsers {
    private static final Logger LOG = LoggerFactory.getLogger(SeedUsers.class);

    SeedUsers(List<SeedUser> seeds, Database database, UserRepository users, AuditLog audit, Clock clock) {
        Instant now = clock.instant();
        for (SeedUser seed : seeds) {
            List<String> unknown = seed.roles().stream().filter(role -> !Roles.ALL.contains(role)).toList();
            if (!unknown.isEmpty()) {
                throw new IllegalStateException("kestrel.users." + seed.username() + " has unknown roles " + unknown);
            }
            boolean created = database.inTransaction(connection -> {
                boolean inserted = users.insert(connection, seed.username(), seed.displayName(), seed.email(), seed.passwordHash(),
                        seed.roles(), now);
                if (inserted) {
                    audit.record(connection, now, AuditLog.SYSTEM, "USER_CREATE", "user", seed.username(), null,
                            Map.of("username", seed.username(), "roles", seed.roles(), "source", "configuration"));
                }
                return inserted;
            });
            if (created) {
                LOG.info("Created user {} with roles {} from configuration", seed.username(), seed.roles());
            }
        }
    }
}
