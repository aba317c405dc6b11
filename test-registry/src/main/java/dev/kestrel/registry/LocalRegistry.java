package dev.kestrel.registry;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The Apicurio Registry this module builds, started as a local Java process on a free loopback port with its
 * in-memory storage, for a test's lifetime. Depend on this module with every transitive dependency excluded: this class
 * needs only the JDK, and the registry's own classpath stays in its process.
 */
public final class LocalRegistry implements AutoCloseable {
    private static final Pattern LISTENING = Pattern.compile("Listening on: (http://[^\\s]+)");
    private static final Duration START_TIMEOUT = Duration.ofSeconds(90);

    private final Process process;
    private final Path log;
    private String address;

    private LocalRegistry(Process process, Path log) {
        this.process = process;
        this.log = log;
    }

    /** Starts the registry, its log in {@code work}, and returns when it answers. */
    public static LocalRegistry start(Path work) throws IOException, InterruptedException {
        return launch(work).awaitReady();
    }

    /**
     * Starts the registry's process and returns at once, so that a test can set up other things while it boots;
     * {@link #awaitReady} before using it.
     */
    public static LocalRegistry launch(Path work) throws IOException {
        Path runner = runner();
        Files.createDirectories(work);
        Path log = work.resolve("registry.log");
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        Process process = new ProcessBuilder(List.of(java, "-Xmx384m", "-XX:TieredStopAtLevel=1",
                "-Dquarkus.http.host=127.0.0.1", "-Dquarkus.http.port=0", "-jar", runner.toString()))
                .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        return new LocalRegistry(process, log);
    }

    /** Waits until the registry answers; stops it and throws, with its log, if it does not. */
    public LocalRegistry awaitReady() throws IOException, InterruptedException {
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        try {
            while (address == null) {
                if (!process.isAlive()) {
                    throw new IllegalStateException("the registry stopped at start; its log: " + Files.readString(log));
                }
                if (System.nanoTime() > deadline) {
                    throw new IllegalStateException("the registry did not answer within " + START_TIMEOUT + "; its log: "
                            + Files.readString(log));
                }
                Matcher listening = LISTENING.matcher(Files.readString(log, StandardCharsets.UTF_8));
                if (listening.find() && answers(listening.group(1))) {
                    address = listening.group(1);
                } else {
                    Thread.sleep(100);
                }
            }
            return this;
        } catch (IOException | InterruptedException | RuntimeException e) {
            process.destroyForcibly();
            throw e;
        }
    }

    /** The registry's Confluent-compatible API, the address Kestrel's clients are given. */
    public String confluentCompatibleUrl() {
        if (address == null) {
            throw new IllegalStateException("the registry is not ready: call awaitReady first");
        }
        return address + "/apis/ccompat/v7";
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, java.util.concurrent.TimeUnit.SECONDS)) {
            process.destroyForcibly().waitFor();
        }
    }

    private static boolean answers(String address) {
        try {
            HttpURLConnection connection = (HttpURLConnection) URI.create(address + "/apis/ccompat/v7/subjects").toURL().openConnection();
            connection.setConnectTimeout(1000);
            connection.setReadTimeout(2000);
            return connection.getResponseCode() == 200;
        } catch (IOException e) {
            return false; // not listening yet
        }
    }

    /**
     * The runner jar ({@code test-registry-*-runner.jar}, with its {@code lib}) in this module's build output: beside
     * this class when the reactor built it, or in the sibling module when a test runs from its own module's folder.
     */
    private static Path runner() throws IOException {
        Path here;
        try {
            here = Path.of(LocalRegistry.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
        for (Path target : List.of(here.getParent(), Path.of("..", "test-registry", "target").toAbsolutePath().normalize())) {
            if (Files.isDirectory(target)) {
                try (var files = Files.list(target)) {
                    var runner = files.filter(f -> f.getFileName().toString().matches("test-registry-.*-runner\\.jar")).findFirst();
                    if (runner.isPresent()) {
                        return runner.get();
                    }
                }
            }
        }
        throw new UncheckedIOException(new IOException("no registry runner jar beside " + here
                + " or in ../test-registry/target; build it with: mvn -pl test-registry package"));
    }
}
