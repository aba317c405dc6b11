package dev.kestrel.scenario;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.replay.OneFlinkCluster;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;
import org.apache.flink.test.junit5.MiniClusterExtension;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every scenario under {@code scenarios/} (docs/scenarios.md), run as {@code ./kestrel scenarios} runs it: the
 * history replayed by the job, its alerts and refusals compared with what the bank expects. A pending scenario is
 * reported as skipped with its reason, never as passed.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScenarioSuiteTest {
    private static final Path SCENARIOS = Path.of("..", "scenarios");

    /**
     * Scenarios replayed at once: each is its own bounded job on its own topics. They share one MiniCluster, a slot
     * each (a replay runs at parallelism 1): starting a cluster per replay was most of a scenario's time.
     */
    private static final int AT_ONCE = 3;

    @RegisterExtension
    static final MiniClusterExtension MINI_CLUSTER = OneFlinkCluster.withSlots(AT_ONCE);

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
        List<Path> files = Scenarios.all(SCENARIOS);
        assertThat(files).isNotEmpty();
        ExecutorService replays = Executors.newFixedThreadPool(AT_ONCE);
        Map<Path, Future<ScenarioRunner.Outcome>> outcomes = new LinkedHashMap<>();
        for (Path file : files) {
            outcomes.put(file, replays.submit(() -> ScenarioRunner.run(kafka, Scenario.read(file), work)));
        }
        replays.shutdown();
        return files.stream().map(file -> DynamicTest.dynamicTest(file.getFileName().toString(), () -> {
            ScenarioRunner.Outcome outcome = outcomes.get(file).get();
            Assumptions.assumeTrue(outcome.skipped() == null, () -> "pending: " + outcome.skipped());
            assertThat(outcome.differences()).as(outcome.scenario().title()).isEmpty();
        }));
    }
}
