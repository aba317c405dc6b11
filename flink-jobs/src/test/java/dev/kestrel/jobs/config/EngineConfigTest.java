package dev.kestrel.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineConfigTest {

    @Test
    void aConfigurationPassedAsFlagsReadsBackTheSame() {
        EngineConfig config = EngineConfig.defaults().with(EngineConfig.CHECKPOINT_INTERVAL, "1500ms")
                .with(EngineConfig.PARALLELISM, "3").with(EngineConfig.BOUNDED, "true");

        EngineConfig read = EngineConfig.fromArgs(config.toArgs().toArray(String[]::new));

        for (EngineOption<?> option : EngineConfig.OPTIONS) {
            assertThat((Object) read.get(option)).as(option.key()).isEqualTo(config.get(option));
        }
    }

    @Test
    void defaultsAreTypedValues() {
        EngineConfig config = EngineConfig.defaults();

        assertThat(config.get(EngineConfig.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(10));
        assertThat(config.get(EngineConfig.PARALLELISM)).isEqualTo(2);
        assertThat(config.get(EngineConfig.TRANSACTIONS_TOPIC)).isEqualTo("kestrel.transactions");
    }

    @Test
    void everyOptionHasItsOwnKeyAndADescription() {
        Set<String> keys = new HashSet<>();
        for (EngineOption<?> option : EngineConfig.OPTIONS) {
            assertThat(keys.add(option.key())).as("duplicate key " + option.key()).isTrue();
            assertThat(option.description()).as(option.key()).isNotBlank();
        }
    }

    @Test
    void flagsOverrideTheFileAndTheFileOverridesDefaults(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(file, "checkpoint.interval=30s\njob.parallelism=4\n");

        EngineConfig config = EngineConfig.fromArgs("--config", file.toString(), "--job.parallelism=8", "--events.source-idleness", "2m");

        assertThat(config.get(EngineConfig.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(EngineConfig.PARALLELISM)).isEqualTo(8);
        assertThat(config.get(EngineConfig.SOURCE_IDLENESS)).isEqualTo(Duration.ofMinutes(2));
    }

    @Test
    void rejectsAnUnknownOptionByName() {
        assertThatThrownBy(() -> EngineConfig.fromArgs("--checkpoint.intervall", "10s"))
                .hasMessage("unknown option 'checkpoint.intervall'; the options are listed in docs/configuration.md");
    }

    @Test
    void rejectsAnUnreadableValueNamingTheOption() {
        assertThatThrownBy(() -> EngineConfig.of(Map.of("checkpoint.interval", "10 parsecs")))
                .hasMessage("option checkpoint.interval: cannot use '10 parsecs': not a duration: write a number and a unit, ms, s, m, h or d (e.g. 10s)");
        assertThatThrownBy(() -> EngineConfig.of(Map.of("job.parallelism", "two")))
                .hasMessage("option job.parallelism: cannot use 'two': not a whole number");
        assertThatThrownBy(() -> EngineConfig.of(Map.of("job.parallelism", "0")))
                .hasMessage("option job.parallelism: cannot use '0': must be above 0");
    }

    @Test
    void rejectsATransactionTimeoutThatWouldExpireBeforeItsCheckpoint() {
        assertThatThrownBy(() -> EngineConfig.of(Map.of("checkpoint.interval", "10m", "kafka.transaction-timeout", "5m")))
                .hasMessageStartingWith("option kafka.transaction-timeout must be longer than checkpoint.interval");
    }

    @Test
    void rejectsAFlagWithoutValue() {
        assertThatThrownBy(() -> EngineConfig.fromArgs("--job.parallelism")).hasMessage("option job.parallelism has no value");
    }

    @Test
    void docsConfigurationMdHoldsTheCurrentTable() throws Exception {
        String doc = Files.readString(Path.of("..", "docs", "configuration.md"));

        assertThat(doc).as("docs/configuration.md is out of date: paste EngineConfig.markdownTable() into it")
                .contains(EngineConfig.markdownTable());
    }
}
