package dev.kestrel.contract;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * How every Kestrel client (the engine, the alert API, the simulator, an upstream producer) reaches a secured Kafka:
 * a Kafka client properties file, the format of Kafka's own {@code --command-config}, holding only
 * {@code security.protocol} and the {@code ssl.*} and {@code sasl.*} settings (TLS truststore and keystore, SCRAM or
 * OAUTHBEARER), and {@code config.providers*}, so that a value can be read from a mounted secret
 * ({@code ${directory:/etc/kestrel/kafka-user:sasl.jaas.config}}) instead of being written in the file. Limited to
 * security so that it cannot change what Kestrel sets itself (isolation, transactions, serializers).
 * See docs/operations.md, "Kafka security".
 */
public final class KafkaClientSecurity {
    private static final Set<String> PROTOCOLS = Set.of("PLAINTEXT", "SSL", "SASL_PLAINTEXT", "SASL_SSL");
    private static final Set<String> MECHANISMS = Set.of("SCRAM-SHA-256", "SCRAM-SHA-512", "OAUTHBEARER", "PLAIN", "GSSAPI");

    private KafkaClientSecurity() {}

    /** The settings in the file at {@code location}, checked; none when the location is empty. */
    public static Map<String, String> read(String location) {
        if (location == null || location.isBlank()) {
            return Map.of();
        }
        Properties properties = new Properties();
        try (Reader in = Files.newBufferedReader(Path.of(location), StandardCharsets.UTF_8)) {
            properties.load(in);
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the Kafka client config " + location + ": " + e, e);
        }
        Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key, properties.getProperty(key).strip()));
        return check(settings, location);
    }

    /** The settings if they are a consistent security configuration; otherwise says what is wrong, and where. */
    public static Map<String, String> check(Map<String, String> settings, String where) {
        for (String key : settings.keySet()) {
            if (!key.equals("security.protocol") && !key.startsWith("ssl.") && !key.startsWith("sasl.")
                    && !key.startsWith("config.providers")) {
                throw new IllegalArgumentException(where + ": " + key + " is not a security setting; a Kafka client config "
                        + "holds only security.protocol, ssl.*, sasl.* and config.providers* (Kestrel sets the rest itself)");
            }
        }
        String protocol = settings.getOrDefault("security.protocol", "PLAINTEXT");
        if (!PROTOCOLS.contains(protocol)) {
            throw new IllegalArgumentException(where + ": security.protocol must be one of " + new TreeSet<>(PROTOCOLS) + ", got '" + protocol + "'");
        }
        boolean tls = protocol.endsWith("SSL");
        boolean sasl = protocol.startsWith("SASL");
        if (protocol.equals("SASL_PLAINTEXT")) {
            throw new IllegalArgumentException(where + ": security.protocol SASL_PLAINTEXT signs in over an unencrypted "
                    + "connection (PLAIN sends the password itself) and carries customer data in clear; use SASL_SSL");
        }
        String verification = settings.get("ssl.endpoint.identification.algorithm");
        if (verification != null && verification.isBlank()) {
            throw new IllegalArgumentException(where + ": an empty ssl.endpoint.identification.algorithm switches off the "
                    + "check that the broker's certificate names the broker, which lets anyone in the path pose as it; leave it out");
        }
        if (!tls && settings.keySet().stream().anyMatch(key -> key.startsWith("ssl."))) {
            throw new IllegalArgumentException(where + ": ssl.* settings are given but security.protocol is " + protocol
                    + ", so nothing would be encrypted; use SSL or SASL_SSL");
        }
        if (!sasl && settings.keySet().stream().anyMatch(key -> key.startsWith("sasl."))) {
            throw new IllegalArgumentException(where + ": sasl.* settings are given but security.protocol is " + protocol
                    + ", so no one would sign in; use SASL_SSL");
        }
        if (sasl) {
            String mechanism = settings.get("sasl.mechanism");
            if (mechanism == null || !MECHANISMS.contains(mechanism)) {
                throw new IllegalArgumentException(where + ": security.protocol " + protocol + " needs sasl.mechanism, one of "
                        + new TreeSet<>(MECHANISMS) + ", got " + (mechanism == null ? "none" : "'" + mechanism + "'"));
            }
            if (!mechanism.equals("GSSAPI") && !settings.containsKey("sasl.jaas.config")) {
                throw new IllegalArgumentException(where + ": sasl.mechanism " + mechanism + " needs sasl.jaas.config, the "
                        + "client's credentials (docs/operations.md, \"Kafka security\")");
            }
        }
        for (String store : new String[] {"ssl.truststore.location", "ssl.keystore.location"}) {
            String file = settings.get(store);
            // A value a config provider fills in is checked by the Kafka client, when it has it.
            if (file != null && !file.isBlank() && !file.contains("${") && !Files.isReadable(Path.of(file))) {
                throw new IllegalArgumentException(where + ": " + store + " " + file + " cannot be read");
            }
        }
        return Map.copyOf(settings);
    }
}
