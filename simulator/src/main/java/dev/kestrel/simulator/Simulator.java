package dev.kestrel.simulator;

import java.io.PrintStream;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Feeds a simulated loan book to Kafka, or writes it as a history file, day by day in event-time order; prints a
 * progress line, and writes the ground truth at the end. Run it standalone against any Kafka:
 * {@code java -jar simulator.jar --bootstrap-servers broker:9092 --borrowers 10000 --rate 5000}.
 */
public final class Simulator {
    private final SimulatorOptions options;
    private final PrintStream progress;
    private volatile boolean stopped;

    public Simulator(SimulatorOptions options, PrintStream progress) {
        this.options = options;
        this.progress = progress;
    }

    public static void main(String[] args) {
        SimulatorOptions options;
        try {
            options = SimulatorOptions.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("simulator: " + e.getMessage());
            System.err.print(SimulatorOptions.USAGE);
            System.exit(64);
            return;
        }
        Summary summary = new Simulator(options, System.err).run();
        System.err.println();
        System.err.println(summary);
    }

    /** What a run produced; {@code events} counts skipped ones too, so it is the {@code --skip} of a continuation. */
    public record Summary(long events, int borrowers, int troubled, int defaults, List<GroundTruth> truth) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "%,d events for %,d borrowers; %,d got into trouble, %,d defaulted",
                    events, borrowers, troubled, defaults);
        }
    }

    /** Asks a running simulation to stop after the current event. */
    public void stop() {
        stopped = true;
    }

    public Summary run() {
        try (EventOutput output = options.out() != null ? EventOutput.jsonLines(options.out())
                : EventOutput.kafka(options.bootstrapServers(), options.topics(), options.kafkaSecurity(), options.reviewSigner())) {
            return run(output);
        }
    }

    Summary run(EventOutput output) {
        Portfolio portfolio = new Portfolio(options);
        Pacer pacer = new Pacer(options.rate());
        long events = 0;
        for (SpecificRecordBase record : portfolio.masterData(options.sendsReviews())) {
            if (events++ >= options.skip()) {
                output.write(record);
            }
        }
        LocalDate end = options.start().plusDays(options.days() - 1);
        long started = System.nanoTime();
        long lastPrint = 0;
        for (LocalDate day = options.start(); !day.isAfter(end) && !stopped; day = day.plusDays(1)) {
            for (SpecificRecordBase record : portfolio.day(day)) {
                if (stopped) {
                    break;
                }
                if (events++ < options.skip()) {
                    continue; // sent by an earlier run: the same seed made the same record
                }
                pacer.await();
                output.write(record);
            }
            long now = System.nanoTime();
            if (progress != null && now - lastPrint > 1_000_000_000L) {
                lastPrint = now;
                double seconds = (now - started) / 1e9;
                progress.printf(Locale.ROOT, "\rsimulator: day %s  %,d events  %,.0f events/s   ", day, events,
                        events / Math.max(seconds, 1e-3));
                progress.flush();
            }
        }
        List<GroundTruth> truth = GroundTruth.of(portfolio, end);
        if (options.truth() != null) {
            GroundTruth.writeTruth(options.truth(), truth);
        }
        if (options.outcomes() != null) {
            GroundTruth.writeOutcomes(options.outcomes(), truth);
        }
        int defaults = (int) truth.stream().filter(t -> t.defaultDate() != null).count();
        return new Summary(events, portfolio.borrowers.size(), truth.size(), defaults, truth);
    }

    /** Holds the output to a rate, in small bursts so that sleeping stays coarse. */
    private static final class Pacer {
        private final int rate;
        private final long started = System.nanoTime();
        private long sent;

        Pacer(int rate) {
            this.rate = rate;
        }

        void await() {
            if (rate <= 0 || ++sent % 100 != 0) {
                return;
            }
            long due = started + sent * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                try {
                    Thread.sleep(wait / 1_000_000, (int) (wait % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            }
        }
    }
}
