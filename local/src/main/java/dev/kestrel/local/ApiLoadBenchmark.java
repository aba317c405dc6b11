package dev.kestrel.local;

import dev.kestrel.contract.ApprovalSignatures;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The alert API under load, as the desk uses it: the alert list (with filters and sorts) and the customer 360 view,
 * at a fixed offered rate, over a store of 1,000,000 alerts for 100,000 borrowers in PostgreSQL. The load comes from
 * a second JVM on loopback ({@link ApiLoad}), open-loop, so a slow answer does not slow the load down and hide itself.
 * Usage: {@code ./kestrel bench api [requests/s] [seconds] [warm-up seconds]}. The warm-up (60 s unless given) runs at
 * the offered rate and is not measured: on 2 cores the API's JIT compiler still takes a third of its JVM's CPU a minute
 * in, and a production API has long finished compiling.
 */
public final class ApiLoadBenchmark {
    static final int ALERTS = 1_000_000;
    static final int BORROWERS = 100_000;
    private static final String POOL_SIZE = "datasources.default.maximum-pool-size";

    public static void main(String[] args) throws Exception {
        int rate = args.length > 0 ? Integer.parseInt(args[0]) : 500;
        int seconds = args.length > 1 ? Integer.parseInt(args[1]) : 60;
        int warmUp = args.length > 2 ? Integer.parseInt(args[2]) : 60;
        Path home = Files.createDirectories(Path.of(System.getProperty("java.io.tmpdir"), "kestrel-api-bench"));
        try (LocalDatabase database = LocalDatabase.open(home, "kestrel_api_bench")) {
            int port = freePort();
            Map<String, Object> properties = new LinkedHashMap<>();
            properties.put("micronaut.server.port", port);
            properties.put("datasources.default.url", database.url);
            properties.put("datasources.default.username", LocalDatabase.API);
            properties.put("kestrel.database.owner.user", LocalDatabase.OWNER);
            properties.put("datasources.default.password", "");
            properties.put("kestrel.kafka.enabled", false); // the store is loaded directly; no feed
            // Sized as docs/operations.md advises, about twice the database's cores: here it shares this machine's.
            String pool = System.getProperty(POOL_SIZE, Integer.toString(2 * Runtime.getRuntime().availableProcessors()));
            properties.put(POOL_SIZE, pool);
            properties.put("micronaut.security.token.jwt.signatures.secret.generator.secret", LocalStack.randomTokenSecret());
            ApprovalSignatures.Keys approvals = ApprovalSignatures.Keys.generate(LocalStack.APPROVAL_KEY_ID);
            properties.put("kestrel.signing.key-id", approvals.keyId());
            properties.put("kestrel.signing.private-key", approvals.privateKey());
            try (ApplicationContext api = ApplicationContext.run(EmbeddedServer.class, properties, "local").getApplicationContext()) {
                long loadStarted = System.nanoTime();
                boolean loaded = load(database);
                System.out.printf(Locale.ROOT, "%s: %,d alerts for %,d borrowers in %s (%.0f s)%n", loaded ? "Loaded" : "Found",
                        ALERTS, BORROWERS, database.description, (System.nanoTime() - loadStarted) / 1e9);
                System.out.printf(Locale.ROOT, "The API's requests use %s connections to PostgreSQL (%s)%n", pool, POOL_SIZE);
                String base = "http://localhost:" + port;
                String token = login(base);
                Process load = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-Xmx1g", "-cp", System.getProperty("java.class.path"), ApiLoad.class.getName(), base, token,
                        Integer.toString(rate), Integer.toString(seconds), Integer.toString(BORROWERS), Integer.toString(warmUp))
                        .inheritIO().start();
                if (load.waitFor() != 0) {
                    throw new IllegalStateException("the load generator failed");
                }
            }
        }
    }

    /** Fills the store once with generated rows (SQL, no API): 100,000 borrowers with snapshots and a year of history. */
    private static boolean load(LocalDatabase database) throws Exception {
        try (Connection connection = DriverManager.getConnection(database.url, database.user, "");
             Statement sql = connection.createStatement()) {
            try (ResultSet count = sql.executeQuery("SELECT count(*) FROM alert")) {
                count.next();
                if (count.getLong(1) >= ALERTS) {
                    settle(sql);
                    return false;
                }
            }
            sql.execute("TRUNCATE alert_history, alert_comment, alert, indicator_history, borrower_snapshot, borrower");
            sql.execute("""
                    INSERT INTO borrower SELECT 'B-' || g, 'Borrower ' || g || ' Co., Ltd.', '91310000MA1K' || lpad(g::text, 6, '0'),
                        'Li Ming', '310101198001010011', '13800000001', chr(65 + g %% 20), 'CN-' || (g %% 31),
                        'G-' || (g / 20), 'BBB', 'MID_CORPORATE',
                        '[{"facilityId":"F-1","type":"TERM_LOAN","currency":"CNY","limitMinor":500000000,"drawnMinor":320000000}]',
                        now() - interval '30 days'
                    FROM generate_series(0, %d) g""".formatted(BORROWERS - 1));
            sql.execute("""
                    INSERT INTO borrower_snapshot SELECT 'B-' || g, 'G-' || (g / 20), now(), 'BBB', 'INVESTMENT_GRADE', 'QUALITY', 1,
                        'NORMAL', 'STANDARD', false, 0, 320000000, 500000000, 'CNY', '[]',
                        '{"inflow30d": 2000000000, "inflowBaseline30d": 2100000000, "limitUtilisation": 6400, "daysPastDue": 0}', '[]'
                    FROM generate_series(0, %d) g""".formatted(BORROWERS - 1));
            sql.execute("""
                    INSERT INTO indicator_history SELECT 'B-' || g, now() - w * interval '7 days', 0, 320000000, 500000000,
                        '{"inflow30d": 2000000000, "inflowBaseline30d": 2100000000, "limitUtilisation": 6400}'
                    FROM generate_series(0, %d) g, generate_series(0, 51) w""".formatted(BORROWERS - 1));
            String[] severities = {"INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL"};
            String[] statuses = {"NEW", "ASSIGNED", "ACKNOWLEDGED", "ESCALATED", "RESOLVED"};
            sql.execute("""
                    INSERT INTO alert (alert_id, scope, borrower_id, group_id, rule_id, rule_version, category, severity, severity_rank,
                        title, explanation, lifecycle, episode_started_at, event_time, detected_at, status, assignee, sla_due_at,
                        received_at, updated_at, sla_breach_notified_for)
                    SELECT 'A-' || g, 'BORROWER', 'B-' || (g %% %d), 'G-' || ((g %% %d) / 20), 'REPAY-ARREARS', 1, 'REPAYMENT',
                        (ARRAY%s)[1 + g %% 5], g %% 5, 'Material arrears',
                        '{"summary":"Material arrears: materialDaysPastDue 31 days > 30 days.","inputs":[],"triggeringEvents":[]}',
                        'OPENED', t, t, t, (ARRAY%s)[1 + (g / 7) %% 5], CASE WHEN g %% 3 = 0 THEN 'ana' END, t + interval '1 day', t, t,
                        -- a year of history: its breaches were notified long ago, not during the measurement
                        CASE WHEN t + interval '1 day' <= now() THEN t + interval '1 day' END
                    FROM generate_series(0, %d) g, LATERAL (SELECT now() - (g %% 525600) * interval '1 minute' AS t) at""".formatted(
                    BORROWERS, BORROWERS, toSqlArray(severities), toSqlArray(statuses), ALERTS - 1));
            settle(sql);
            return true;
        }
    }

    /**
     * Measures the store as a settled database, as autovacuum leaves it in production, not as rows just bulk-loaded:
     * until a vacuum, the first reads of each page set its hint bits and write it back, and the visibility map is
     * empty. On a fresh load that gave a p99 of 6.3 s at 250 requests/s; after a two-second VACUUM, 13 ms.
     */
    private static void settle(Statement sql) throws Exception {
        sql.execute("VACUUM (ANALYZE)");
    }

    private static String toSqlArray(String[] values) {
        return "[" + String.join(",", java.util.Arrays.stream(values).map(v -> "'" + v + "'").toList()) + "]";
    }

    private static String login(String base) throws Exception {
        HttpResponse<String> response = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create(base + "/login"))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"username\":\"ana\",\"password\":\"ana-demo-password\"}")).build(),
                HttpResponse.BodyHandlers.ofString());
        String body = response.body();
        int at = body.indexOf("\"access_token\":\"");
        if (response.statusCode() != 200 || at < 0) {
            throw new IllegalStateException("login failed: " + response.statusCode() + " " + body);
        }
        return body.substring(at + 16, body.indexOf('"', at + 16));
    }

    private static int freePort() throws Exception {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    private ApiLoadBenchmark() {}
}
