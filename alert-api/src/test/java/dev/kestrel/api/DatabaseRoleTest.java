package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.api.store.StoreMigration;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The API refuses a database role that could rewrite the audit log, and the migration refuses to make one. */
class DatabaseRoleTest {
    private static final String URL = TestDatabase.create();

    private static Map<String, Object> connectingAs(String role) {
        Map<String, Object> properties = new HashMap<>(DeskTestSupport.properties(URL, DeskTestSupport.Topics.fresh(), "unused"));
        properties.put("kestrel.kafka.enabled", false);
        properties.remove("kestrel.database.owner.user");
        properties.put("datasources.default.username", role);
        return properties;
    }

    @Test
    void theApiDoesNotStartAsTheTablesOwnerNorAsASuperuser() {
        StoreMigration.migrate(URL, TestDatabase.OWNER, "", TestDatabase.API);

        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, connectingAs(TestDatabase.OWNER)))
                .hasStackTraceContaining("the alert API does not start: its database role kestrel_test_owner owns")
                .hasStackTraceContaining("so it could switch the audit log's triggers off");
        assertThatThrownBy(() -> ApplicationContext.run(EmbeddedServer.class, connectingAs(TestDatabase.USER)))
                .hasStackTraceContaining("the alert API does not start: its database role " + TestDatabase.USER + " is a superuser");
    }

    @Test
    void theMigrationRefusesToGrantTheApiRoleToTheOwner() {
        assertThatThrownBy(() -> StoreMigration.migrate(URL, TestDatabase.OWNER, "", TestDatabase.OWNER))
                .hasMessageContaining("is the role that owns the tables; give the API a role of its own");
        assertThatThrownBy(() -> StoreMigration.migrate(URL, TestDatabase.OWNER, "", "api; DROP TABLE audit_log"))
                .hasMessageContaining("must be a plain lower-case name");
    }
}
