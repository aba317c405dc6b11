package dev.kestrel.api.audit;

import java.sql.Connection;
import java.sql.DriverManager;

/**
 * {@code ./kestrel audit-verify [JDBC URL] [user]}: checks the audit log's hash chain straight in the database, without
 * the API, and exits 0 when intact, 1 when broken. The password, if any, comes from KESTREL_DB_PASSWORD.
 */
public final class AuditVerify {
    private AuditVerify() {}

    public static void main(String[] args) throws Exception {
        System.exit(run(args, System.out));
    }

    /** Checks the chain and says so; 0 when intact, 1 when broken. */
    public static int run(String[] args, java.io.PrintStream out) throws java.sql.SQLException {
        String url = args.length > 0 ? args[0] : System.getenv().getOrDefault("KESTREL_DB_URL", "jdbc:postgresql://127.0.0.1:5432/kestrel");
        String user = args.length > 1 ? args[1] : System.getenv().getOrDefault("KESTREL_DB_USER", "kestrel_api");
        try (Connection connection = DriverManager.getConnection(url, user, System.getenv().getOrDefault("KESTREL_DB_PASSWORD", ""))) {
            connection.setAutoCommit(false);
            connection.setReadOnly(true);
            AuditChain.Verdict verdict = AuditChain.verify(connection);
            if (verdict.intact()) {
                out.printf("audit log intact: %,d rows chained, head %s%n", verdict.rows(), verdict.head());
            } else {
                out.printf("audit log BROKEN at row %d of the chain (audit id %d): %s; the %,d rows before it are intact%n",
                        verdict.brokenAtChainNo(), verdict.brokenAtId(), verdict.problem(), verdict.rows());
            }
            return verdict.intact() ? 0 : 1;
        }
    }
}
