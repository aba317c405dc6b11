package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The client config every Kestrel client reads: security settings only, and consistent ones, or a clear refusal. */
class KafkaClientSecurityTest {
    @TempDir
    Path dir;

    @Test
    void aScramOverTlsConfigIsReadWhole() throws Exception {
        Path truststore = Files.writeString(dir.resolve("truststore.p12"), "not parsed here");
        Path config = Files.writeString(dir.resolve("engine.properties"), """
                security.protocol=SASL_SSL
                sasl.mechanism=SCRAM-SHA-512
                sasl.jaas.config=org.apache.kafka.common.security.scram.ScramLoginModule required username="engine" password="s3cret";
                ssl.truststore.location=%s
                ssl.truststore.password=changeit
                """.formatted(truststore));

        assertThat(KafkaClientSecurity.read(config.toString())).containsEntry("security.protocol", "SASL_SSL")
                .containsEntry("sasl.mechanism", "SCRAM-SHA-512").containsEntry("ssl.truststore.location", truststore.toString())
                .hasSize(5);
        assertThat(KafkaClientSecurity.read("")).isEmpty();
    }

    @Test
    void settingsThatAreNotSecurityAreRefusedSoTheyCannotChangeWhatKestrelSets() {
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("isolation.level", "read_uncommitted"), "api.properties"))
                .hasMessage("api.properties: isolation.level is not a security setting; a Kafka client config holds only "
                        + "security.protocol, ssl.*, sasl.* and config.providers* (Kestrel sets the rest itself)");
    }

    @Test
    void inconsistentSettingsThatWouldLeaveTrafficInPlaintextOrUnauthenticatedAreRefused() {
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("ssl.truststore.password", "x"), "c"))
                .hasMessageContaining("ssl.* settings are given but security.protocol is PLAINTEXT, so nothing would be encrypted");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "SSL", "sasl.mechanism", "PLAIN"), "c"))
                .hasMessageContaining("sasl.* settings are given but security.protocol is SSL");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN",
                "sasl.jaas.config", "x"), "c")).hasMessageContaining("SASL_PLAINTEXT signs in over an unencrypted connection");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "SSL", "ssl.endpoint.identification.algorithm", ""), "c"))
                .hasMessageContaining("switches off the check that the broker's certificate names the broker");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "SASL_SSL"), "c"))
                .hasMessageContaining("needs sasl.mechanism").hasMessageContaining("got none");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "SASL_SSL", "sasl.mechanism", "OAUTHBEARER"), "c"))
                .hasMessageContaining("sasl.mechanism OAUTHBEARER needs sasl.jaas.config");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "TLS"), "c"))
                .hasMessageContaining("security.protocol must be one of [PLAINTEXT, SASL_PLAINTEXT, SASL_SSL, SSL], got 'TLS'");
        assertThatThrownBy(() -> KafkaClientSecurity.check(Map.of("security.protocol", "SSL",
                "ssl.truststore.location", dir.resolve("missing.p12").toString()), "c"))
                .hasMessageContaining("ssl.truststore.location " + dir.resolve("missing.p12") + " cannot be read");
        assertThatThrownBy(() -> KafkaClientSecurity.read(dir.resolve("absent.properties").toString()))
                .hasMessageStartingWith("cannot read the Kafka client config " + dir.resolve("absent.properties"));
    }
}
