package dev.kestrel.replay;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** {@code ./kestrel bench replay} end to end at a toy size: not for figures, so that a change cannot break it unnoticed. */
class ReplayBenchmarkTest {
    @Test
    void replaysTheBookAtEachParallelismAndComparesTheAlerts() throws Exception {
        List<ReplayBenchmark.Run> runs = ReplayBenchmark.measure(30, 60, List.of(1, 1));

        assertThat(runs).extracting(ReplayBenchmark.Run::parallelism).containsExactly(1, 1);
        assertThat(runs).allSatisfy(run -> {
            assertThat(run.records()).isPositive();
            assertThat(run.recordsPerSecond()).isPositive();
            assertThat(run.alertChanges()).isPositive();
            assertThat(run.sameAlerts()).isTrue();
        });
        assertThat(runs.get(1).records()).isEqualTo(runs.get(0).records());
    }
}
