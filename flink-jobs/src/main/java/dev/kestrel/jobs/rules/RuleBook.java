package dev.kestrel.jobs.rules;

import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.events.AlertScope;
import dev.kestrel.events.Rule;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The rules in force: the rule pack the job was started with, overridden rule by rule by newer versions published
 * at run time. A version at or below the one in force is ignored, so re-delivered or out-of-order rule records
 * cannot roll a rule back.
 */
public final class RuleBook {
    public static final String CLASSPATH_PREFIX = "classpath:";

    private final Map<String, CompiledRule> rules = new LinkedHashMap<>();
    /** The rules of each scope, built on first ask after a change: a stage evaluates only its own. */
    private final Map<AlertScope, List<CompiledRule>> byScope = new EnumMap<>(AlertScope.class);

    /** The rule pack at a location: {@code classpath:rules/default-rules.jsonl} or a file path, in the JSON-lines form. */
    public static RuleBook load(String location) {
        RuleBook book = new RuleBook();
        try (BufferedReader reader = open(location)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Decoded decoded = JsonLines.read(line);
                if (decoded.isRejected() || !(decoded.record() instanceof Rule rule)) {
                    throw new IllegalArgumentException("rule pack " + location + " line " + number + ": "
                            + (decoded.isRejected() ? decoded.reason() : "not a Rule"));
                }
                try {
                    book.publish(RuleCompiler.compile(rule));
                } catch (InvalidRuleException e) {
                    throw new IllegalArgumentException("rule pack " + location + " line " + number + ": " + e.getMessage(), e);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read rule pack " + location, e);
        }
        return book;
    }

    private static BufferedReader open(String location) throws IOException {
        InputStream in;
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length());
            in = RuleBook.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("no resource " + resource + " on the class path");
            }
        } else {
            in = Files.newInputStream(Path.of(location));
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }

    /** Puts the rule in force if it is new or a higher version of the one in force; says whether it did. */
    public boolean publish(CompiledRule rule) {
        CompiledRule current = rules.get(rule.ruleId());
        if (current != null && current.version() >= rule.version()) {
            return false;
        }
        rules.put(rule.ruleId(), rule);
        byScope.clear();
        return true;
    }

    /** Every rule in force of one scope, in the order they were first seen. */
    public List<CompiledRule> rules(AlertScope scope) {
        return byScope.computeIfAbsent(scope, s -> rules.values().stream().filter(r -> r.scope() == s).toList());
    }

    public CompiledRule get(String ruleId) {
        return rules.get(ruleId);
    }

    /** Every rule in force, in the order they were first seen. */
    public Collection<CompiledRule> rules() {
        return Collections.unmodifiableCollection(rules.values());
    }
}
