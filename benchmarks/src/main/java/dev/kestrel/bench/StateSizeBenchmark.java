package dev.kestrel.bench;

import dev.kestrel.jobs.ingest.BorrowerEvent;
import dev.kestrel.jobs.risk.AlertEpisodes;
import dev.kestrel.jobs.risk.BorrowerState;
import dev.kestrel.jobs.risk.BorrowerStateSerializer;
import dev.kestrel.jobs.risk.IndicatorValues;
import dev.kestrel.jobs.risk.RiskSettings;
import dev.kestrel.jobs.rules.RuleBook;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Bytes of borrower state after a simulated year: the synthetic portfolio's events for each borrower folded into
 * its state with the shipped rules evaluated, then the state serialised as RocksDB stores it (before RocksDB's own
 * key, TTL timestamp and block overhead). Usage: {@code java ... StateSizeBenchmark [borrowers] [events per borrower]}.
 */
public final class StateSizeBenchmark {
    public static void main(String[] args) {
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
            AlertEpisodes.evaluate(event.borrowerId, state, rules.rules(), before, after, 0, alert -> { });
        }
        BorrowerStateSerializer serializer = new BorrowerStateSerializer();
        int[] sizes = states.values().stream().mapToInt(serializer::sizeOf).sorted().toArray();
        double mean = Arrays.stream(sizes).average().orElse(0);
        System.out.printf(Locale.ROOT, "Borrowers: %,d; events per borrower over 365 days: %d%n", states.size(), perBorrower);
        System.out.printf(Locale.ROOT, "Serialised state per borrower: mean %.0f B, p50 %d B, p99 %d B, max %d B%n",
                mean, sizes[sizes.length / 2], sizes[(int) (sizes.length * 0.99)], sizes[sizes.length - 1]);
    }
}
