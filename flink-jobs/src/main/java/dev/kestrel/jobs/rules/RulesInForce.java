package dev.kestrel.jobs.rules;

import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.events.Rule;
import java.util.Map;
import org.apache.flink.api.common.state.BroadcastState;
import org.apache.flink.api.common.state.MapStateDescriptor;
import org.apache.flink.api.common.state.ReadOnlyBroadcastState;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.formats.avro.typeutils.AvroTypeInfo;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The rules one operator task evaluates: the rule pack it was started with plus every version published at run
 * time. Published versions sit in broadcast state, so they survive restarts; the compiled book is rebuilt from that
 * state once per task. Every operator that evaluates rules (borrower, group, portfolio) holds one.
 */
public final class RulesInForce {
    private static final Logger LOG = LoggerFactory.getLogger(RulesInForce.class);

    /** Published rule versions by rule id. */
    public static final MapStateDescriptor<String, Rule> PUBLISHED =
            new MapStateDescriptor<>("published-rules", Types.STRING, new AvroTypeInfo<>(Rule.class));

    private final String rulePack;
    private RuleBook book;

    public RulesInForce(String rulePack) {
        this.rulePack = rulePack;
    }

    /** The rule pack plus every published version; built on first use, after a restore from the restored state. */
    public RuleBook book(ReadOnlyBroadcastState<String, Rule> published) throws Exception {
        if (book == null) {
            RuleBook loaded = RuleBook.load(rulePack);
            for (Map.Entry<String, Rule> entry : published.immutableEntries()) {
                try {
                    loaded.publish(RuleCompiler.compile(entry.getValue()));
                } catch (InvalidRuleException e) {
                    LOG.warn("ignoring restored rule that does not compile: {}", e.getMessage());
                }
            }
            book = loaded;
        }
        return book;
    }

    /**
     * Puts a published rule in force from the next evaluation, unless it does not compile or is not newer than the
     * version in force; says whether it took effect.
     */
    public boolean publish(Rule rule, BroadcastState<String, Rule> published) throws Exception {
        CompiledRule compiled;
        try {
            compiled = RuleCompiler.compile(rule);
        } catch (InvalidRuleException e) {
            // The route before the broadcast dead-letters malformed rules; this only guards against a bypass.
            LOG.warn("ignoring rule that does not compile: {}", e.getMessage());
            return false;
        }
        Rule current = published.get(rule.getRuleId());
        if (current != null && current.getVersion() >= rule.getVersion()) {
            return false;
        }
        published.put(rule.getRuleId(), rule);
        if (book != null) {
            book.publish(compiled);
        }
        return true;
    }
}
