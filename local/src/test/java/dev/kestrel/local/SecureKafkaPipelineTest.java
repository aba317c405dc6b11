package dev.kestrel.local;

import static dev.kestrel.local.DeskCalls.eventually;
import static dev.kestrel.local.DeskCalls.openAlerts;
import static dev.kestrel.local.DeskCalls.token;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.KafkaClientSecurity;
import dev.kestrel.contract.Samples;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineOption;
import dev.kestrel.kafka.SecureKafka;
import dev.kestrel.simulator.Simulator;
import dev.kestrel.simulator.SimulatorOptions;
import io.micronaut.context.ApplicationContext;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.MediaType;
import io.micronaut.http.client.HttpClient;
import io.micronaut.runtime.server.EmbeddedServer;
import java.net.URL;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The whole pipeline through a broker that speaks only TLS with client certificates and SASL: an upstream producer
 * (the simulator) signs in with OAUTHBEARER, the engine and the alert API with SCRAM-SHA-512, each from its own Kafka
 * client config. Events become alerts on the desk, and a rule the desk publishes reaches the topic. A client without
 * credentials the broker knows gets nothing.
 */
class SecureKafkaPipelineTest {
    @TempDir
    Path home;

    @Test
    void eventsBecomeAlertsAndRulesArePublishedOverTlsAndSaslOnly() throws Exception {
        try (SecureKafka kafka = SecureKafka.start(home.resolve("kafka"))) {
            kafka.addScramUser("kestrel-engine", "engine-password-1");
            kafka.addScramUser("kestrel-alert-api", "api-password-1");
            EngineConfig defaults = EngineConfig.defaults();
            for (EngineOption<String> topic : EngineConfig.TOPICS) {
                kafka.createTopic(defaults.get(topic), 2, EngineConfig.COMPACTED_TOPICS.contains(topic)
                        ? Map.of("cleanup.policy", "compact") : Map.of());
            }

            assertRefused(kafka.bootstrapServers(), Map.of(), "a plaintext client");
            assertRefused(kafka.bootstrapServers(), KafkaClientSecurity.read(
                    kafka.scramClientConfig("kestrel-engine", "a-wrong-password").toString()), "a wrong password");

            ApprovalSignatures.Keys approvals = ApprovalSignatures.Keys.generate(LocalStack.APPROVAL_KEY_ID);
            EngineConfig config = EngineConfig.of(Map.of(
                    "kafka.bootstrap-servers", kafka.bootstrapServers(),
                    "kafka.client-config", kafka.scramClientConfig("kestrel-engine", "engine-password-1").toString(),
                    "rules.signing-keys", approvals.engineKeys(),
                    "checkpoint.storage", home.resolve("checkpoints").toUri().toString(),
                    "checkpoint.interval", "1s",
                    "events.source-idleness", "1s"));
            try (LocalJob job = LocalJob.start(config, home);
                 LocalDatabase database = LocalDatabase.open(home, "kestrel_secure_" + Long.toHexString(System.nanoTime()))) {
                Map<String, Object> api = new LinkedHashMap<>();
                api.put("micronaut.server.port", -1);
                api.put("datasources.default.url", database.url);
                api.put("datasources.default.username", LocalDatabase.API);
                api.put("kestrel.database.owner.user", LocalDatabase.OWNER);
                api.put("kestrel.kafka.bootstrap-servers", kafka.bootstrapServers());
                api.put("kestrel.kafka.client-config", withCredentialsFromAMountedSecret(
                        kafka.scramClientConfig("kestrel-alert-api", "api-password-1")).toString());
                api.put("micronaut.security.token.jwt.signatures.secret.generator.secret", LocalStack.randomTokenSecret());
                api.put("kestrel.signing.key-id", approvals.keyId());
                api.put("kestrel.signing.private-key", approvals.privateKey());
                try (EmbeddedServer server = ApplicationContext.run(EmbeddedServer.class, api, "local");
                     HttpClient http = HttpClient.create(new URL("http://localhost:" + server.getPort()))) {
                    new Simulator(SimulatorOptions.parse("--bootstrap-servers", kafka.bootstrapServers(),
                            "--kafka-config", kafka.oauthClientConfig("upstream-core-banking").toString(),
                            "--borrowers", "60", "--days", "60", "--deteriorating", "0.4", "--start", "2026-06-01"),
                            new java.io.PrintStream(java.io.OutputStream.nullOutputStream())).run();

                    String sue = token(http, "sue");
                    eventually(Duration.ofMinutes(3), "alerts reach the desk through the secured broker",
                            () -> openAlerts(http, sue) >= 3);

                    // Maker and checker; the API's publisher writes the signed version over TLS and SASL.
                    String rule = dev.kestrel.contract.JsonLines.write(dev.kestrel.events.Rule.newBuilder(Samples.rule())
                            .setVersion(2).build());
                    http.toBlocking().exchange(HttpRequest.POST("/api/rules/proposals", rule)
                            .contentType(MediaType.APPLICATION_JSON_TYPE).bearerAuth(sue), String.class);
                    String reviewed = null;
                    for (io.micronaut.json.tree.JsonNode version : http.toBlocking().retrieve(HttpRequest.GET("/api/rules/REPAY-DPD-30")
                            .bearerAuth(sue), io.micronaut.json.tree.JsonNode.class).get("versions").values()) {
                        if (version.get("version").getIntValue() == 2) {
                            reviewed = version.get("contentSha256").getStringValue(); // what the checker read
                        }
                    }
                    HttpResponse<String> published = http.toBlocking().exchange(HttpRequest.POST(
                            "/api/rules/REPAY-DPD-30/versions/2/publish?reviewed=" + reviewed, "").bearerAuth(token(http, "adm")),
                            String.class);
                    assertThat(published.code()).as("the rules topic took it").isEqualTo(200);
                }
                assertThat(job.jobStatus()).isEqualTo("RUNNING");
            }
        }
    }

    /**
     * The API's config as the Kubernetes manifests write it (deploy/kubernetes/kafka-clients.yaml): the credentials
     * are not in the file but in a folder mounted from the user's Secret, read through Kafka's DirectoryConfigProvider.
     */
    private Path withCredentialsFromAMountedSecret(Path config) throws java.io.IOException {
        Path secret = java.nio.file.Files.createDirectories(home.resolve("kafka-user"));
        java.util.List<String> lines = new java.util.ArrayList<>();
        for (String line : java.nio.file.Files.readAllLines(config)) {
            if (line.startsWith("sasl.jaas.config=")) {
                java.nio.file.Files.writeString(secret.resolve("sasl.jaas.config"), line.substring("sasl.jaas.config=".length()));
                lines.add("sasl.jaas.config=${directory:" + secret + ":sasl.jaas.config}");
            } else {
                lines.add(line);
            }
        }
        lines.add("config.providers=directory");
        lines.add("config.providers.directory.class=org.apache.kafka.common.config.provider.DirectoryConfigProvider");
        return java.nio.file.Files.write(home.resolve("alert-api-kafka.properties"), lines);
    }

    /** A client the broker must turn away: it learns nothing about the cluster. */
    private static void assertRefused(String bootstrap, Map<String, String> security, String who) {
        Map<String, Object> settings = new HashMap<>(security);
        settings.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        settings.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 4000);
        settings.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 3000);
        try (Admin admin = Admin.create(settings)) {
            assertThatThrownBy(() -> admin.describeCluster().clusterId().get(5, TimeUnit.SECONDS)).as(who).isNotNull();
        }
    }

}
