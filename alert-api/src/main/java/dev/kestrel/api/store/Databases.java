package dev.kestrel.api.store;

import io.micronaut.context.annotation.Factory;
import io.micronaut.context.annotation.Primary;
import jakarta.inject.Named;
import jakarta.inject.Singleton;
import javax.sql.DataSource;

/**
 * The requests' database and the background work's, each on its own pool ({@code datasources.default} and
 * {@code datasources.background}). Background work holds a connection for long at times: the feed under a backlog, the
 * publication outbox while a broker is slow to acknowledge, the audit chain's check while it hashes the whole log. On a
 * pool of its own it does not leave other requests waiting for a connection, so the requests' pool can stay as small
 * as the database's cores want (docs/operations.md).
 */
@Factory
final class Databases {
    @Singleton
    @Primary
    Database requests(DataSource dataSource) {
        return new Database(dataSource);
    }

    @Singleton
    @Named(Database.BACKGROUND)
    Database background(@Named(Database.BACKGROUND) DataSource dataSource) {
        return new Database(dataSource);
    }
}
