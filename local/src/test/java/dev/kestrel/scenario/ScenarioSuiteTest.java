package dev.kestrel.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.kafka.EmbeddedKafka;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario under {@code scenarios/} (docs/scenarios.md), run as {@code ./kestrel scenarios} runs it: the
 * history replayed by the job, its alerts and refusals compared with what the bank expects. A pending scenario is
 * reported as skipped with its reason, never as passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSuiteTest {
    private static final Path SCENARIOS = Path.of("..", "scenarios");

    @TempDir
    static Path work;
    private EmbeddedKafka kafka;

    @BeforeAll
    void broker() {
        kafka = EmbeddedKafka.start();
    }

    @AfterAll
    void stopBroker() {
        kafka.close();
    }

    @TestFactory
    Stream<DynamicTest> everyScenarioRaisesWhatTheBankExpects() throws Exception {
        assertThat(Scenarios.all(SCENARIOS)).isNotEmpty();
        return Scenarios.all(SCENARIOS).stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ScenarioRunner.Outcome outcome = ScenarioRunner.run(kafka, Scenario.read(file), work);
            Assumptions.assumeTrue(outcome.skipped() == null, () -> "pending: " + outcome.skipped());
            assertThat(outcome.differences()).as(outcome.scenario().title()).isEmpty();
        }));
    }
}
