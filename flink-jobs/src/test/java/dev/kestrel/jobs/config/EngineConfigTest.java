package dev.kestrel.jobs.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.TestSigningKeys;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EngineConfigTest {
    private static final String ONE_TO_TEN = "PRIME: 1, 2, 3; INVESTMENT_GRADE: 4, 5; SPECULATIVE: 6, 7, 8; DISTRESSED: 9, 10";

    @Test
    void aConfigurationPassedAsFlagsReadsBackTheSame() {
        EngineConfig config = EngineConfig.defaults().with(EngineConfig.CHECKPOINT_INTERVAL, "1500ms")
                .with(EngineConfig.PARALLELISM, "3").with(EngineConfig.BOUNDED, "true")
                .with(EngineConfig.INTERNAL_RATING_SCALE, ONE_TO_TEN);

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
    void aSecondFileAddsToAndOverridesTheFirst(@TempDir Path dir) throws Exception {
        // What the Kubernetes install does: the options from a ConfigMap, the keys the install drew from another file.
        Path options = Files.writeString(dir.resolve("engine.properties"), "checkpoint.interval=30s\nrules.signing-keys=\n");
        Path keys = Files.writeString(dir.resolve("approval-keys.properties"), "rules.signing-keys=" + TestSigningKeys.ENGINE_KEYS + "\n");

        EngineConfig config = EngineConfig.fromArgs("--config", options.toString(), "--config", keys.toString());

        assertThat(config.get(EngineConfig.CHECKPOINT_INTERVAL)).isEqualTo(Duration.ofSeconds(30));
        assertThat(config.get(EngineConfig.SIGNING_KEYS)).isEqualTo(TestSigningKeys.ENGINE_KEYS);
        assertThatThrownBy(() -> EngineConfig.fromArgs("--rules.published", options.toString()))
                .as("unsigned versions from a file: a replay's, never a running job's")
                .hasMessageContaining("only a bounded run (kafka.bounded=true) takes it");
        assertThat(EngineConfig.fromArgs("--kafka.bounded", "true", "--rules.published", options.toString()).get(EngineConfig.PUBLISHED_RULES))
                .isEqualTo(options.toString());
        assertThatThrownBy(() -> EngineConfig.fromArgs("--rules.signing-keys", "desk=bm90IGEga2V5"))
                .hasMessageContaining("signing key desk is not an X.509 Ed25519 public key");
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
    void theInternalRatingScaleIsTheLetterScaleUnlessTheBankSetsItsOwn(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("engine.properties");
        Files.writeString(file, "rating.internal-scale = " + ONE_TO_TEN + "\n");

        EngineConfig bank = EngineConfig.fromArgs("--config", file.toString());

        assertThat(EngineConfig.defaults().get(EngineConfig.INTERNAL_RATING_SCALE)).isSameAs(RatingScale.LETTERS);
        assertThat(EngineConfig.defaults().riskSettings().internalRatingScale()).isSameAs(RatingScale.LETTERS);
        assertThat(bank.get(EngineConfig.INTERNAL_RATING_SCALE).grades()).containsExactly("1", "2", "3", "4", "5", "6", "7", "8", "9", "10");
        assertThat(bank.riskSettings().internalRatingScale()).isEqualTo(RatingScale.parse(ONE_TO_TEN));
    }

    @Test
    void refusesAnInternalRatingScaleItCannotReadNamingTheOption() {
        assertThatThrownBy(() -> EngineConfig.fromArgs("--rating.internal-scale", "1-10"))
                .hasMessage("option rating.internal-scale: cannot use '1-10': '1-10' is not a tier and its grades: write TIER: grade, "
                        + "grade, with groups separated by ;");
        assertThatThrownBy(() -> EngineConfig.of(Map.of("rating.internal-scale", "PRIME: 1, 2; GOOD: 3")))
                .hasMessage("option rating.internal-scale: cannot use 'PRIME: 1, 2; GOOD: 3': 'GOOD' is not a tier: write PRIME, "
                        + "INVESTMENT_GRADE, SPECULATIVE or DISTRESSED");
        assertThatThrownBy(() -> EngineConfig.of(Map.of("rating.internal-scale", "")))
                .hasMessageStartingWith("option rating.internal-scale: cannot use '': write letters, or the grades best first");
    }

    @Test
    void rejectsATransactionTimeoutThatWouldExpireBeforeItsCheckpoint() {
        assertThatThrownBy(() -> EngineConfig.of(Map.of("checkpoint.interval", "10m", "kafka.transaction-timeout", "5m")))
                .hasMessageStartingWith("option kafka.transaction-timeout must be longer than checkpoint.interval");
    }

    @Test
    void rejectsAMaterialityBandWhoseExitIsAboveItsEntryOrAShareAbove100Percent() {
        assertThatThrownBy(() -> EngineConfig.of(Map.of("group.material-member-share-bp", "300")))
                .hasMessage("option group.material-member-exit-share-bp (400) must be at or below group.material-member-share-bp "
                        + "(300), or a member would stop weighing before it starts");
        assertThatThrownBy(() -> EngineConfig.of(Map.of("group.material-member-share-bp", "10001")))
                .hasMessageContaining("must be 0 to 10000 basis points (0% to 100%)");
        assertThat(EngineConfig.of(Map.of("group.material-member-share-bp", "300", "group.material-member-exit-share-bp", "300"))
                .get(EngineConfig.MATERIAL_MEMBER_SHARE)).isEqualTo(300);
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
