package dev.kestrel.api;

import dev.kestrel.api.security.PasswordHasher;
import dev.kestrel.contract.TestSigningKeys;
import dev.kestrel.contract.Topic;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionSource;
import dev.kestrel.events.VersionStatus;
import dev.kestrel.events.VersionedKind;
import dev.kestrel.kafka.EmbeddedKafka;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MutableHttpRequest;
import io.micronaut.http.client.BlockingHttpClient;
import io.micronaut.http.client.exceptions.HttpClientResponseException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BooleanSupplier;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * What the API tests share: one in-process broker for the test JVM, a fresh database and fresh topic names per
 * test class, the desk's test users, and small helpers to call the API as one of them.
 */
public final class DeskTestSupport {
    /** Password of every test user: their name followed by this. */
    public static final String PASSWORD_SUFFIX = "-correct-horse";
    /** The tests' token-signing secret: 256 bits and more, and no known placeholder. */
    public static final String JWT_SECRET = "test-secret-that-is-long-enough-for-hs256-0123456789";
    public static final Map<String, String> USERS = Map.of(
            "ana", "analyst", "ben", "analyst", "sue", "supervisor", "sam", "supervisor", "aud", "auditor", "adm", "admin",
            "ada", "admin", "mon", "metrics");

    private static EmbeddedKafka kafka;
    private static final Map<String, String> HASHES = new ConcurrentHashMap<>();

    private DeskTestSupport() {}

    public static synchronized EmbeddedKafka kafka() {
        if (kafka == null) {
            kafka = EmbeddedKafka.start();
            // The JVM's last act: every application context of the tests is closed by then.
            Runtime.getRuntime().addShutdownHook(new Thread(kafka::close));
        }
        return kafka;
    }

    /** Topic names of one test class; the API and the test agree on them through these properties. */
    public record Topics(String alerts, String snapshots, String groupSnapshots, String recommendations, String profiles,
                         String groupLimits, String rules, String deadLetters, String scores, String scorecards,
                         String limitDecisions, String reviews, String repayments, String statements, String creditEvents,
                         String collateral, String ruleVersions, String instalments, String projects, String milestones,
                         String forecasts, String covenants) {
        static Topics fresh() {
            String suffix = UUID.randomUUID().toString().substring(0, 8);
            return new Topics("alerts-" + suffix, "snapshots-" + suffix, "group-snapshots-" + suffix,
                    "recommendations-" + suffix, "profiles-" + suffix, "group-limits-" + suffix,
                    "rules-" + suffix, "dead-letters-" + suffix, "scores-" + suffix, "scorecards-" + suffix,
                    "limit-decisions-" + suffix, "reviews-" + suffix, "repayments-" + suffix, "statements-" + suffix,
                    "credit-events-" + suffix, "collateral-" + suffix, "rule-versions-" + suffix, "instalments-" + suffix,
                    "projects-" + suffix, "project-milestones-" + suffix, "cash-flow-forecasts-" + suffix, "covenants-" + suffix);
        }
    }

    /** Everything a test application context needs: database, broker, topics, JWT secret and users. */
    public static Map<String, String> properties(String databaseUrl, Topics topics, String consumerGroup) {
        Map<String, String> properties = new HashMap<>();
        // A random port: a local run on 8080 must not break the tests.
        properties.put("micronaut.server.port", "-1");
        properties.put("datasources.default.url", databaseUrl);
        properties.put("datasources.default.username", TestDatabase.API);
        properties.put("kestrel.database.owner.user", TestDatabase.OWNER);
        properties.put("datasources.default.password", "");
        properties.put("kestrel.kafka.bootstrap-servers", kafka().bootstrapServers());
        properties.put("kestrel.kafka.consumer-group", consumerGroup);
        properties.put("kestrel.kafka.alerts-topic", topics.alerts());
        properties.put("kestrel.kafka.snapshots-topic", topics.snapshots());
        properties.put("kestrel.kafka.group-snapshots-topic", topics.groupSnapshots());
        properties.put("kestrel.kafka.recommendations-topic", topics.recommendations());
        properties.put("kestrel.kafka.profiles-topic", topics.profiles());
        properties.put("kestrel.kafka.group-limits-topic", topics.groupLimits());
        properties.put("kestrel.kafka.rules-topic", topics.rules());
        properties.put("kestrel.kafka.scores-topic", topics.scores());
        properties.put("kestrel.kafka.scorecards-topic", topics.scorecards());
        properties.put("kestrel.kafka.dead-letters-topic", topics.deadLetters());
        properties.put("kestrel.kafka.limit-decisions-topic", topics.limitDecisions());
        properties.put("kestrel.kafka.reviews-topic", topics.reviews());
        properties.put("kestrel.kafka.repayments-topic", topics.repayments());
        properties.put("kestrel.kafka.statements-topic", topics.statements());
        properties.put("kestrel.kafka.credit-events-topic", topics.creditEvents());
        properties.put("kestrel.kafka.collateral-topic", topics.collateral());
        properties.put("kestrel.kafka.rule-versions-topic", topics.ruleVersions());
        properties.put("kestrel.kafka.instalments-topic", topics.instalments());
        properties.put("kestrel.kafka.projects-topic", topics.projects());
        properties.put("kestrel.kafka.project-milestones-topic", topics.milestones());
        properties.put("kestrel.kafka.cash-flow-forecasts-topic", topics.forecasts());
        properties.put("kestrel.kafka.covenants-topic", topics.covenants());
        properties.put("micronaut.security.token.jwt.signatures.secret.generator.secret", JWT_SECRET);
        properties.put("kestrel.signing.key-id", TestSigningKeys.KEY_ID);
        properties.put("kestrel.signing.private-key", TestSigningKeys.PRIVATE_KEY);
        properties.put("kestrel.publication.retry-every", "1s");
        USERS.forEach((user, role) -> {
            properties.put("kestrel.users." + user + ".display-name", user.toUpperCase());
            properties.put("kestrel.users." + user + ".password-hash", HASHES.computeIfAbsent(user,
                    u -> PasswordHasher.hash(u + PASSWORD_SUFFIX)));
            properties.put("kestrel.users." + user + ".roles", role);
        });
        return properties;
    }

    public static Map<String, String> freshProperties(Topics topics) {
        kafka().createTopics(List.of(topics.alerts(), topics.snapshots(), topics.groupSnapshots(), topics.recommendations(),
                topics.profiles(), topics.groupLimits(), topics.rules(), topics.deadLetters(), topics.scores(),
                topics.scorecards(), topics.limitDecisions(), topics.reviews(), topics.repayments(), topics.statements(),
                topics.creditEvents(), topics.collateral(), topics.ruleVersions(), topics.instalments(), topics.projects(),
                topics.milestones(), topics.forecasts(), topics.covenants()), 2, Map.of());
        return properties(TestDatabase.createMigrated(), topics, "api-" + UUID.randomUUID());
    }

    /** Sends records to a topic, keyed as the engine keys them. */
    public static void send(String topic, List<? extends SpecificRecordBase> records) {
        WireCodec codec = new WireCodec();
        kafka().send(topic, records.stream().map(record -> new ProducerRecord<>(topic,
                key(record).getBytes(StandardCharsets.UTF_8), codec.encode(record))).toList());
    }

    /** Sends records under one key, so that they land on one partition and the API reads them in this order. */
    public static void sendInOrder(String topic, String key, List<? extends SpecificRecordBase> records) {
        WireCodec codec = new WireCodec();
        kafka().send(topic, records.stream().map(record -> new ProducerRecord<>(topic,
                key.getBytes(StandardCharsets.UTF_8), codec.encode(record))).toList());
    }

    /** What the job reports it did with rule and scorecard versions, on the topic it writes, keyed as it keys them. */
    public static void jobReports(Topics topics, RuleVersionStatus... reports) {
        WireCodec codec = new WireCodec();
        kafka().send(topics.ruleVersions(), java.util.Arrays.stream(reports).map(report -> new ProducerRecord<>(topics.ruleVersions(),
                Topic.RULE_VERSIONS.keyOf(report).getBytes(StandardCharsets.UTF_8), codec.encode(report))).toList());
    }

    /** A version the job takes and runs: from its pack ({@code inForceFrom} null) or published. */
    public static RuleVersionStatus inForce(VersionedKind kind, String id, int version, @Nullable Instant inForceFrom) {
        VersionSource source = inForceFrom == null ? VersionSource.PACK : VersionSource.PUBLISHED;
        return RuleVersionStatus.newBuilder().setKind(kind).setId(id).setVersion(version).setStatus(VersionStatus.IN_FORCE)
                .setSource(source).setInForceFrom(inForceFrom)
                .setRunning(VersionRunning.newBuilder().setVersion(version).setSource(source).setInForceFrom(inForceFrom).build())
                .build();
    }

    /** A version the job refuses, and the version it runs instead. */
    public static RuleVersionStatus refused(VersionedKind kind, String id, int version, String reason, VersionRunning running) {
        return RuleVersionStatus.newBuilder().setKind(kind).setId(id).setVersion(version).setStatus(VersionStatus.REFUSED)
                .setSource(VersionSource.PUBLISHED).setReason(reason).setRunning(running).build();
    }

    private static String key(SpecificRecordBase record) {
        for (String field : List.of("alertId", "borrowerId", "groupId", "ruleId")) {
            if (record.getSchema().getField(field) != null) {
                return String.valueOf(record.get(field));
            }
        }
        return "";
    }

    /** Waits up to the timeout for the condition; fails with the message if it does not come true. */
    public static void eventually(Duration timeout, String what, BooleanSupplier condition) {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (condition.getAsBoolean()) {
                return;
            }
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError(e);
            }
        }
        throw new AssertionError("not within " + timeout + ": " + what);
    }

    /** Calls the API as a test user, with tokens cached per user. */
    public static final class Desk {
        private final BlockingHttpClient http;
        private final Map<String, String> tokens = new ConcurrentHashMap<>();

        public Desk(BlockingHttpClient http) {
            this.http = http;
        }

        public String token(String user) {
            return tokens.computeIfAbsent(user, u -> {
                HttpResponse<Map<String, Object>> login = http.exchange(HttpRequest.POST("/login",
                        Map.of("username", u, "password", u + PASSWORD_SUFFIX)), Argument.mapOf(String.class, Object.class));
                return (String) login.body().get("access_token");
            });
        }

        /** Sends the request as the user (null: anonymously); a 4xx or 5xx comes back as a response, not thrown. */
        public <T> HttpResponse<T> call(String user, MutableHttpRequest<?> request, Argument<T> body) {
            if (user != null) {
                request.bearerAuth(token(user));
            }
            try {
                return http.exchange(request, body, Argument.of(String.class));
            } catch (HttpClientResponseException e) {
                @SuppressWarnings("unchecked")
                HttpResponse<T> response = (HttpResponse<T>) e.getResponse();
                return response;
            }
        }

        public <T> T get(String user, String path, Argument<T> body) {
            HttpResponse<T> response = call(user, HttpRequest.GET(path), body);
            if (response.code() != 200) {
                throw new AssertionError("GET " + path + " as " + user + " answered " + response.code() + ": "
                        + response.getBody(String.class).orElse(""));
            }
            return response.body();
        }

        public Map<String, Object> getJson(String user, String path) {
            return get(user, path, Argument.mapOf(String.class, Object.class));
        }

        /** A desk action on an alert (assign, acknowledge, escalate, resolve, comments), with If-Match when given. */
        public HttpResponse<String> act(String user, String alertId, String action, Object body, Integer ifMatch) {
            MutableHttpRequest<Object> request = HttpRequest.POST("/api/alerts/" + alertId + "/" + action, body);
            if (ifMatch != null) {
                request.header("If-Match", "\"" + ifMatch + "\"");
            }
            return call(user, request, Argument.of(String.class));
        }

        /** Sends the engine's alert and waits until the desk shows it. */
        public String raise(String alertsTopic, org.apache.avro.specific.SpecificRecordBase alert, String alertId) {
            send(alertsTopic, List.of(alert));
            eventually(java.time.Duration.ofSeconds(20), alertId + " arrives", () ->
                    call("sue", HttpRequest.GET("/api/alerts/" + alertId), Argument.of(String.class)).code() == 200);
            return alertId;
        }

        /** A supervisor lets the analyst act on the whole book, for tests whose subject is not the portfolio. */
        public void grantWholeBook(String analyst) {
            Map<String, Object> grant = Map.of("grantee", analyst, "scope", "ALL", "reason", "test of the workflow, not of portfolios");
            HttpResponse<String> granted = call("sue", HttpRequest.POST("/api/portfolio-grants", grant), Argument.of(String.class));
            if (granted.code() != 201) {
                throw new AssertionError("granting " + analyst + " the book answered " + granted.code() + ": "
                        + granted.getBody(String.class).orElse(""));
            }
        }
    }
}
