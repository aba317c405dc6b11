package dev.kestrel.jobs.ingest;

import dev.kestrel.events.FxRate;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;

/**
 * What is broadcast to every task of the stages that need it: a published rule version, a scorecard version or an FX
 * rate, exactly one set. One broadcast input carries them all, as a keyed operator has one.
 */
public class Published {
    public Rule rule;
    public Scorecard scorecard;
    public FxRate fxRate;

    public Published() {}

    public static Published of(Rule rule) {
        Published published = new Published();
        published.rule = rule;
        return published;
    }

    public static Published of(Scorecard card) {
        Published published = new Published();
        published.scorecard = card;
        return published;
    }

    public static Published of(FxRate rate) {
        Published published = new Published();
        published.fxRate = rate;
        return published;
    }
}
