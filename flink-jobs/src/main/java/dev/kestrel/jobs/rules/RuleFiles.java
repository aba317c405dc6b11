package dev.kestrel.jobs.rules;

import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.JsonLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Serializable;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * Where a task's rules and scorecard come from before anything arrives on the rules topic: the rule pack and the
 * scorecard in force from the start, and optionally a file of published rule and scorecard versions, each in force
 * from its {@code publishedAt} (a replay's history of both).
 */
public record RuleFiles(String pack, String scorecard, String published) implements Serializable {
    public static final String CLASSPATH_PREFIX = "classpath:";
    /** The scorecard shipped with the product (docs/scorecard.md). */
    public static final String DEFAULT_SCORECARD = CLASSPATH_PREFIX + "scorecards/default-scorecard.jsonl";

    /** Only a pack and the default scorecard: the production case, where versions arrive on the rules topic. */
    public static RuleFiles pack(String pack) {
        return new RuleFiles(pack, DEFAULT_SCORECARD, "");
    }

    /** What a reader of a file's records makes of one: null when it takes it (or leaves it to another reader), else why not. */
    @FunctionalInterface
    public interface RecordReader {
        String problem(SpecificRecordBase record);
    }

    /**
     * Reads every record of a JSON-lines file at a location; a line that does not read, or that {@code each} finds a
     * problem with, stops the start, naming the file ({@code what}) and the line.
     */
    public static void eachRecord(String location, String what, RecordReader each) {
        try (BufferedReader reader = open(location)) {
            String line;
            int number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Decoded decoded = JsonLines.read(line);
                String problem = decoded.isRejected() ? decoded.reason() : each.problem(decoded.record());
                if (problem != null) {
                    throw new IllegalArgumentException(what + " " + location + " line " + number + ": " + problem);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + what + " " + location, e);
        }
    }

    /** A JSON-lines file at a location: {@code classpath:rules/default-rules.jsonl} or a file path. */
    public static BufferedReader open(String location) throws IOException {
        InputStream in;
        if (location.startsWith(CLASSPATH_PREFIX)) {
            String resource = location.substring(CLASSPATH_PREFIX.length());
            in = RuleFiles.class.getClassLoader().getResourceAsStream(resource);
            if (in == null) {
                throw new IOException("no resource " + resource + " on the class path");
            }
        } else {
            in = Files.newInputStream(Path.of(location));
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
