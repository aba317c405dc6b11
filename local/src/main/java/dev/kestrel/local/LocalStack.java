package dev.kestrel.local;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineOption;
import dev.kestrel.kafka.LocalKafka;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import io.micronaut.context.ApplicationContext;
import io.micronaut.runtime.server.EmbeddedServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;

/**
 * {@code ./kestrel local}: the whole system on this machine, on embedded defaults. An in-process Kafka broker (KRaft)
 * with its topics, the early-warning job on a local MiniCluster with RocksDB, the alert API and desk page on a local
 * or embedded PostgreSQL, and the simulator feeding them. Everything it keeps lives in one folder; Ctrl-C stops it
 * all cleanly, and the next run resumes where this one stopped.
 */
public final class LocalStack implements AutoCloseable {
    /** What the local run needs to know; the defaults are what {@code ./kestrel local} uses. */
    public record Settings(Path home, int kafkaPort, int apiPort, String database, int borrowers, int rate, int days) {
        /** The defaults, with the ports taken from KESTREL_KAFKA_PORT and KESTREL_API_PORT when set. */
        static Settings defaults() {
            int kafkaPort = Integer.parseInt(System.getenv().getOrDefault("KESTREL_KAFKA_PORT", "9092"));
            int apiPort = Integer.parseInt(System.getenv().getOrDefault("KESTREL_API_PORT", "8080"));
            return new Settings(Path.of(".kestrel-local"), kafkaPort, apiPort, "kestrel_local", 2_000, 4_000, 365);
        }
    }

    private final Settings settings;
    private final List<AutoCloseable> started = new ArrayList<>();
    private LocalKafka kafka;
    private LocalDatabase database;
    private LocalJob job;
    private ApplicationContext api;
    private Simulator simulator;
    private Thread simulation;

    public LocalStack(Settings settings) {
        this.settings = settings;
    }

    public static void main(String[] args) throws Exception {
        Settings settings = Settings.defaults();
        LocalStack stack = new LocalStack(settings);
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            System.out.println();
            System.out.println("kestrel: stopping (simulator, job with a savepoint, API, store, broker) ...");
            stack.close();
            System.out.println("kestrel: stopped. Run ./kestrel local again to resume.");
            stopped.countDown();
        }, "kestrel-stop"));
        try {
            stack.start();
        } catch (RuntimeException e) {
            System.err.println("kestrel: " + e.getMessage());
            System.exit(1);
        }
        stack.printWelcome();
        stopped.await();
    }

    public void start() throws Exception {
        for (int port : List.of(settings.kafkaPort(), settings.kafkaPort() + 1, settings.apiPort())) {
            requireFree(port);
        }
        Path home = settings.home();
        Files.createDirectories(home);
        say("starting Kafka (KRaft, in-process) on localhost:" + settings.kafkaPort() + ", data in " + home.resolve("kafka"));
        kafka = remember(LocalKafka.start(home.resolve("kafka"), settings.kafkaPort()));
        createTopics();

        database = remember(LocalDatabase.open(home, settings.database()));
        say("alert store: " + database.description);

        // One approval key pair per run: the API signs what a checker publishes, the job takes only what it signed.
        ApprovalSignatures.Keys approvals = ApprovalSignatures.Keys.generate(APPROVAL_KEY_ID);
        EngineConfig config = EngineConfig.of(Map.of(
                "kafka.bootstrap-servers", kafka.bootstrapServers(),
                "rules.signing-keys", approvals.engineKeys(),
                "checkpoint.storage", home.resolve("checkpoints").toAbsolutePath().toUri().toString(),
                "checkpoint.interval", "5s",
                // The simulator compresses a year into minutes: one snapshot a day per borrower is enough history.
                "snapshot.min-interval", "1d"));
        job = remember(LocalJob.start(config, home));
        say("early-warning job running on a local Flink MiniCluster (RocksDB, checkpoints every 5 s in "
                + home.resolve("checkpoints") + ")" + (job.restoredFrom == null ? "" : ", resumed from " + job.restoredFrom));

        Map<String, Object> apiProperties = new LinkedHashMap<>();
        apiProperties.put("micronaut.server.port", settings.apiPort());
        apiProperties.put("micronaut.server.host", "127.0.0.1"); // a demo with public passwords: this machine only
        apiProperties.put("datasources.default.url", database.url);
        apiProperties.put("datasources.default.username", LocalDatabase.API);
        apiProperties.put("kestrel.database.owner.user", LocalDatabase.OWNER);
        apiProperties.put("datasources.default.password", "");
        apiProperties.put("kestrel.kafka.bootstrap-servers", kafka.bootstrapServers());
        apiProperties.put("micronaut.security.token.jwt.signatures.secret.generator.secret", randomTokenSecret());
        apiProperties.put("kestrel.signing.key-id", approvals.keyId());
        apiProperties.put("kestrel.signing.private-key", approvals.privateKey());
        // Not Micronaut.run: it adds a JVM shutdown hook of its own, which deadlocks with ours on Ctrl-C.
        EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, apiProperties, "local");
        api = server.getApplicationContext();
        started.add(api::close);
        say("alert API listening on http://localhost:" + settings.apiPort());

        startSimulator(approvals);
    }

    /** Every topic of the contract's catalogue: the engine's, and the limit decisions the API writes for the limit system. */
    private void createTopics() {
        for (dev.kestrel.contract.Topic topic : dev.kestrel.contract.Topic.values()) {
            kafka.ensureTopic(topic.defaultName(), 2, topic.compacted() ? Map.of("cleanup.policy", "compact") : Map.of());
        }
    }

    /** The simulator continues where the previous run stopped: same seed and start, the records already sent skipped. */
    private void startSimulator(ApprovalSignatures.Keys approvals) throws IOException {
        Path progressFile = settings.home().resolve("simulator.properties");
        Properties progress = new Properties();
        if (Files.exists(progressFile)) {
            try (InputStream in = Files.newInputStream(progressFile)) {
                progress.load(in);
            }
        } else {
            progress.setProperty("start", LocalDate.now(ZoneOffset.UTC).minusDays(settings.days()).toString());
            progress.setProperty("sent", "0");
        }
        long alreadySent = Long.parseLong(progress.getProperty("sent"));
        SimulatorOptions options = SimulatorOptions.parse("--bootstrap-servers", kafka.bootstrapServers(),
                "--borrowers", Integer.toString(settings.borrowers()), "--days", Integer.toString(settings.days()),
                "--start", progress.getProperty("start"), "--rate", Integer.toString(settings.rate()),
                "--skip", Long.toString(alreadySent),
                "--truth", settings.home().resolve("ground-truth.jsonl").toString(),
                // The simulated officers record their reviews as the desk would: signed with the run's approval key.
                "--review-signing-key", approvals.keyId() + "=" + approvals.privateKey(),
                "--outcomes", settings.home().resolve("outcomes.csv").toString());
        simulator = new Simulator(options, new PrintStream(OutputStream.nullOutputStream()));
        simulation = new Thread(() -> {
            Simulator.Summary summary = simulator.run();
            progress.setProperty("sent", Long.toString(summary.events()));
            try (var out = Files.newOutputStream(progressFile)) {
                progress.store(out, "kestrel local: simulator progress; delete the folder to start afresh");
            } catch (IOException e) {
                System.err.println("kestrel: could not save the simulator's progress: " + e.getMessage());
            }
        }, "simulator");
        simulation.start();
        say(String.format("simulator feeding %,d borrowers from %s %s%s", settings.borrowers(),
                progress.getProperty("start"), settings.rate() > 0 ? String.format("at up to %,d events/s", settings.rate())
                        : "as fast as it can",
                alreadySent == 0 ? "" : String.format(" (continuing after %,d records)", alreadySent)));
        started.add(() -> {
            simulator.stop();
            simulation.join();
        });
    }

    private void printWelcome() {
        System.out.println();
        System.out.println("Kestrel is running.");
        System.out.println("  Desk:    http://localhost:" + settings.apiPort() + "/");
        System.out.println("  API:     http://localhost:" + settings.apiPort() + "/api  (docs/api.md; log in with POST /login)");
        System.out.println("  Logins:  ana / ana-demo-password (analyst)      sue / sue-demo-password (supervisor)");
        System.out.println("           aud / aud-demo-password (auditor)      adm / adm-demo-password (admin)");
        System.out.println("           An analyst works the alerts of the borrowers they own: as sue, set owners on a borrower's");
        System.out.println("           page, or grant a portfolio and write routing rules under Set-up.");
        System.out.println("  Kafka:   " + kafka.bootstrapServers() + "   Store: " + database.description);
        System.out.println("  Data:    " + settings.home().toAbsolutePath() + " (delete it to start afresh)");
        System.out.println("Alerts reach the desk within about a minute. Ctrl-C stops everything; the next run resumes.");
    }

    /** Kafka ends the JVM when it cannot bind, so a taken port is found here first and named. */
    private static void requireFree(int port) {
        try (java.net.ServerSocket socket = new java.net.ServerSocket()) {
            socket.setReuseAddress(true);
            socket.bind(new java.net.InetSocketAddress("localhost", port));
        } catch (IOException taken) {
            throw new IllegalStateException("port " + port + " is in use: is another ./kestrel local still running? "
                    + "Stop it, or choose other ports with KESTREL_KAFKA_PORT (it takes the next port too) and "
                    + "KESTREL_API_PORT.");
        }
    }

    private <T extends AutoCloseable> T remember(T resource) {
        started.add(resource);
        return resource;
    }

    private static void say(String message) {
        System.out.println("kestrel: " + message);
    }

    /** Stops everything in the reverse order of starting: the simulator first, the broker last. */
    @Override
    public void close() {
        for (int i = started.size() - 1; i >= 0; i--) {
            try {
                started.get(i).close();
            } catch (Exception e) {
                System.err.println("kestrel: while stopping: " + e.getMessage());
            }
        }
        started.clear();
    }

    /** For tests: where the API listens and the broker. */
    public String kafkaBootstrapServers() {
        return kafka.bootstrapServers();
    }

    public ApplicationContext api() {
        return api;
    }

    public String jobStatus() {
        return job.jobStatus();
    }

    /** The savepoint or checkpoint the job resumed from, or null on a first run. */
    public String jobRestoredFrom() {
        return job.restoredFrom;
    }

    /** A token-signing secret for one local run: 48 random bytes, so tokens end with the run. */
    /** The id of the approval key the local run draws: a new pair each run, its public half given to the job. */
    static final String APPROVAL_KEY_ID = "local";

    public static String randomTokenSecret() {
        byte[] bytes = new byte[48];
        new java.security.SecureRandom().nextBytes(bytes);
        return java.util.Base64.getEncoder().encodeToString(bytes);
    }
}
