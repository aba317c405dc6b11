package dev.kestrel.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Each benchmark command, run end to end at a toy size. Not for figures (those come from {@code ./kestrel bench} on
 * a full book and are kept in docs/benchmarks.md), but so that a change to the job cannot break a command unnoticed:
 * one did, when group limits began to travel with borrower events and the floor job, keyed by borrower id, met a
 * limit without one and restarted for ever.
 */
class BenchmarkCommandsTest {

    /** A positive figure in the first column after the row's name: "| name | 12,345 | ...". */
    private static double firstFigure(String printed, String rowName) {
        Matcher row = Pattern.compile("\\| " + Pattern.quote(rowName) + " \\| ([0-9,.]+) \\|").matcher(printed);
        assertThat(row.find()).as("a row for %s in:%n%s", rowName, printed).isTrue();
        return Double.parseDouble(row.group(1).replace(",", ""));
    }

    @Test
    @Timeout(value = 10, unit = TimeUnit.MINUTES)
    void throughputMeasuresTheJobAgainstBothFloorsAndCountsItsOutput() throws Exception {
        // Warm-up runs make figures comparable; at a toy size there are no figures to compare.
        System.setProperty("kestrel.bench.warm-up", "false");
        String printed;
        try {
            printed = printedBy(() -> ThroughputBenchmark.main(new String[] {"300", "5"}));
        } finally {
            System.clearProperty("kestrel.bench.warm-up");
        }

        assertThat(firstFigure(printed, "(a) read, decode, discard")).isPositive();
        assertThat(firstFigure(printed, "(c) + one RocksDB read-modify-write per event")).isPositive();
        assertThat(firstFigure(printed, "(b) full early-warning job, exactly-once sinks")).isPositive();
        assertThat(printed).containsPattern("\\(b\\)/\\(c\\) = [0-9.]+ +\\(b\\)/\\(a\\) = [0-9.]+");
        Matcher snapshots = Pattern.compile("output kestrel.borrower-snapshots: ([0-9,]+) offsets").matcher(printed);
        assertThat(snapshots.find()).isTrue();
        assertThat(Long.parseLong(snapshots.group(1).replace(",", ""))).as("borrower snapshots written by (b)").isPositive();
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void latencySeesEveryAlertItWaitsFor() throws Exception {
        // Events stamped with the wall clock and sent in order: a second of out-of-orderness is enough, and the run does
        // not depend on the hour (with the default hour, 00:00 to 01:00 UTC held every borrower's first events).
        // The warm-up makes figures comparable; at a toy size there are none to compare.
        System.setProperty("kestrel.bench.out-of-orderness", "1s");
        System.setProperty("kestrel.bench.warm-up", "false");
        String printed;
        try {
            printed = printedBy(() -> LatencyBenchmark.main(new String[] {"500", "3", "1s"}));
        } finally {
            System.clearProperty("kestrel.bench.out-of-orderness");
            System.clearProperty("kestrel.bench.warm-up");
        }

        Matcher row = Pattern.compile("\\| 1s \\| ([0-9,]+) \\(([0-9]+) not seen\\) \\| ([0-9]+) \\| ([0-9]+) \\|").matcher(printed);
        assertThat(row.find()).as("the 1s row in:%n%s", printed).isTrue();
        assertThat(Long.parseLong(row.group(1).replace(",", ""))).as("alerts measured").isPositive();
        assertThat(row.group(2)).as("alerts never seen").isEqualTo("0");
        assertThat(Long.parseLong(row.group(4))).as("p99 ms").isGreaterThanOrEqualTo(Long.parseLong(row.group(3)));
    }

    @Test
    @Timeout(value = 5, unit = TimeUnit.MINUTES)
    void stateSizeFoldsAYearIntoEachBorrowersState() throws Exception {
        String printed = printedBy(() -> StateSizeBenchmark.main(new String[] {"200", "250"}));

        Matcher sizes = Pattern.compile("mean ([0-9]+) B, p50 ([0-9]+) B, p99 ([0-9]+) B, max ([0-9]+) B").matcher(printed);
        assertThat(sizes.find()).as("the state sizes in:%n%s", printed).isTrue();
        assertThat(Integer.parseInt(sizes.group(1))).as("mean bytes").isBetween(100, 1024);
        assertThat(Integer.parseInt(sizes.group(4))).as("max bytes").isGreaterThanOrEqualTo(Integer.parseInt(sizes.group(3)));
    }

    interface Command {
        void run() throws Exception;
    }

    /** What a command printed on standard output, which is where the benchmarks put their figures. */
    private static String printedBy(Command command) throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try (PrintStream both = new PrintStream(new TeeStream(original, captured), true, StandardCharsets.UTF_8)) {
            System.setOut(both);
            command.run();
        } finally {
            System.setOut(original);
        }
        return captured.toString(StandardCharsets.UTF_8);
    }

    /** Still shows the figures in the build log while keeping a copy to check. */
    private static final class TeeStream extends java.io.OutputStream {
        private final PrintStream console;
        private final ByteArrayOutputStream copy;

        TeeStream(PrintStream console, ByteArrayOutputStream copy) {
            this.console = console;
            this.copy = copy;
        }

        @Override
        public synchronized void write(int b) {
            console.write(b);
            copy.write(b);
        }

        @Override
        public synchronized void write(byte[] bytes, int offset, int length) {
            console.write(bytes, offset, length);
            copy.write(bytes, offset, length);
        }
    }
}
