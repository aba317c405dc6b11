package dev.kestrel.api.store;

import io.micronaut.context.annotation.Value;
import io.micronaut.context.event.BeanCreatedEvent;
import io.micronaut.context.event.BeanCreatedEventListener;
import jakarta.inject.Singleton;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;

/**
 * Before anyone uses the API's data source: migrates the store as its owner when {@code kestrel.database.owner.user}
 * is set, then refuses to start if the API's own role could rewrite the audit log (see {@link StoreMigration}).
 */
@Singleton
final class MigrateOnStart implements BeanCreatedEventListener<DataSource> {
    private final String apiUrl;
    private final String apiRole;
    private final String ownerUrl;
    private final String owner;
    private final String ownerPassword;
    /** Once, before the first of the API's two pools (the requests' and the background's) serves anyone. */
    private boolean migrated;

    MigrateOnStart(@Value("${datasources.default.url}") String apiUrl, @Value("${datasources.default.username}") String apiRole,
                   @Value("${kestrel.database.owner.url:}") String ownerUrl, @Value("${kestrel.database.owner.user:}") String owner,
                   @Value("${kestrel.database.owner.password:}") String ownerPassword) {
        this.apiUrl = apiUrl;
        this.apiRole = apiRole;
        this.ownerUrl = ownerUrl;
        this.owner = owner;
        this.ownerPassword = ownerPassword;
    }

    @Override
    public synchronized DataSource onCreated(BeanCreatedEvent<DataSource> event) {
        if (!owner.isBlank() && !migrated) {
            StoreMigration.migrate(ownerUrl.isBlank() ? apiUrl : ownerUrl, owner, ownerPassword, apiRole);
        }
        migrated = true;
        DataSource dataSource = event.getBean();
        String problem;
        try (Connection connection = dataSource.getConnection()) {
            problem = StoreMigration.roleProblem(connection);
        } catch (SQLException e) {
            throw new IllegalStateException("the alert API does not start: cannot check its database role: " + e.getMessage(), e);
        }
        if (problem != null) {
            throw new IllegalStateException("the alert API does not start: " + problem + "; connect it as a role that owns "
                    + "nothing (docs/operations.md, \"Database roles\")");
        }
        return dataSource;
    }
}
