package dev.kestrel.jobs.rules;

import java.io.Serializable;

/**
 * Where a task's rules come from before anything arrives on the rules topic: the pack in force from the start, and
 * optionally a file of published versions, each in force from its {@code publishedAt} (a replay's rule history).
 */
public record RuleFiles(String pack, String published) implements Serializable {

    /** Only a pack: the production case, where versions arrive on the rules topic. */
    public static RuleFiles pack(String pack) {
        return new RuleFiles(pack, "");
    }
}
