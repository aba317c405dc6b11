package dev.kestrel.bench;

import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.risk.AlertEpisodes;
import dev.kestrel.jobs.risk.BorrowerState;
import dev.kestrel.jobs.risk.BorrowerCoreSerializer;
import dev.kestrel.jobs.risk.BorrowerStateSerializer;
import dev.kestrel.jobs.indicator.IndicatorValues;
import dev.kestrel.jobs.risk.RiskSettings;
import dev.kestrel.jobs.rules.RuleBook;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.AlertScope;
import dev.kestrel.jobs.risk.RiskSnapshots;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/**
 * Bytes of borrower state after a simulated year: the synthetic portfolio's events for each borrower folded into
 * its state with the shipped rules evaluated, then the state serialised as RocksDB stores it (before RocksDB's own
 * key, TTL timestamp and block overhead). Usage: {@code java ... StateSizeBenchmark [borrowers] [events per borrower]}.
 */
public final class StateSizeBenchmark {
    public static void main(String[] args) throws IOException {
        int borrowers = args.length > 0 ? Integer.parseInt(args[0]) : 10_000;
        int perBorrower = args.length > 1 ? Integer.parseInt(args[1]) : 250;
        SyntheticPortfolio portfolio = new SyntheticPortfolio(borrowers, (long) borrowers * perBorrower, 365);
        RiskSettings settings = RiskSettings.defaults();
        RuleBook rules = RuleBook.load("classpath:rules/default-rules.jsonl");
        Map<String, BorrowerState> states = new HashMap<>();
        IndicatorValues before = new IndicatorValues();
        IndicatorValues after = new IndicatorValues();
        while (portfolio.hasNext()) {
            SpecificRecordBase record = portfolio.next();
            BorrowerEvent event = BorrowerEvent.of(record);
            BorrowerState state = states.computeIfAbsent(event.borrowerId, b -> new BorrowerState());
            state.advanceClock(event.eventTimeMillis);
            state.indicators(before, settings);
            state.apply(event, settings);
            state.indicators(after, settings);
            AlertEpisodes.evaluate(event.borrowerId, state, rules.rules(AlertScope.BORROWER), before, after, 0, alert -> { });
        }
        BorrowerStateSerializer serializer = new BorrowerStateSerializer();
        int[] sizes = states.values().stream().mapToInt(serializer::sizeOf).sorted().toArray();
        double mean = Arrays.stream(sizes).average().orElse(0);
        System.out.printf(Locale.ROOT, "Borrowers: %,d; events per borrower over 365 days: %d%n", states.size(), perBorrower);
        System.out.printf(Locale.ROOT, "Serialised state per borrower: mean %.0f B, p50 %d B, p99 %d B, max %d B%n",
                mean, sizes[sizes.length / 2], sizes[(int) (sizes.length * 0.99)], sizes[sizes.length - 1]);
        // The split layout (format 11): the core every event reads and writes, and each part kept apart.
        String[] names = {"core", "cash flow", "exposure", "repayments", "financials", "bureau"};
        int[][] byPart = states.values().stream().map(BorrowerCoreSerializer::bytesByPart).toArray(int[][]::new);
        int[] totals = Arrays.stream(byPart).mapToInt(b -> Arrays.stream(b).sum()).sorted().toArray();
        System.out.printf(Locale.ROOT, "Split layout, core and parts together: mean %.0f B, p50 %d B, p99 %d B, max %d B%n",
                Arrays.stream(totals).average().orElse(0), totals[totals.length / 2], totals[(int) (totals.length * 0.99)],
                totals[totals.length - 1]);
        for (int i = 0; i < names.length; i++) {
            int part = i;
            int[] ofPart = Arrays.stream(byPart).mapToInt(b -> b[part]).sorted().toArray();
            System.out.printf(Locale.ROOT, "  %-10s mean %.0f B, p50 %d B, p99 %d B, max %d B%n", names[i],
                    Arrays.stream(ofPart).average().orElse(0), ofPart[ofPart.length / 2], ofPart[(int) (ofPart.length * 0.99)],
                    ofPart[ofPart.length - 1]);
        }
        printCosts(states, serializer, settings);
    }

    /**
     * What a borrower's state and snapshot cost on one core, per event of the job: reading and writing the state (as
     * the RocksDB backend does on every event) and building and encoding a snapshot (as the snapshot sink does when
     * one is due). Single-threaded, after a warm-up pass, so the figures are comparable between layouts.
     */
    private static void printCosts(Map<String, BorrowerState> states, BorrowerStateSerializer serializer, RiskSettings settings)
            throws IOException {
        List<Map.Entry<String, BorrowerState>> all = new ArrayList<>(states.entrySet());
        DataOutputSerializer out = new DataOutputSerializer(2048);
        DataInputDeserializer in = new DataInputDeserializer();
        WireCodec codec = new WireCodec();
        IndicatorValues values = new IndicatorValues();
        long checksum = 0;
        for (int pass = 0; pass < Integer.getInteger("kestrel.bench.passes", 6); pass++) { // the first pass warms up the JIT and is not counted
            long serialise = 0, deserialise = 0, snapshot = 0;
            for (Map.Entry<String, BorrowerState> entry : all) {
                long t0 = System.nanoTime();
                out.clear();
                serializer.serialize(entry.getValue(), out);
                long t1 = System.nanoTime();
                in.setBuffer(out.getSharedBuffer(), 0, out.length());
                BorrowerState read = serializer.deserialize(in);
                long t2 = System.nanoTime();
                read.indicators(values, settings);
                checksum += codec.encode(RiskSnapshots.of(entry.getKey(), read, values, settings.internalRatingScale())).length;
                long t3 = System.nanoTime();
                serialise += t1 - t0;
                deserialise += t2 - t1;
                snapshot += t3 - t2;
            }
            if (pass > 0) {
                System.out.printf(Locale.ROOT, "pass %d: write state %.2f µs, read state %.2f µs, indicators + snapshot built and encoded %.2f µs per borrower%n",
                        pass, serialise / 1e3 / all.size(), deserialise / 1e3 / all.size(), snapshot / 1e3 / all.size());
            }
        }
        System.out.printf(Locale.ROOT, "(snapshot bytes written: %,d)%n", checksum);
    }
}
