package dev.kestrel.deploy;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.MappingIterator;
import com.fasterxml.jackson.dataformat.yaml.YAMLMapper;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineOption;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** Reads the deployment files as YAML trees, and what they are checked against: the engine's and the API's settings. */
final class Manifests {
    static final Path DEPLOY = Path.of(".").toAbsolutePath().normalize();
    static final Path KUBERNETES = DEPLOY.resolve("kubernetes");
    static final Path COMPOSE = DEPLOY.resolve("compose/docker-compose.yml");
    static final Path DOCKERFILE = DEPLOY.resolve("docker/Dockerfile");
    static final Path API_SETTINGS = DEPLOY.resolve("../alert-api/src/main/resources/application.yml").normalize();
    private static final YAMLMapper YAML = new YAMLMapper();

    private Manifests() {}

    /** Every document of one YAML file (--- separated). */
    static List<JsonNode> documents(Path file) {
        try (MappingIterator<JsonNode> docs = YAML.readerFor(JsonNode.class).readValues(Files.readString(file))) {
            List<JsonNode> all = new ArrayList<>();
            while (docs.hasNext()) {
                JsonNode doc = docs.next();
                if (doc != null && !doc.isMissingNode() && !doc.isNull()) {
                    all.add(doc);
                }
            }
            return all;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot parse " + file, e);
        }
    }

    /** Every document of every file in deploy/kubernetes. */
    static List<JsonNode> kubernetes() {
        try (Stream<Path> files = Files.list(KUBERNETES)) {
            return files.filter(f -> f.toString().endsWith(".yaml")).sorted().flatMap(f -> documents(f).stream()).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode resource(String kind, String name) {
        return kubernetes().stream()
                .filter(d -> d.path("kind").asText().equals(kind) && d.path("metadata").path("name").asText().equals(name))
                .findFirst().orElseThrow(() -> new AssertionError("no " + kind + " " + name + " in deploy/kubernetes"));
    }

    static List<JsonNode> ofKind(String kind) {
        return kubernetes().stream().filter(d -> d.path("kind").asText().equals(kind)).toList();
    }

    /** Reads engine properties the way the job's main does; fails on an unknown option or a bad value. */
    static EngineConfig engineConfig(String properties) throws IOException {
        Path file = Files.createTempFile("engine", ".properties");
        Files.writeString(file, properties);
        Path client = null;
        try {
            List<String> args = new java.util.ArrayList<>(List.of("--config", file.toString()));
            if (properties.contains("kafka.client-config=")) {
                // The file is on the pods, not here: the ConfigMap's, its mounted truststore stood in for by a temporary file.
                client = clientConfigAsMounted();
                args.addAll(List.of("--kafka.client-config", client.toString()));
            }
            return EngineConfig.fromArgs(args.toArray(String[]::new));
        } finally {
            Files.delete(file);
            if (client != null) {
                Files.delete(client);
            }
        }
    }

    /** kestrel-kafka-clients' client.properties in a temporary file, the truststore path it names pointed at a stand-in. */
    static Path clientConfigAsMounted() throws IOException {
        String text = resource("ConfigMap", "kestrel-kafka-clients").path("data").path("client.properties").asText();
        Path truststore = Files.createTempFile("ca", ".p12");
        truststore.toFile().deleteOnExit();
        Path client = Files.createTempFile("client", ".properties");
        Files.writeString(client, text.replace("/etc/kestrel-kafka/ca/ca.p12", truststore.toString()));
        return client;
    }

    /** The API's settings as application.yml gives them, with their defaults. */
    static JsonNode apiSettings() {
        try {
            return YAML.readTree(API_SETTINGS.toFile());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The environment variables application.yml reads (${NAME} or ${NAME:default}). */
    static Set<String> apiEnvironmentVariables() throws IOException {
        return firstGroups("\\$\\{([A-Z][A-Z0-9_]*)", API_SETTINGS);
    }

    /** Those of them without a default: a deployment that does not set them does not start. */
    static Set<String> requiredApiEnvironmentVariables() throws IOException {
        return firstGroups("\\$\\{([A-Z][A-Z0-9_]*)}", API_SETTINGS);
    }

    /** A variable application.yml reads for one setting, and its default there (null if it has none). */
    record ApiVariable(String name, String defaultValue) {
        /** Whether it holds a secret, going by the API's names for them: it belongs in a Secret, never a ConfigMap. */
        boolean secret() {
            return name.endsWith("_PASSWORD") || name.endsWith("_SECRET") || name.endsWith("_PRIVATE_KEY");
        }
    }

    /** kestrel.notifications' settings read from the environment: setting name (smtp-host, ...) to its variable. */
    static java.util.Map<String, ApiVariable> notificationVariables() {
        // ${NAME}, ${NAME:default} or ${NAME:`default`} (Micronaut's quoting of a default holding ':').
        Pattern placeholder = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*)(?::(`?)(.*?)\\2)?}");
        java.util.Map<String, ApiVariable> found = new java.util.TreeMap<>();
        apiSettings().path("kestrel").path("notifications").fields().forEachRemaining(setting -> {
            Matcher matcher = placeholder.matcher(setting.getValue().asText());
            if (matcher.matches()) {
                found.put(setting.getKey(), new ApiVariable(matcher.group(1), matcher.group(3)));
            }
        });
        return found;
    }

    /** The build targets the Dockerfile defines (FROM ... AS target). */
    static Set<String> dockerTargets() throws IOException {
        return firstGroups("(?m)^FROM\\s+\\S+\\s+AS\\s+(\\S+)", DOCKERFILE);
    }

    /** What the pattern's first group captures everywhere in the file. */
    private static Set<String> firstGroups(String regex, Path file) throws IOException {
        Set<String> found = new TreeSet<>();
        Matcher matcher = Pattern.compile(regex).matcher(Files.readString(file));
        while (matcher.find()) {
            found.add(matcher.group(1));
        }
        return found;
    }

    /** The default topic names of the job, and which of them it expects compacted. */
    /** Every topic of the contract's catalogue: the engine's, and the limit decisions the API writes for the limit system. */
    static Set<String> catalogueTopics() {
        Set<String> names = new TreeSet<>(defaultNames(EngineConfig.TOPICS));
        java.util.Arrays.stream(dev.kestrel.contract.Topic.values()).forEach(t -> names.add(t.defaultName()));
        return names;
    }

    static Set<String> compactedCatalogueTopics() {
        Set<String> names = new TreeSet<>(defaultNames(EngineConfig.COMPACTED_TOPICS));
        java.util.Arrays.stream(dev.kestrel.contract.Topic.values()).filter(dev.kestrel.contract.Topic::compacted)
                .forEach(t -> names.add(t.defaultName()));
        return names;
    }

    private static Set<String> defaultNames(List<EngineOption<String>> topics) {
        EngineConfig defaults = EngineConfig.defaults();
        Set<String> names = new TreeSet<>();
        topics.forEach(option -> names.add(defaults.get(option)));
        return names;
    }

    /** The keys create-secrets.sh puts in a secret: each --from-literal=KEY= or --from-file=KEY= of its create command. */
    static java.util.Set<String> secretKeysCreatedAtInstall(String secret) throws java.io.IOException {
        String script = java.nio.file.Files.readString(KUBERNETES.resolve("create-secrets.sh"));
        int start = script.indexOf("create secret generic " + secret);
        if (start < 0) {
            return java.util.Set.of();
        }
        // The command runs to the first line that does not continue with a backslash.
        int end = start;
        do {
            int newline = script.indexOf('\n', end);
            end = newline < 0 ? script.length() : newline + 1;
        } while (end < script.length() && script.charAt(end - 2) == '\\');
        java.util.regex.Matcher keys = java.util.regex.Pattern.compile("--from-(?:literal|file)=([A-Za-z0-9_.-]+)=")
                .matcher(script.substring(start, end));
        java.util.Set<String> found = new java.util.TreeSet<>();
        while (keys.find()) {
            found.add(keys.group(1));
        }
        return found;
    }
}
