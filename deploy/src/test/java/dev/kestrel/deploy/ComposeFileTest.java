package dev.kestrel.deploy;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** deploy/compose parsed (Docker cannot run here) and kept in step with deploy/kubernetes and the engine. */
class ComposeFileTest {
    private final JsonNode services = Manifests.documents(Manifests.COMPOSE).get(0).path("services");

    private static List<String> texts(JsonNode array) {
        List<String> texts = new ArrayList<>();
        array.forEach(node -> texts.add(node.asText()));
        return texts;
    }

    @Test
    void runsTheWholeSystemFromImagesBuiltByTheOneDockerfile() throws Exception {
        Set<String> names = new TreeSet<>();
        services.fieldNames().forEachRemaining(names::add);

        assertThat(names).containsExactlyInAnyOrder("kafka", "kafka-topics", "jobmanager", "taskmanager", "postgres",
                "alert-api", "simulator");
        for (String built : List.of("jobmanager", "alert-api", "simulator")) {
            JsonNode build = services.path(built).path("build");
            assertThat(build.path("dockerfile").asText()).isEqualTo("deploy/docker/Dockerfile");
            assertThat(Manifests.DEPLOY.resolve("compose").resolve(build.path("context").asText()).resolve("pom.xml")).exists();
            assertThat(Manifests.dockerTargets()).contains(build.path("target").asText());
        }
    }

    @Test
    void usesTheSameImagesAsTheKubernetesManifests() {
        String jobImage = Manifests.resource("FlinkDeployment", "kestrel-early-warning").path("spec").path("image").asText();
        String apiImage = Manifests.resource("Deployment", "kestrel-alert-api").path("spec").path("template").path("spec")
                .path("containers").get(0).path("image").asText();

        assertThat(services.path("jobmanager").path("image").asText()).isEqualTo(jobImage);
        assertThat(services.path("taskmanager").path("image").asText()).isEqualTo(jobImage);
        assertThat(services.path("alert-api").path("image").asText()).isEqualTo(apiImage);
    }

    @Test
    void createsExactlyTheCataloguesTopicsCompactedAlike() {
        Matcher create = Pattern.compile("(?m)^create (\\S+) (\\d+)( cleanup.policy=compact)?$")
                .matcher(services.path("kafka-topics").path("command").get(0).asText());
        Set<String> topics = new TreeSet<>();
        Set<String> compacted = new TreeSet<>();
        while (create.find()) {
            topics.add(create.group(1));
            if (create.group(3) != null) {
                compacted.add(create.group(1));
            }
        }

        assertThat(topics).isEqualTo(Manifests.catalogueTopics());
        assertThat(compacted).isEqualTo(Manifests.compactedCatalogueTopics());
    }

    @Test
    void runsTheEngineWithAValidConfigurationAndCheckpointsOnAVolumeBothFlinkProcessesShare() throws Exception {
        JsonNode jobManager = services.path("jobmanager");
        List<String> command = texts(jobManager.path("command"));
        String mounted = texts(jobManager.path("volumes")).stream().filter(v -> v.startsWith("./engine.properties:"))
                .findFirst().orElseThrow().split(":")[1];
        EngineConfig engine = Manifests.engineConfig(Files.readString(Manifests.DEPLOY.resolve("compose/engine.properties")));
        String checkpoints = engine.get(EngineConfig.CHECKPOINT_STORAGE).replace("file://", "");
        String sharedVolume = texts(jobManager.path("volumes")).stream().filter(v -> v.startsWith("flink-state:"))
                .findFirst().orElseThrow().split(":")[1];

        assertThat(command).containsSubsequence("standalone-job", "--job-classname", EarlyWarningJob.class.getName(), "--config", mounted);
        assertThat(checkpoints).startsWith(sharedVolume);
        assertThat(texts(services.path("taskmanager").path("volumes"))).contains("flink-state:" + sharedVolume);
        assertThat(engine.get(EngineConfig.BOOTSTRAP_SERVERS)).isEqualTo("kafka:9092");
        assertThat(services.path("taskmanager").path("environment").path("FLINK_PROPERTIES").asText())
                .contains("taskmanager.numberOfTaskSlots: " + engine.get(EngineConfig.PARALLELISM));
    }

    @Test
    void givesTheAlertApiEverySettingItNeedsAndNoOtherThanItReads() throws Exception {
        Set<String> provided = new TreeSet<>();
        services.path("alert-api").path("environment").fieldNames().forEachRemaining(provided::add);
        Set<String> understood = new TreeSet<>(Manifests.apiEnvironmentVariables());
        understood.add("MICRONAUT_ENVIRONMENTS");

        assertThat(provided).containsAll(Manifests.requiredApiEnvironmentVariables());
        assertThat(understood).containsAll(provided);
        assertThat(services.path("alert-api").path("environment").path("KAFKA_BOOTSTRAP_SERVERS").asText()).isEqualTo("kafka:9092");
    }

    @Test
    void passesEveryNotificationSettingFromTheShellWithTheApisOwnDefault() {
        JsonNode environment = services.path("alert-api").path("environment");
        var settings = Manifests.notificationVariables();

        assertThat(settings).as("kestrel.notifications in application.yml").containsKeys("smtp-host", "webhook-url");
        // The API's own defaults, so that the compose file changes nothing the shell does not set.
        settings.forEach((setting, variable) -> assertThat(environment.path(variable.name()).asText()).as(setting)
                .isEqualTo("${" + variable.name() + ":-" + variable.defaultValue() + "}"));
    }
}
