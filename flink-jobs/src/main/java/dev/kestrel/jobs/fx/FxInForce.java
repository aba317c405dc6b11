package dev.kestrel.jobs.fx;

import dev.kestrel.contract.EventValidator;
import dev.kestrel.events.FxRate;
import dev.kestrel.jobs.rules.RuleFiles;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;

/**
 * The rates one operator task converts with: those of {@code fx.rates-file} plus every rate published since, kept in
 * broadcast state (one entry per pair and day, at most {@link FxRates#HISTORY_PER_PAIR} days per pair) so they survive
 * restarts; the table is rebuilt from that state once per task. Every stage that sums money of several currencies
 * (borrower, group, portfolio) holds one, as it holds the rules in force.
 */
public final class FxInForce {
    /** Published rates, keyed {@code BASE/QUOTE@yyyy-mm-dd} (see {@link FxRates#key}). */
    public static final MapStateDescriptor<String, FxRate> PUBLISHED =
            new MapStateDescriptor<>("fx-rates", Types.STRING, new AvroTypeInfo<>(FxRate.class));

    private final FxSettings settings;
    private FxRates table;

    public FxInForce(FxSettings settings) {
        this.settings = settings;
    }

    /** The file's rates plus every published one; built on first use, after a restore from the restored state. */
    public FxRates table(ReadOnlyBroadcastState<String, FxRate> published) throws Exception {
        if (table == null) {
            FxRates loaded = new FxRates(settings.pivot());
            if (!settings.ratesFile().isEmpty()) {
                read(settings.ratesFile()).forEach(loaded::add);
            }
            List<FxRate> restored = new ArrayList<>();
            published.immutableEntries().forEach(entry -> restored.add(entry.getValue()));
            // Any order gives the same table (a day's rate is chosen by its time and id); sorted for a stable log.
            restored.sort(Comparator.comparing(FxRates::key));
            restored.forEach(loaded::add);
            table = loaded;
        }
        return table;
    }

    /** Takes a published rate into the table and broadcast state; says whether it took effect. */
    public boolean publish(FxRate rate, BroadcastState<String, FxRate> published) throws Exception {
        List<String> gone = table(published).add(rate);
        if (gone == null) {
            return false;
        }
        published.put(FxRates.key(rate), rate);
        for (String key : gone) {
            published.remove(key);
        }
        return true;
    }

    /** The FxRate lines of a file; a line that is not a valid FxRate stops the start, naming the line. */
    static List<FxRate> read(String location) {
        List<FxRate> rates = new ArrayList<>();
        RuleFiles.eachRecord(location, "FX rates file", record -> {
            String problem = !(record instanceof FxRate rate) ? "not an FxRate" : EventValidator.problem(rate, null);
            if (problem == null) {
                rates.add((FxRate) record);
            }
            return problem;
        });
        return rates;
    }
}
