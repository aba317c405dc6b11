package dev.kestrel.jobs.ingest;

import dev.kestrel.events.FxRate;
import dev.kestrel.events.Rule;

/**
 * What is broadcast to every task of the stages that need it: a published rule version or an FX rate, exactly one
 * set. One broadcast input carries both, as a keyed operator has one.
 */
public class Published {
    public Rule rule;
    public FxRate fxRate;

    public Published() {}

    public static Published of(Rule rule) {
        Published published = new Published();
        published.rule = rule;
        return published;
    }

    public static Published of(FxRate rate) {
        Published published = new Published();
        published.fxRate = rate;
        return published;
    }
}
