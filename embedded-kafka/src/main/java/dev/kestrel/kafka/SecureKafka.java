package dev.kestrel.kafka;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import kafka.server.KafkaRaftServer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;

/**
 * A single-node KRaft broker whose client listener speaks TLS with client certificates and SASL (SCRAM-SHA-512 and
 * OAUTHBEARER), as a bank's cluster does: {@link #bootstrapServers()} accepts nobody without a certificate the broker
 * trusts and credentials it knows. A second, plaintext listener ({@link #setupBootstrapServers()}) is for the test's own
 * set-up (topics, users) only. Certificates are drawn with the JDK's keytool into a temporary folder: one
 * self-signed certificate for the broker (localhost, 127.0.0.1) and one for clients.
 */
public final class SecureKafka implements AutoCloseable {
    private static final String CLUSTER_ID = "kestrel-secure-00000000"; // 22 characters of base64, like any cluster id
    public static final String STORE_PASSWORD = "kestrel-test-store";

    private final KafkaRaftServer server;
    private final Path dir;
    private final int securePort;
    private final int setupPort;

    private SecureKafka(KafkaRaftServer server, Path dir, int securePort, int setupPort) {
        this.server = server;
        this.dir = dir;
        this.securePort = securePort;
        this.setupPort = setupPort;
    }

    /** Draws the certificates, formats fresh storage under {@code dir} and starts the broker. */
    public static SecureKafka start(Path dir) {
        try {
            Files.createDirectories(dir);
            drawCertificates(dir);
            int securePort = freePort();
            int setupPort = freePort();
            int controllerPort = freePort();
            String logDir = dir.resolve("log").toAbsolutePath().toString();
            Map<String, String> config = SingleNode.config(logDir, "localhost:" + controllerPort);
            config.put("listeners", "SECURE://localhost:" + securePort + ",SETUP://localhost:" + setupPort
                    + ",CONTROLLER://localhost:" + controllerPort);
            config.put("advertised.listeners", "SECURE://localhost:" + securePort + ",SETUP://localhost:" + setupPort);
            config.put("listener.security.protocol.map", "SECURE:SASL_SSL,SETUP:PLAINTEXT,CONTROLLER:PLAINTEXT");
            config.put("inter.broker.listener.name", "SETUP");
            String secure = "listener.name.secure.";
            config.put(secure + "ssl.keystore.location", dir.resolve("broker.p12").toString());
            config.put(secure + "ssl.keystore.password", STORE_PASSWORD);
            config.put(secure + "ssl.keystore.type", "PKCS12");
            config.put(secure + "ssl.truststore.location", dir.resolve("broker-truststore.p12").toString());
            config.put(secure + "ssl.truststore.password", STORE_PASSWORD);
            config.put(secure + "ssl.truststore.type", "PKCS12");
            config.put(secure + "ssl.client.auth", "required");
            config.put(secure + "sasl.enabled.mechanisms", "SCRAM-SHA-512,OAUTHBEARER");
            config.put(secure + "scram-sha-512.sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required;");
            // Unsecured JWS tokens (Kafka's test validator): the client side is configured as with a real identity
            // provider, only the token is not signed. docs/operations.md shows the settings for a real one.
            config.put(secure + "oauthbearer.sasl.jaas.config",
                    "org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required unsecuredLoginStringClaim_sub=\"broker\";");
            KafkaRaftServer server = SingleNode.start(config, logDir, CLUSTER_ID, false);
            return new SecureKafka(server, dir, securePort, setupPort);
        } catch (Exception e) {
            throw new IllegalStateException("the secure Kafka broker did not start: " + e.getMessage(), e);
        }
    }

    /** The TLS + SASL listener, for every client under test. */
    public String bootstrapServers() {
        return "localhost:" + securePort;
    }

    /** The plaintext listener, for the test's own set-up. */
    public String setupBootstrapServers() {
        return "localhost:" + setupPort;
    }

    /** Creates a SCRAM-SHA-512 user and waits until the broker knows it. */
    public void addScramUser(String name, String password) {
        try (Admin admin = setupAdmin()) {
            admin.alterUserScramCredentials(List.of(new UserScramCredentialUpsertion(name,
                    new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512, 4096), password))).all().get(30, TimeUnit.SECONDS);
            for (int i = 0; i < 100 && admin.describeUserScramCredentials(List.of(name)).all().get().isEmpty(); i++) {
                Thread.sleep(100);
            }
        } catch (Exception e) {
            throw new IllegalStateException("cannot add SCRAM user " + name, e);
        }
    }

    /** Creates a topic through the set-up listener; waits for it. */
    public void createTopic(String name, int partitions, Map<String, String> configs) {
        try (Admin admin = setupAdmin()) {
            admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1).configs(configs))).all().get();
        } catch (ExecutionException e) {
            throw new IllegalStateException("cannot create topic " + name, e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }

    /**
     * Writes a Kafka client config (docs/operations.md, "Kafka security") for a SCRAM-SHA-512 user, with the
     * truststore that trusts the broker and the keystore of the client certificate; returns its path.
     */
    public Path scramClientConfig(String user, String password) throws IOException {
        return clientConfig(user + "-scram.properties", List.of(
                "sasl.mechanism=SCRAM-SHA-512",
                "sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username=\"" + user
                        + "\" password=\"" + password + "\";"));
    }

    /** As {@link #scramClientConfig}, for OAUTHBEARER with an unsecured token naming {@code subject}. */
    public Path oauthClientConfig(String subject) throws IOException {
        return clientConfig(subject + "-oauth.properties", List.of(
                "sasl.mechanism=OAUTHBEARER",
                "sasl.jaas.config=org.apache.kafka.common.security.oauthbearer.OAuthBearerLoginModule required "
                        + "unsecuredLoginStringClaim_sub=\"" + subject + "\";"));
    }

    private Path clientConfig(String name, List<String> sasl) throws IOException {
        List<String> lines = new ArrayList<>(List.of(
                "security.protocol=SASL_SSL",
                "ssl.truststore.location=" + dir.resolve("client-truststore.p12"),
                "ssl.truststore.password=" + STORE_PASSWORD,
                "ssl.truststore.type=PKCS12",
                "ssl.keystore.location=" + dir.resolve("client.p12"),
                "ssl.keystore.password=" + STORE_PASSWORD,
                "ssl.keystore.type=PKCS12"));
        lines.addAll(sasl);
        // Properties files read a backslash as an escape; the paths here have none.
        return Files.write(dir.resolve(name), lines, StandardCharsets.UTF_8);
    }

    private Admin setupAdmin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, setupBootstrapServers()));
    }

    /** A self-signed certificate each for the broker and the clients, each trusted by the other side. */
    private static void drawCertificates(Path dir) throws IOException, InterruptedException {
        keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=localhost",
                "-ext", "SAN=dns:localhost,ip:127.0.0.1", "-validity", "2", "-keystore", "broker.p12", "-storetype", "PKCS12");
        keytool(dir, "-exportcert", "-alias", "broker", "-keystore", "broker.p12", "-file", "broker.crt");
        keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", "broker.crt", "-keystore", "client-truststore.p12",
                "-storetype", "PKCS12");
        keytool(dir, "-genkeypair", "-alias", "client", "-keyalg", "EC", "-groupname", "secp256r1", "-dname", "CN=kestrel-client",
                "-validity", "2", "-keystore", "client.p12", "-storetype", "PKCS12");
        keytool(dir, "-exportcert", "-alias", "client", "-keystore", "client.p12", "-file", "client.crt");
        keytool(dir, "-importcert", "-noprompt", "-alias", "client", "-file", "client.crt", "-keystore", "broker-truststore.p12",
                "-storetype", "PKCS12");
    }

    private static void keytool(Path dir, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool").toString()));
        command.addAll(List.of(args));
        command.addAll(List.of("-storepass", STORE_PASSWORD));
        if (args[0].equals("-genkeypair")) {
            command.addAll(List.of("-keypass", STORE_PASSWORD));
        }
        Process keytool = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String output = new String(keytool.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (keytool.waitFor() != 0) {
            throw new IOException("keytool " + String.join(" ", args) + " failed: " + output);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        }
    }

    @Override
    public void close() {
        server.shutdown();
        server.awaitShutdown();
    }
}
