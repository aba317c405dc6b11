package dev.kestrel.jobs.rules;

import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.Rule;
import dev.kestrel.events.RuleVersionStatus;
import dev.kestrel.events.Scorecard;
import dev.kestrel.events.VersionRunning;
import dev.kestrel.events.VersionedKind;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.TreeSet;

/**
 * The rules in force: the rule pack the job was started with, overridden rule by rule by newer versions published
 * at run time, each in force from its {@code publishedAt} in event time. A version at or below the latest is ignored,
 * so re-delivered or out-of-order rule records cannot roll a rule back.
 */
public final class RuleBook {

    /** The latest version of each rule, in the order the rules were first seen. */
    private final Map<String, CompiledRule> rules = new LinkedHashMap<>();
    /** Every version of each rule with the event time it is in force from, in ascending version order. */
    private final Map<String, List<Version>> versions = new LinkedHashMap<>();
    /** The event times at which a published version comes into force, and the latest of them. */
    private final TreeSet<Long> changes = new TreeSet<>();
    private long lastChange = Long.MIN_VALUE;
    /** The rules of each scope in force during one period before the last publication. */
    private final Map<AlertScope, AsOf> asOf = new EnumMap<>(AlertScope.class);
    /** The rules of each scope, built on first ask after a change: a stage evaluates only its own. */
    private final Map<AlertScope, List<CompiledRule>> byScope = new EnumMap<>(AlertScope.class);

    /** The rule pack at a location: {@code classpath:rules/default-rules.jsonl} or a file path, in the JSON-lines form. */
    public static RuleBook load(String location) {
        RuleBook book = new RuleBook();
        read(location, (rule, compiled) -> book.publish(compiled));
        return book;
    }

    /**
     * Publishes every rule version of a file (JSON lines of Rule), each in force from its {@code publishedAt}: a
     * replay's rule history, applied as it was in its time.
     */
    public void publishAll(String location) {
        read(location, (rule, compiled) -> publishFrom(compiled, rule.getPublishedAt().toEpochMilli()));
    }

    private static void read(String location, java.util.function.BiConsumer<Rule, CompiledRule> each) {
        RuleFiles.eachRecord(location, "rule file", record -> {
            if (record instanceof Scorecard) {
                return null; // a file of published versions holds the scorecard's too; ScorecardBook reads them
            }
            if (!(record instanceof Rule rule)) {
                return "not a Rule";
            }
            try {
                each.accept(rule, RuleCompiler.compile(rule));
                return null;
            } catch (InvalidRuleException e) {
                return e.getMessage();
            }
        });
    }

    /** Puts the rule in force from the start of time if it is new or a higher version of the one in force; says whether it did. */
    public boolean publish(CompiledRule rule) {
        return publishFrom(rule, Long.MIN_VALUE);
    }

    /**
     * Puts a published version in force from {@code from} (event time, its {@code publishedAt}) if it is new or a higher
     * version than the latest; says whether it did. Events before {@code from} are still judged by the version in
     * force then, so a replay judges history by the rules of its time, and a late event by the rules of its day.
     */
    public boolean publishFrom(CompiledRule rule, long from) {
        CompiledRule current = rules.get(rule.ruleId());
        if (current != null && current.version() >= rule.version()) {
            return false;
        }
        rules.put(rule.ruleId(), rule);
        versions.computeIfAbsent(rule.ruleId(), id -> new ArrayList<>()).add(new Version(rule, from));
        if (from != Long.MIN_VALUE) {
            changes.add(from);
            lastChange = Math.max(lastChange, from);
        }
        byScope.clear();
        asOf.clear();
        return true;
    }

    /** The latest version of a rule, or 0 for a rule the book does not hold. */
    public int latestVersion(String ruleId) {
        CompiledRule rule = rules.get(ruleId);
        return rule == null ? 0 : rule.version();
    }

    /** The version of a rule the book runs (its latest) and from when; null for a rule it does not hold. */
    public VersionRunning running(String ruleId) {
        List<Version> held = versions.get(ruleId);
        if (held == null || held.isEmpty()) {
            return null;
        }
        Version latest = held.get(held.size() - 1);
        return VersionStatuses.running(latest.rule().version(), latest.from());
    }

    /** From when the book holds exactly this version of a rule, if it does. */
    public OptionalLong inForceFrom(String ruleId, int version) {
        return versions.getOrDefault(ruleId, List.of()).stream().filter(v -> v.rule().version() == version)
                .mapToLong(Version::from).findFirst();
    }

    /** Every version the book holds, rule by rule, oldest first, each with the version of its rule that runs. */
    public List<RuleVersionStatus> versionsInForce() {
        List<RuleVersionStatus> all = new ArrayList<>();
        versions.forEach((ruleId, each) -> {
            VersionRunning running = running(ruleId);
            each.forEach(v -> all.add(VersionStatuses.inForce(VersionedKind.RULE, ruleId, v.rule().version(), v.from(), running)));
        });
        return all;
    }

    /** Every rule in force of one scope, in the order they were first seen. */
    public List<CompiledRule> rules(AlertScope scope) {
        return byScope.computeIfAbsent(scope, s -> rules.values().stream().filter(r -> r.scope() == s).toList());
    }

    /**
     * The rules of one scope in force at event time {@code at}: for each rule, its highest version published by then.
     * Past the last publication this is {@link #rules(AlertScope)}, with no work; before it, the list is built once
     * per period between publications.
     */
    public List<CompiledRule> rules(AlertScope scope, long at) {
        if (at >= lastChange) {
            return rules(scope);
        }
        Long since = changes.floor(at);
        long periodStart = since == null ? Long.MIN_VALUE : since;
        AsOf cached = asOf.get(scope);
        if (cached != null && cached.periodStart == periodStart) {
            return cached.rules;
        }
        List<CompiledRule> inForce = new ArrayList<>();
        for (List<Version> ofRule : versions.values()) {
            CompiledRule latest = null;
            for (Version version : ofRule) {
                if (version.from <= at) {
                    latest = version.rule; // versions are kept in ascending order
                }
            }
            if (latest != null && latest.scope() == scope) {
                inForce.add(latest);
            }
        }
        List<CompiledRule> result = List.copyOf(inForce);
        asOf.put(scope, new AsOf(periodStart, result));
        return result;
    }

    public CompiledRule get(String ruleId) {
        return rules.get(ruleId);
    }

    /** Every rule in force, in the order they were first seen. */
    public Collection<CompiledRule> rules() {
        return Collections.unmodifiableCollection(rules.values());
    }

    private record Version(CompiledRule rule, long from) {}

    private record AsOf(long periodStart, List<CompiledRule> rules) {}
}
