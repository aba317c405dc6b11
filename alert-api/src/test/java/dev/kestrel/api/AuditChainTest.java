package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.api.audit.AuditChain;
import dev.kestrel.contract.Samples;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.inject.Inject;
import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import javax.sql.DataSource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;

/**
 * The audit log is tamper-evident: each row's hash chains to the row before, so a row rewritten, removed or slipped
 * in, even by someone who can switch the append-only trigger off, breaks the chain where it happened, and the verify
 * endpoint says where.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class AuditChainTest extends DeskTest {
    @Inject
    DataSource dataSource;
    @io.micronaut.context.annotation.Value("${datasources.default.url}")
    String databaseUrl;

    /** What ./kestrel audit-verify prints and exits with, against this test's database. */
    private String auditVerify(int expectedExit) throws SQLException {
        java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
        int exit = dev.kestrel.api.audit.AuditVerify.run(new String[] {databaseUrl, "postgres"},
                new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
        assertThat(exit).isEqualTo(expectedExit);
        return out.toString(java.nio.charset.StandardCharsets.UTF_8);
    }

    @BeforeAll
    void someAuditedActions() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile()));
        DeskTestSupport.eventually(Duration.ofSeconds(20), "the borrower arrives", () -> desk.call("sue",
                HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(String.class)).code() == 200);
        for (int i = 0; i < 4; i++) {
            desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(String.class)); // VIEW_PERSONAL_DATA
        }
        desk.call(null, HttpRequest.POST("/login", java.util.Map.of("username", "ana", "password", "wrong-wrong-wrong")),
                Argument.of(String.class)); // LOGIN_FAILED
    }

    private AuditChain.Verdict verify() {
        return desk.get("aud", "/api/audit/verify", Argument.of(AuditChain.Verdict.class));
    }

    /** Runs SQL as the tables' owner can (the API's own role cannot), with the append-only trigger switched off for it. */
    private void tamper(String sql) throws SQLException {
        try (Connection connection = java.sql.DriverManager.getConnection(databaseUrl, TestDatabase.OWNER, "");
             var statement = connection.createStatement()) {
            statement.execute("ALTER TABLE audit_log DISABLE TRIGGER audit_log_append_only");
            statement.execute(sql);
            statement.execute("ALTER TABLE audit_log ENABLE TRIGGER audit_log_append_only");
        }
    }

    @Test
    @Order(1)
    void anUntouchedLogVerifiesWithItsHeadAndARewrittenRowIsFoundWhereItWasRewritten() throws SQLException {
        AuditChain.Verdict intact = verify();
        assertThat(intact.intact()).as(intact.toString()).isTrue();
        assertThat(intact.rows()).isGreaterThanOrEqualTo(6);
        assertThat(intact.head()).hasSize(64);
        assertThat(auditVerify(0)).startsWith("audit log intact: ").contains(intact.head());

        String actor;
        try (Connection connection = dataSource.getConnection(); var select = connection.createStatement();
             var row = select.executeQuery("SELECT actor FROM audit_log WHERE chain_no = 3")) {
            row.next();
            actor = row.getString(1);
        }
        tamper("UPDATE audit_log SET actor = 'nobody' WHERE chain_no = 3");

        AuditChain.Verdict broken = verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.brokenAtChainNo()).isEqualTo(3);
        assertThat(broken.problem()).isEqualTo("its content does not hash to its hash: it was changed");
        assertThat(broken.rows()).as("the rows before it are intact").isEqualTo(2);
        assertThat(auditVerify(1)).startsWith("audit log BROKEN at row 3 of the chain");
        tamper("UPDATE audit_log SET actor = '" + actor + "' WHERE chain_no = 3"); // put back: the chain holds again
        AuditChain.Verdict restored = verify();
        assertThat(restored.intact()).as(restored.toString()).isTrue();

        // A row slipped in through the trigger, with an id from a gap so that it lists among older rows: chained, but
        // its id is out of place.
        try (Connection connection = dataSource.getConnection(); var statement = connection.createStatement()) {
            statement.execute("INSERT INTO audit_log (id, at, actor, action, target_type, target_id) "
                    + "VALUES (-1, now(), 'forger', 'ALERT_RESOLVE', 'alert', 'x')");
        }
        AuditChain.Verdict forged = verify();
        assertThat(forged.intact()).isFalse();
        assertThat(forged.brokenAtId()).isEqualTo(-1L);
        assertThat(forged.problem()).isEqualTo("its id is not above the id of the row before it");
        tamper("DELETE FROM audit_log WHERE id = -1"); // the last row: taking it away leaves the chain as it was
        assertThat(verify().intact()).isTrue();
    }

    @Test
    @Order(2)
    void aRemovedRowOrARowWithItsHashRecomputedIsFound() throws SQLException {
        long rows = verify().rows();
        tamper("UPDATE audit_log SET actor = 'nobody', hash = audit_row_hash(prev_hash, id, chain_no, at, 'nobody', action, "
                + "target_type, target_id, before, after) WHERE chain_no = " + rows);
        assertThat(verify().intact()).as("the last row rewritten with its hash recomputed: nothing after it to tell")
                .isTrue();
        desk.call("sue", HttpRequest.GET("/api/borrowers/B-1001"), Argument.of(String.class)); // one more row chains to it
        assertThat(verify().intact()).as("the head an auditor noted before no longer matches, but the chain itself holds")
                .isTrue();

        tamper("DELETE FROM audit_log WHERE chain_no = 2");

        AuditChain.Verdict broken = verify();
        assertThat(broken.intact()).isFalse();
        assertThat(broken.brokenAtChainNo()).isEqualTo(3);
        assertThat(broken.problem()).isEqualTo("rows 2 to 2 of the chain are missing");
    }
}
