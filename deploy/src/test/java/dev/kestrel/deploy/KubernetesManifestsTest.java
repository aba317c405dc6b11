package dev.kestrel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/** deploy/kubernetes parsed, and the fields that make it run checked against the engine and the API. */
class KubernetesManifestsTest {

    @Test
    void everyDocumentIsAKnownResourceInTheEnginesNamespaces() {
        List<JsonNode> resources = Manifests.kubernetes();

        assertThat(resources).extracting(d -> d.path("kind").asText()).as("no Secret: they are created at install")
                .containsOnly("Namespace", "ConfigMap", "FlinkDeployment", "KafkaTopic", "Deployment", "Service");
        for (JsonNode resource : resources) {
            assertThat(resource.path("apiVersion").asText()).as(resource.path("kind").asText()).isNotBlank();
            assertThat(resource.path("metadata").path("name").asText()).isNotBlank();
            if (!resource.path("kind").asText().equals("Namespace")) {
                assertThat(resource.path("metadata").path("namespace").asText()).isIn("kestrel", "kafka");
            }
        }
    }

    @Test
    void theFlinkDeploymentRunsTheJobJarWithSavepointUpgradesRocksDbHighAvailabilityAndPrometheus() {
        JsonNode flink = Manifests.resource("FlinkDeployment", "kestrel-early-warning");
        JsonNode spec = flink.path("spec");
        JsonNode conf = spec.path("flinkConfiguration");
        JsonNode job = spec.path("job");

        assertThat(flink.path("apiVersion").asText()).isEqualTo("flink.apache.org/v1beta1");
        assertThat(spec.path("image").asText()).isEqualTo("ghcr.io/kestrel-ews/kestrel-job:0.1.0");
        assertThat(spec.path("flinkVersion").asText()).isEqualTo("v2_2");
        assertThat(job.path("upgradeMode").asText()).isEqualTo("savepoint");
        assertThat(job.path("state").asText()).isEqualTo("running");
        assertThat(job.path("allowNonRestoredState").asBoolean(true)).as("a savepoint must restore whole").isFalse();
        assertThat(job.path("jarURI").asText()).isEqualTo("local:///opt/flink/usrlib/kestrel-job.jar");
        assertThat(job.path("entryClass").asText()).isEqualTo(EarlyWarningJob.class.getName());
        assertThat(conf.path("state.backend.type").asText()).isEqualTo("rocksdb");
        assertThat(conf.path("execution.checkpointing.incremental").asText()).isEqualTo("true");
        assertThat(conf.path("execution.checkpointing.dir").asText()).startsWith("s3://");
        assertThat(conf.path("execution.checkpointing.savepoint-dir").asText()).startsWith("s3://");
        assertThat(conf.path("high-availability.type").asText()).isEqualTo("kubernetes");
        assertThat(conf.path("high-availability.storageDir").asText()).startsWith("s3://");
        assertThat(conf.path("metrics.reporter.prom.factory.class").asText())
                .isEqualTo("org.apache.flink.metrics.prometheus.PrometheusReporterFactory");
        assertThat(spec.path("jobManager").path("resource").path("memory").asText()).isNotBlank();
        assertThat(spec.path("taskManager").path("resource").path("cpu").asInt()).isPositive();
    }

    @Test
    void theJobReadsAValidEngineConfigurationFromTheMountedConfigMap() throws Exception {
        JsonNode spec = Manifests.resource("FlinkDeployment", "kestrel-early-warning").path("spec");
        List<String> args = new java.util.ArrayList<>();
        spec.path("job").path("args").forEach(a -> args.add(a.asText()));
        JsonNode container = spec.path("podTemplate").path("spec").path("containers").get(0);
        String mountPath = container.path("volumeMounts").get(0).path("mountPath").asText();
        String configMap = spec.path("podTemplate").path("spec").path("volumes").get(0).path("configMap").path("name").asText();

        String keysPath = container.path("volumeMounts").get(1).path("mountPath").asText();
        assertThat(args).containsExactly("--config", mountPath + "/engine.properties", "--config", keysPath + "/approval-keys.properties");
        EngineConfig engine = Manifests.engineConfig(Manifests.resource("ConfigMap", configMap).path("data").path("engine.properties").asText());
        assertThat(engine.get(EngineConfig.CHECKPOINT_STORAGE))
                .as("the job sets its own checkpoint directory; it must be the durable one the cluster is configured with")
                .isEqualTo(spec.path("flinkConfiguration").path("execution.checkpointing.dir").asText());
        assertThat(engine.get(EngineConfig.PARALLELISM)).isEqualTo(spec.path("job").path("parallelism").asInt());
        assertThat(engine.get(EngineConfig.BOOTSTRAP_SERVERS)).isEqualTo("kestrel-kafka-bootstrap.kafka.svc:9092");
    }

    @Test
    void theTopicsAreExactlyTheEnginesCompactedWhereItKeepsTheLatestPerKeyAndPartitionedForItsParallelism() throws Exception {
        Map<String, JsonNode> topics = new TreeMap<>();
        for (JsonNode topic : Manifests.ofKind("KafkaTopic")) {
            assertThat(topic.path("apiVersion").asText()).isEqualTo("kafka.strimzi.io/v1beta2");
            assertThat(topic.path("metadata").path("labels").path("strimzi.io/cluster").asText()).isEqualTo("kestrel");
            topics.put(topic.path("spec").path("topicName").asText(), topic.path("spec"));
        }
        int parallelism = Manifests.resource("FlinkDeployment", "kestrel-early-warning").path("spec").path("job")
                .path("parallelism").asInt();
        Set<String> inputs = new HashSet<>();
        EngineConfig.INPUT_TOPICS.forEach(option -> inputs.add(EngineConfig.defaults().get(option)));

        assertThat(topics.keySet()).isEqualTo(Manifests.engineTopics());
        Set<String> compacted = new TreeSet<>();
        topics.forEach((name, spec) -> {
            String policy = spec.path("config").path("cleanup.policy").asText();
            if (policy.equals("compact")) {
                compacted.add(name);
            } else {
                assertThat(spec.path("config").path("retention.ms").asLong()).as(name + " keeps time").isPositive();
            }
            assertThat(spec.path("replicas").asInt()).as(name).isEqualTo(3);
            // Rules, scorecards and FX rates are broadcast to every task: one partition keeps them in order.
            boolean keyedInput = inputs.contains(name) && !name.equals("kestrel.rules") && !name.equals("kestrel.scorecards")
                    && !name.equals("kestrel.group-limits") && !name.equals("kestrel.fx-rates");
            if (keyedInput) {
                assertThat(spec.path("partitions").asInt()).as(name + " feeds every source task").isGreaterThanOrEqualTo(parallelism);
            }
        });
        assertThat(compacted).isEqualTo(Manifests.compactedEngineTopics());
    }

    @Test
    void theAlertApiIsProbedForReadinessAndLivenessAndGetsEverySettingItNeeds() throws Exception {
        JsonNode deployment = Manifests.resource("Deployment", "kestrel-alert-api");
        JsonNode container = deployment.path("spec").path("template").path("spec").path("containers").get(0);
        JsonNode configMap = Manifests.resource("ConfigMap", "kestrel-alert-api").path("data");
        Set<String> secret = Manifests.secretKeysCreatedAtInstall("kestrel-alert-api");
        JsonNode service = Manifests.resource("Service", "kestrel-alert-api");

        assertThat(container.path("image").asText()).isEqualTo("ghcr.io/kestrel-ews/kestrel-alert-api:0.1.0");
        assertThat(container.path("readinessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/readiness");
        assertThat(container.path("livenessProbe").path("httpGet").path("path").asText()).isEqualTo("/health/liveness");
        assertThat(container.path("ports").get(0).path("containerPort").asInt()).isEqualTo(configMap.path("ALERT_API_PORT").asInt());
        assertThat(service.path("spec").path("ports").get(0).path("targetPort").asText())
                .isEqualTo(container.path("ports").get(0).path("name").asText());
        assertThat(service.path("spec").path("selector")).isEqualTo(deployment.path("spec").path("selector").path("matchLabels"));

        Set<String> provided = new TreeSet<>();
        configMap.fieldNames().forEachRemaining(provided::add);
        for (JsonNode env : container.path("env")) {
            provided.add(env.path("name").asText());
            JsonNode fromSecret = env.path("valueFrom").path("secretKeyRef");
            if (!fromSecret.isMissingNode()) {
                assertThat(fromSecret.path("name").asText()).isEqualTo("kestrel-alert-api");
                assertThat(secret).as("secret key " + fromSecret.path("key").asText()).contains(fromSecret.path("key").asText());
            }
        }
        assertThat(provided).containsAll(Manifests.requiredApiEnvironmentVariables());
        assertThat(provided).contains("KAFKA_BOOTSTRAP_SERVERS", "KESTREL_DB_URL", "KESTREL_DB_USER", "KESTREL_DB_PASSWORD");
        Set<String> understood = new TreeSet<>(Manifests.apiEnvironmentVariables());
        understood.addAll(Set.of("JAVA_TOOL_OPTIONS", "MICRONAUT_CONFIG_FILES"));
        assertThat(understood).as("every variable set is one the API reads").containsAll(provided);
    }

    @Test
    void theSecretsAreCreatedAtInstallWithTheJwtSecretDrawnAtRandomAndNoneWrittenInAFile() throws Exception {
        String script = java.nio.file.Files.readString(Manifests.KUBERNETES.resolve("create-secrets.sh"));
        assertThat(script).contains("openssl rand -base64 48").contains("--from-file=KESTREL_JWT_SECRET=").doesNotContain("--from-literal");
        assertThat(Manifests.secretKeysCreatedAtInstall("kestrel-alert-api"))
                .containsExactlyInAnyOrder("KESTREL_JWT_SECRET", "KESTREL_DB_PASSWORD", "first-admin.yml", "KESTREL_SIGNING_PRIVATE_KEY");
        assertThat(Manifests.secretKeysCreatedAtInstall("kestrel-flink-s3"))
                .containsExactlyInAnyOrder("AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY");
        JsonNode flink = Manifests.resource("FlinkDeployment", "kestrel-early-warning");
        assertThat(flink.toString()).contains("\"secretRef\":{\"name\":\"kestrel-flink-s3\"}");
        for (java.nio.file.Path file : java.nio.file.Files.list(Manifests.KUBERNETES).toList()) {
            assertThat(java.nio.file.Files.readString(file)).as(file.toString()).doesNotContain("replace-me").doesNotContain("stringData");
        }
    }

    @Test
    void theApprovalKeysTheInstallDrawsAreOnesTheApiSignsWithAndTheEngineVerifies(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        // The same openssl commands create-secrets.sh runs, then the API's signer and the engine's options read them.
        String script = java.nio.file.Files.readString(Manifests.KUBERNETES.resolve("create-secrets.sh"));
        String draw = "openssl genpkey -algorithm ed25519 -out \"$dir/approval.pem\"";
        String publicHalf = "openssl pkey -in \"$dir/approval.pem\" -pubout -outform DER | base64 -w0";
        assertThat(script).contains(draw).contains(publicHalf).contains("rules.signing-keys=kestrel-approval=%s");
        Process openssl = new ProcessBuilder("bash", "-c", "set -e; dir=" + dir + "; " + draw + "; " + publicHalf)
                .redirectErrorStream(true).start();
        String publicKey = new String(openssl.getInputStream().readAllBytes()).strip();
        assertThat(openssl.waitFor()).as(publicKey).isZero();
        String privateKey = java.nio.file.Files.readString(dir.resolve("approval.pem"));

        dev.kestrel.events.Rule signed = new dev.kestrel.contract.ApprovalSignatures.Signer("kestrel-approval", privateKey)
                .sign(dev.kestrel.contract.Samples.rule());
        dev.kestrel.jobs.config.EngineConfig engine = dev.kestrel.jobs.config.EngineConfig.fromArgs(
                "--rules.signing-keys", "kestrel-approval=" + publicKey);
        assertThat(dev.kestrel.contract.ApprovalSignatures.Verifier.of(engine.get(dev.kestrel.jobs.config.EngineConfig.SIGNING_KEYS))
                .problem(new dev.kestrel.contract.WireCodec().encode(signed))).isNull();
        JsonNode flink = Manifests.resource("FlinkDeployment", "kestrel-early-warning");
        assertThat(flink.toString()).contains("\"configMap\":{\"name\":\"kestrel-approval-keys\"}");
    }

    @Test
    void theStoreIsMigratedAsItsOwnerByAnInitContainerAndTheApiNeverSeesTheOwnersPassword() throws Exception {
        JsonNode pod = Manifests.resource("Deployment", "kestrel-alert-api").path("spec").path("template").path("spec");
        JsonNode migrate = pod.path("initContainers").get(0);
        assertThat(migrate.path("command").toString()).contains("dev.kestrel.api.store.MigrateStore");
        assertThat(migrate.path("env").toString()).contains("\"name\":\"kestrel-db-owner\"");
        assertThat(pod.path("containers").get(0).toString()).doesNotContain("KESTREL_DB_OWNER_PASSWORD").doesNotContain("kestrel-db-owner");
        JsonNode settings = Manifests.resource("ConfigMap", "kestrel-alert-api").path("data");
        assertThat(settings.path("KESTREL_DB_USER").asText()).isEqualTo("kestrel_api");
        assertThat(settings.path("KESTREL_DB_OWNER_USER").asText()).isEqualTo("kestrel_owner");
        assertThat(Manifests.secretKeysCreatedAtInstall("kestrel-db-owner")).containsExactly("KESTREL_DB_OWNER_PASSWORD");
    }
}
