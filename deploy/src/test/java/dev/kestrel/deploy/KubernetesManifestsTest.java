package dev.kestrel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.contract.Topic;
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
                .containsOnly("Namespace", "ConfigMap", "FlinkDeployment", "KafkaTopic", "KafkaUser", "Deployment", "Service");
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
        assertThat(engine.get(EngineConfig.BOOTSTRAP_SERVERS)).as("the TLS listener").isEqualTo("kestrel-kafka-bootstrap.kafka.svc:9093");
    }

    @Test
    void theTopicsAreExactlyTheCataloguesCompactedWhereOnlyTheLatestPerKeyMattersAndPartitionedForTheEngine() throws Exception {
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

        assertThat(topics.keySet()).isEqualTo(Manifests.catalogueTopics());
        Set<String> compacted = new TreeSet<>();
        topics.forEach((name, spec) -> {
            String policy = spec.path("config").path("cleanup.policy").asText();
            if (policy.equals("compact")) {
                compacted.add(name);
            } else {
                assertThat(spec.path("config").path("retention.ms").asLong()).as(name + " keeps time").isPositive();
            }
            assertThat(spec.path("replicas").asInt()).as(name).isEqualTo(3);
            // Rules, scorecards and FX rates are broadcast to every task: one partition keeps them in order. Limit
            // decisions are few, and come in with them; the engine orders them by approval time, not by partition.
            boolean keyedInput = inputs.contains(name) && !name.equals("kestrel.rules") && !name.equals("kestrel.scorecards")
                    && !name.equals("kestrel.group-limits") && !name.equals("kestrel.fx-rates") && !name.equals("kestrel.limit-decisions");
            if (keyedInput) {
                assertThat(spec.path("partitions").asInt()).as(name + " feeds every source task").isGreaterThanOrEqualTo(parallelism);
            }
        });
        assertThat(compacted).isEqualTo(Manifests.compactedCatalogueTopics());
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
    void everyNotificationSettingReachesTheApiItsSecretsFromTheSecretAndOptionalAsTheChannelsAre() throws Exception {
        var settings = Manifests.notificationVariables();
        JsonNode container = Manifests.resource("Deployment", "kestrel-alert-api").path("spec").path("template").path("spec")
                .path("containers").get(0);
        JsonNode configMap = Manifests.resource("ConfigMap", "kestrel-alert-api").path("data");
        Set<String> createdAtInstall = Manifests.secretKeysCreatedAtInstall("kestrel-alert-api");
        String script = java.nio.file.Files.readString(Manifests.KUBERNETES.resolve("create-secrets.sh"));
        Map<String, JsonNode> env = new TreeMap<>();
        container.path("env").forEach(e -> env.put(e.path("name").asText(), e));

        assertThat(settings).as("kestrel.notifications in application.yml")
                .containsKeys("smtp-host", "smtp-password", "webhook-url", "webhook-secret");
        settings.forEach((setting, variable) -> {
            String name = variable.name();
            // Manifests that supply none of them must start the API: the channels are off until configured.
            assertThat(variable.defaultValue()).as(setting + " has a default in application.yml").isNotNull();
            if (variable.secret()) {
                assertThat(configMap.has(name)).as(name + " is secret: not in the ConfigMap").isFalse();
                JsonNode ref = env.getOrDefault(name, com.fasterxml.jackson.databind.node.MissingNode.getInstance())
                        .path("valueFrom").path("secretKeyRef");
                assertThat(ref.path("name").asText()).as(name + " from the Secret").isEqualTo("kestrel-alert-api");
                assertThat(ref.path("key").asText()).as(name).isEqualTo(name);
                assertThat(ref.path("optional").asBoolean(false)).as(name + ": a Secret made before it existed still starts the API")
                        .isTrue();
                assertThat(createdAtInstall).as(name + " created by create-secrets.sh").contains(name);
                assertThat(script).as(name + " is given, and not required, at install")
                        .contains("printf '%s' \"${" + name + ":-}\"").doesNotContain("${" + name + ":?");
            } else {
                assertThat(configMap.has(name)).as(setting + " as " + name + " in the ConfigMap").isTrue();
                assertThat(env).as(name + " only in the ConfigMap").doesNotContainKey(name);
            }
        });

        // What the ConfigMap holds must bind to NotificationSettings: a bad value stops the API at start.
        assertThat(configMap.path(settings.get("smtp-port").name()).asText()).as("smtp-port").containsOnlyDigits()
                .satisfies(port -> assertThat(Integer.parseInt(port)).isBetween(1, 65535));
        assertThat(configMap.path(settings.get("smtp-starttls").name()).asText()).as("smtp-starttls").isIn("true", "false");
        assertThat(configMap.path(settings.get("mail-from").name()).asText()).as("mail-from").isNotBlank();
        assertThat(configMap.path(settings.get("desk-url").name()).asText()).as("desk-url").startsWith("http");
    }

    @Test
    void theSecretsAreCreatedAtInstallWithTheJwtSecretDrawnAtRandomAndNoneWrittenInAFile() throws Exception {
        String script = java.nio.file.Files.readString(Manifests.KUBERNETES.resolve("create-secrets.sh"));
        assertThat(script).contains("openssl rand -base64 48").contains("--from-file=KESTREL_JWT_SECRET=").doesNotContain("--from-literal");
        assertThat(Manifests.secretKeysCreatedAtInstall("kestrel-alert-api"))
                .containsExactlyInAnyOrder("KESTREL_JWT_SECRET", "KESTREL_DB_PASSWORD", "first-admin.yml", "KESTREL_SIGNING_PRIVATE_KEY",
                        "KESTREL_SMTP_PASSWORD", "KESTREL_WEBHOOK_SECRET");
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
        assertThat(migrate.path("env").toString()).contains("{\"name\":\"KESTREL_DB_OWNER_USER\",\"value\":\"kestrel_owner\"}");
        // Given the owner's name, the API would migrate the store itself (MigrateOnStart): neither it nor its ConfigMap has it.
        assertThat(pod.path("containers").get(0).toString()).doesNotContain("KESTREL_DB_OWNER").doesNotContain("kestrel-db-owner");
        JsonNode settings = Manifests.resource("ConfigMap", "kestrel-alert-api").path("data");
        assertThat(settings.path("KESTREL_DB_USER").asText()).isEqualTo("kestrel_api");
        assertThat(settings.has("KESTREL_DB_OWNER_USER")).isFalse();
        assertThat(Manifests.secretKeysCreatedAtInstall("kestrel-db-owner")).containsExactly("KESTREL_DB_OWNER_PASSWORD");
    }

    /** Topic name to operations, for one KafkaUser. */
    private static java.util.Map<String, Set<String>> topicRights(String user) {
        JsonNode spec = Manifests.resource("KafkaUser", user).path("spec");
        assertThat(spec.path("authentication").path("type").asText()).as(user).isEqualTo("scram-sha-512");
        java.util.Map<String, Set<String>> rights = new java.util.TreeMap<>();
        for (JsonNode acl : spec.path("authorization").path("acls")) {
            if (acl.path("resource").path("type").asText().equals("topic")) {
                assertThat(acl.path("resource").path("patternType").asText()).isEqualTo("literal");
                Set<String> operations = rights.computeIfAbsent(acl.path("resource").path("name").asText(), t -> new TreeSet<>());
                acl.path("operations").forEach(o -> operations.add(o.asText()));
            }
        }
        return rights;
    }

    private static Set<String> topicsWith(java.util.Map<String, Set<String>> rights, String operation) {
        Set<String> topics = new TreeSet<>();
        rights.forEach((topic, operations) -> {
            if (operations.contains(operation)) {
                topics.add(topic);
            }
        });
        return topics;
    }

    @Test
    void eachPrincipalMayReadAndWriteExactlyTheTopicsItUsesAndOnlyTheApiWritesRules() {
        EngineConfig engine = EngineConfig.defaults();
        var engineRights = topicRights("kestrel-engine");
        assertThat(topicsWith(engineRights, "Read")).containsExactlyInAnyOrderElementsOf(
                EngineConfig.INPUT_TOPICS.stream().map(engine::get).toList());
        assertThat(topicsWith(engineRights, "Write")).containsExactlyInAnyOrderElementsOf(
                EngineConfig.OUTPUT_TOPICS.stream().map(engine::get).toList());
        assertThat(Manifests.resource("KafkaUser", "kestrel-engine").toString())
                .contains("\"type\":\"transactionalId\",\"name\":\"" + engine.get(EngineConfig.TRANSACTIONAL_ID_PREFIX) + "-\"")
                .contains("\"type\":\"group\",\"name\":\"" + engine.get(EngineConfig.CONSUMER_GROUP) + "\"");

        // What the API's feed subscribes to, and what its publisher and dead letters write (Writer.ALERT_API).
        var apiRights = topicRights("kestrel-alert-api");
        // It reads the limit decisions it wrote, to send none twice, the evidence behind the verdicts (the engine's word
        // on each instalment among it), the project register's records for the project page, and what the job did with
        // each rule and scorecard version.
        assertThat(topicsWith(apiRights, "Read")).containsExactlyInAnyOrderElementsOf(java.util.stream.Stream.of(Topic.ALERTS,
                Topic.BORROWER_SNAPSHOTS, Topic.GROUP_SNAPSHOTS, Topic.LIMIT_RECOMMENDATIONS, Topic.BORROWER_PROFILES,
                Topic.GROUP_LIMITS, Topic.RULES, Topic.BORROWER_SCORES, Topic.SCORECARDS, Topic.LIMIT_DECISIONS,
                Topic.REPAYMENTS, Topic.FINANCIAL_STATEMENTS, Topic.CREDIT_EVENTS, Topic.COLLATERAL_VALUATIONS, Topic.RULE_VERSIONS,
                Topic.INSTALMENTS, Topic.PROJECTS, Topic.PROJECT_MILESTONES, Topic.CASH_FLOW_FORECASTS, Topic.COVENANTS)
                .map(Topic::defaultName).toList());
        Set<String> apiWrites = new TreeSet<>(List.of(Topic.DEAD_LETTERS.defaultName()));
        java.util.Arrays.stream(Topic.values()).filter(t -> t.writer() == Topic.Writer.ALERT_API).forEach(t -> apiWrites.add(t.defaultName()));
        assertThat(topicsWith(apiRights, "Write")).containsExactlyInAnyOrderElementsOf(apiWrites);
        assertThat(Manifests.resource("KafkaUser", "kestrel-alert-api").toString()).contains("\"type\":\"group\",\"name\":\""
                + Manifests.apiSettings().path("kestrel").path("kafka").path("consumer-group").asText() + "\"");

        Set<String> upstreamWrites = new TreeSet<>();
        for (JsonNode user : Manifests.ofKind("KafkaUser")) {
            String name = user.path("metadata").path("name").asText();
            var rights = topicRights(name);
            if (name.equals("kestrel-limit-system")) {
                assertThat(topicsWith(rights, "Read")).as("the limit system reads the decisions").containsExactly(Topic.LIMIT_DECISIONS.defaultName());
                assertThat(topicsWith(rights, "Write")).as("and writes nothing").isEmpty();
            } else if (!name.equals("kestrel-engine") && !name.equals("kestrel-alert-api")) {
                assertThat(topicsWith(rights, "Read")).as(name + " only writes").isEmpty();
                upstreamWrites.addAll(topicsWith(rights, "Write"));
            }
            if (!name.equals("kestrel-alert-api")) {
                assertThat(topicsWith(rights, "Write")).as(name + " may not publish rules or scorecards")
                        .doesNotContain(engine.get(EngineConfig.RULES_TOPIC), engine.get(EngineConfig.SCORECARDS_TOPIC));
            }
        }
        assertThat(upstreamWrites).as("every input has a producer, and rules and scorecards are the API's alone")
                .containsExactlyInAnyOrderElementsOf(java.util.Arrays.stream(Topic.values())
                        .filter(t -> t.writer() == Topic.Writer.UPSTREAM).map(Topic::defaultName).toList());
    }

    @Test
    void theEngineAndTheApiReachKafkaOverTlsWithScramFromMountedSecretsAndNoSecretIsInAFile() throws Exception {
        java.nio.file.Path client = Manifests.clientConfigAsMounted();
        try {
            var settings = dev.kestrel.contract.KafkaClientSecurity.read(client.toString());
            assertThat(settings).containsEntry("security.protocol", "SASL_SSL").containsEntry("sasl.mechanism", "SCRAM-SHA-512");
            assertThat(settings.get("sasl.jaas.config")).isEqualTo("${directory:/etc/kestrel-kafka/user:sasl.jaas.config}");
            assertThat(settings.get("ssl.truststore.password")).isEqualTo("${directory:/etc/kestrel-kafka/ca:ca.password}");
        } finally {
            java.nio.file.Files.delete(client);
        }
        String clientConfig = "/etc/kestrel-kafka/client/client.properties";
        assertThat(Manifests.resource("ConfigMap", "kestrel-engine").path("data").path("engine.properties").asText())
                .contains("kafka.client-config=" + clientConfig).contains(":9093");
        JsonNode apiSettings = Manifests.resource("ConfigMap", "kestrel-alert-api").path("data");
        assertThat(apiSettings.path("KAFKA_CLIENT_CONFIG").asText()).isEqualTo(clientConfig);
        assertThat(apiSettings.path("KAFKA_BOOTSTRAP_SERVERS").asText()).endsWith(":9093");

        JsonNode flinkPod = Manifests.resource("FlinkDeployment", "kestrel-early-warning").path("spec").path("podTemplate").path("spec");
        JsonNode apiPod = Manifests.resource("Deployment", "kestrel-alert-api").path("spec").path("template").path("spec");
        for (var pod : java.util.Map.of("kestrel-kafka-user-engine", flinkPod, "kestrel-kafka-user-alert-api", apiPod).entrySet()) {
            java.util.Map<String, String> mounts = new java.util.HashMap<>();
            pod.getValue().path("containers").get(0).path("volumeMounts").forEach(m -> mounts.put(m.path("name").asText(), m.path("mountPath").asText()));
            java.util.Map<String, String> sources = new java.util.HashMap<>();
            pod.getValue().path("volumes").forEach(v -> sources.put(v.path("name").asText(),
                    v.has("secret") ? v.path("secret").path("secretName").asText() : v.path("configMap").path("name").asText()));
            assertThat(mounts).containsEntry("kafka-client", "/etc/kestrel-kafka/client")
                    .containsEntry("kafka-user", "/etc/kestrel-kafka/user").containsEntry("kafka-ca", "/etc/kestrel-kafka/ca");
            assertThat(sources).containsEntry("kafka-client", "kestrel-kafka-clients").containsEntry("kafka-user", pod.getKey())
                    .containsEntry("kafka-ca", "kestrel-kafka-ca");
        }
        String script = java.nio.file.Files.readString(Manifests.KUBERNETES.resolve("create-secrets.sh"));
        assertThat(script).contains("copy_from_kafka kestrel-engine kestrel-kafka-user-engine sasl.jaas.config")
                .contains("copy_from_kafka kestrel-alert-api kestrel-kafka-user-alert-api sasl.jaas.config")
                .contains("copy_from_kafka kestrel-cluster-ca-cert kestrel-kafka-ca ca.p12 ca.password");
    }
}
