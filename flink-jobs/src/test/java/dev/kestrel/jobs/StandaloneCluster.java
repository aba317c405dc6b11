package dev.kestrel.jobs;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.function.Predicate;

/**
 * A real Flink standalone session cluster, as the distribution's scripts start one: a JobManager and a TaskManager,
 * each its own JVM, from Flink's entry points ({@code StandaloneSessionClusterEntrypoint}, {@code TaskManagerRunner})
 * with the memory settings Flink's {@code BashJavaUtils} derives, exactly as {@code jobmanager.sh} and
 * {@code taskmanager.sh} do. {@code flink-dist} is not served here, so the processes run on the Maven class path of
 * Flink's runtime, with the job's own code, the connector, Avro and Kafka left out: those come with the job jar, as
 * on a real cluster. Jobs are driven only through the REST API, as an operator or CI pipeline would.
 */
final class StandaloneCluster implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration STARTUP = Duration.ofSeconds(120);

    private final Path home;
    private final String rest;
    private final List<Process> processes = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    private StandaloneCluster(Path home, int restPort) {
        this.home = home;
        this.rest = "http://localhost:" + restPort;
    }

    /** Starts a JobManager and a TaskManager with two slots and waits until the TaskManager has registered. */
    static StandaloneCluster start(Path home) throws Exception {
        int restPort = freePort();
        StandaloneCluster cluster = new StandaloneCluster(home, restPort);
        Path conf = Files.createDirectories(home.resolve("conf"));
        Files.createDirectories(home.resolve("log"));
        Files.createDirectories(home.resolve("tmp"));
        Files.writeString(conf.resolve("config.yaml"), String.join("\n",
                "jobmanager.rpc.address: localhost",
                "jobmanager.rpc.port: " + freePort(),
                "jobmanager.bind-host: localhost",
                "jobmanager.memory.process.size: 1024m",
                "rest.address: localhost",
                "rest.bind-address: localhost",
                "rest.port: " + restPort,
                "taskmanager.host: localhost",
                "taskmanager.bind-host: localhost",
                "taskmanager.numberOfTaskSlots: 2",
                "taskmanager.memory.process.size: 2048m",
                "parallelism.default: 2",
                "io.tmp.dirs: " + home.resolve("tmp"),
                "web.tmpdir: " + home.resolve("tmp")) + "\n");
        Files.writeString(conf.resolve("log4j.properties"), String.join("\n",
                "rootLogger.level = INFO",
                "rootLogger.appenderRef.file.ref = file",
                "appender.file.type = File",
                "appender.file.name = file",
                "appender.file.fileName = ${sys:log.file}",
                "appender.file.layout.type = PatternLayout",
                "appender.file.layout.pattern = %d{HH:mm:ss,SSS} %-5p %c{1} - %m%n") + "\n");
        String classpath = runtimeClasspath();
        cluster.launch("jobmanager", classpath, conf, "GET_JM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.entrypoint.StandaloneSessionClusterEntrypoint");
        cluster.launch("taskmanager", classpath, conf, "GET_TM_RESOURCE_PARAMS",
                "org.apache.flink.runtime.taskexecutor.TaskManagerRunner");
        cluster.await("a TaskManager with two slots registers", STARTUP,
                () -> cluster.get("/overview"), overview -> overview.path("slots-total").asInt() == 2);
        return cluster;
    }

    /** Like the scripts: ask BashJavaUtils for the JVM options and dynamic settings, then start the entry point. */
    private void launch(String name, String classpath, Path conf, String resourceCommand, String entryPoint) throws Exception {
        List<String> results = resourceParams(classpath, conf, resourceCommand);
        List<String> command = new ArrayList<>(List.of(javaBinary()));
        command.addAll(Arrays.asList(results.get(0).trim().split("\\s+")));
        command.addAll(DISTRIBUTION_JAVA_OPTIONS);
        command.add("-Dlog.file=" + home.resolve("log").resolve(name + ".log"));
        command.add("-Dlog4j.configurationFile=" + conf.resolve("log4j.properties").toUri());
        command.addAll(List.of("-cp", classpath, entryPoint, "--configDir", conf.toString()));
        command.addAll(Arrays.asList(results.get(1).trim().split("\\s+")));
        processes.add(new ProcessBuilder(command)
                .redirectErrorStream(true)
                .redirectOutput(home.resolve("log").resolve(name + ".out").toFile())
                .start());
    }

    private static List<String> resourceParams(String classpath, Path conf, String command) throws Exception {
        Process utils = new ProcessBuilder(javaBinary(), "-cp", classpath, "org.apache.flink.runtime.util.bash.BashJavaUtils",
                command, "--configDir", conf.toString()).redirectErrorStream(true).start();
        String output = new String(utils.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (utils.waitFor() != 0) {
            throw new IllegalStateException("BashJavaUtils " + command + " failed: " + output);
        }
        List<String> results = output.lines().filter(l -> l.startsWith("BASH_JAVA_UTILS_EXEC_RESULT:"))
                .map(l -> l.substring("BASH_JAVA_UTILS_EXEC_RESULT:".length())).toList();
        if (results.size() < 2) {
            throw new IllegalStateException("BashJavaUtils " + command + " said: " + output);
        }
        return results.subList(results.size() - 2, results.size());
    }

    /**
     * Flink's runtime and what it needs, from this JVM's class path, without what a job jar brings: the engine's own
     * classes, the Kafka connector and clients, Avro, Jackson, and the test libraries.
     */
    private static String runtimeClasspath() {
        List<String> kept = new ArrayList<>();
        for (String entry : System.getProperty("java.class.path").split(File.pathSeparator)) {
            String path = entry.replace('\\', '/');
            boolean jobJarBrings = path.contains("/dev/kestrel/") || path.contains("/flink-jobs/target/")
                    || path.contains("/schemas/target/") || path.contains("/embedded-kafka/target/")
                    || path.contains("/org/apache/kafka/") || path.contains("flink-connector-kafka")
                    || path.contains("flink-connector-base") || path.contains("flink-avro") || path.contains("/org/apache/avro/")
                    || path.contains("/com/fasterxml/jackson/");
            boolean testOnly = path.contains("/org/junit/") || path.contains("/org/assertj/") || path.contains("/org/opentest4j/")
                    || path.contains("flink-test-utils") || path.contains("/org/scala-lang/");
            if (!jobJarBrings && !testOnly) {
                kept.add(entry);
            }
        }
        return String.join(File.pathSeparator, kept);
    }

    /** What a Flink distribution's config.yaml passes to every process (env.java.opts.all) so it runs on Java 17. */
    private static final List<String> DISTRIBUTION_JAVA_OPTIONS = List.of(
            "--add-exports=java.base/sun.net.util=ALL-UNNAMED", "--add-exports=java.rmi/sun.rmi.registry=ALL-UNNAMED",
            "--add-exports=java.security.jgss/sun.security.krb5=ALL-UNNAMED",
            "--add-opens=java.base/java.lang=ALL-UNNAMED", "--add-opens=java.base/java.net=ALL-UNNAMED",
            "--add-opens=java.base/java.io=ALL-UNNAMED", "--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED", "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
            "--add-opens=java.base/java.text=ALL-UNNAMED", "--add-opens=java.base/java.time=ALL-UNNAMED",
            "--add-opens=java.base/java.util=ALL-UNNAMED", "--add-opens=java.base/java.util.concurrent=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.atomic=ALL-UNNAMED",
            "--add-opens=java.base/java.util.concurrent.locks=ALL-UNNAMED");

    private static String javaBinary() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    /** Uploads a job jar; returns the id the cluster gave it. */
    String upload(Path jar) throws Exception {
        String boundary = "kestrel-" + UUID.randomUUID();
        byte[] head = ("--" + boundary + "\r\nContent-Disposition: form-data; name=\"jarfile\"; filename=\""
                + jar.getFileName() + "\"\r\nContent-Type: application/x-java-archive\r\n\r\n").getBytes(StandardCharsets.UTF_8);
        byte[] tail = ("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.UTF_8);
        HttpResponse<String> response = http.send(HttpRequest.newBuilder(URI.create(rest + "/jars/upload"))
                .header("Content-Type", "multipart/form-data; boundary=" + boundary)
                .POST(HttpRequest.BodyPublishers.ofByteArrays(List.of(head, Files.readAllBytes(jar), tail)))
                .build(), HttpResponse.BodyHandlers.ofString());
        JsonNode body = check(response);
        String file = body.path("filename").asText();
        return file.substring(file.lastIndexOf('/') + 1);
    }

    /** Runs the uploaded jar's main with these arguments, from a savepoint if one is given; returns the job id. */
    String run(String jarId, String entryClass, List<String> args, String savepoint) throws Exception {
        Map<String, Object> request = new java.util.LinkedHashMap<>();
        request.put("entryClass", entryClass);
        request.put("programArgsList", args);
        if (savepoint != null) {
            request.put("savepointPath", savepoint);
            request.put("allowNonRestoredState", false);
        }
        return post("/jars/" + jarId + "/run", request).path("jobid").asText();
    }

    /** Waits until every task of the job runs, so that input sent now is read by this job. */
    void awaitRunning(String jobId) throws Exception {
        await("job " + jobId + " runs with all its tasks", STARTUP, () -> get("/jobs/" + jobId), job -> {
            if (job.path("state").asText().equals("FAILED")) {
                throw new AssertionError("job " + jobId + " failed; see " + home.resolve("log")); // not retried
            }
            boolean allRunning = job.path("vertices").size() > 0;
            for (JsonNode vertex : job.path("vertices")) {
                allRunning &= vertex.path("status").asText().equals("RUNNING");
            }
            return job.path("state").asText().equals("RUNNING") && allRunning;
        });
    }

    /** Stops the job with a savepoint (no drain: event time does not jump to the end) and returns where it is. */
    String stopWithSavepoint(String jobId, Path directory) throws Exception {
        String trigger = post("/jobs/" + jobId + "/stop",
                Map.of("targetDirectory", directory.toUri().toString(), "drain", false)).path("request-id").asText();
        JsonNode done = await("the savepoint of job " + jobId, STARTUP, () -> get("/jobs/" + jobId + "/savepoints/" + trigger),
                status -> status.path("status").path("id").asText().equals("COMPLETED"));
        JsonNode operation = done.path("operation");
        if (operation.has("failure-cause")) {
            throw new IllegalStateException("savepoint failed: " + operation.path("failure-cause"));
        }
        await("job " + jobId + " finishes", STARTUP, () -> get("/jobs/" + jobId),
                job -> job.path("state").asText().equals("FINISHED"));
        return operation.path("location").asText();
    }

    void cancel(String jobId) throws Exception {
        http.send(HttpRequest.newBuilder(URI.create(rest + "/jobs/" + jobId + "?mode=cancel"))
                .method("PATCH", HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    private JsonNode get(String path) throws Exception {
        return check(http.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private JsonNode post(String path, Object body) throws Exception {
        return check(http.send(HttpRequest.newBuilder(URI.create(rest + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body))).build(),
                HttpResponse.BodyHandlers.ofString()));
    }

    private JsonNode check(HttpResponse<String> response) throws IOException {
        if (response.statusCode() >= 300) {
            throw new IllegalStateException(response.request().method() + " " + response.request().uri() + " answered "
                    + response.statusCode() + ": " + response.body());
        }
        return JSON.readTree(response.body());
    }

    private interface Call {
        JsonNode call() throws Exception;
    }

    /** Polls until the answer passes the test; a call that fails (the process still starting) is retried. */
    private JsonNode await(String what, Duration timeout, Call call, Predicate<JsonNode> done) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        Exception last = null;
        while (System.nanoTime() < deadline) {
            for (Process process : processes) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("a cluster process exited with " + process.exitValue() + "; see " + home.resolve("log"));
                }
            }
            try {
                JsonNode answer = call.call();
                if (done.test(answer)) {
                    return answer;
                }
            } catch (IOException | IllegalStateException e) {
                last = e; // the REST endpoint not up yet, or an answer not yet there: ask again
            }
            Thread.sleep(500);
        }
        throw new AssertionError("not within " + timeout + ": " + what + (last == null ? "" : " (last: " + last + ")")
                + "; logs in " + home.resolve("log"));
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        for (Process process : processes) {
            process.destroy();
        }
        for (Process process : processes) {
            try {
                if (!process.waitFor(20, java.util.concurrent.TimeUnit.SECONDS)) {
                    process.destroyForcibly();
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                process.destroyForcibly();
            }
        }
    }
}
