package dev.kestrel.jobs.ingest;

import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.Rule;
import java.util.EnumMap;
import java.util.Map;
import org.apache.flink.api.common.functions.OpenContext;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.metrics.Counter;
import org.apache.flink.streaming.api.functions.ProcessFunction;
import org.apache.flink.util.Collector;
import org.apache.flink.util.OutputTag;

/**
 * Sends borrower events on, rules and dead letters to their side outputs, and counts dead letters by reason
 * (metric {@code deadLetters_<REASON>}) so a rise in bad input shows on a dashboard before anyone reads the topic.
 */
public final class RouteInbound extends ProcessFunction<Inbound, BorrowerEvent> {
    public static final OutputTag<DeadLetter> DEAD_LETTERS = new OutputTag<>("dead-letters", TypeInformation.of(DeadLetter.class));
    public static final OutputTag<Rule> RULES = new OutputTag<>("rules", TypeInformation.of(Rule.class));

    private transient Map<DeadLetterReason, Counter> deadLetters;

    @Override
    public void open(OpenContext openContext) {
        deadLetters = new EnumMap<>(DeadLetterReason.class);
        for (DeadLetterReason reason : DeadLetterReason.values()) {
            deadLetters.put(reason, getRuntimeContext().getMetricGroup().counter("deadLetters_" + reason.name()));
        }
    }

    @Override
    public void processElement(Inbound inbound, Context ctx, Collector<BorrowerEvent> out) {
        if (inbound.event != null) {
            out.collect(inbound.event);
        } else if (inbound.rule != null) {
            ctx.output(RULES, inbound.rule);
        } else {
            deadLetters.get(inbound.deadLetter.getReasonCode()).inc();
            ctx.output(DEAD_LETTERS, inbound.deadLetter);
        }
    }
}
