package dev.kestrel.contract;

import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;
import org.apache.avro.SchemaCompatibility;
import org.apache.avro.SchemaCompatibility.SchemaCompatibilityType;
import org.apache.avro.SchemaCompatibility.SchemaPairCompatibility;

/**
 * The contract's evolution rule: the current version of a record must read data written by every released
 * version, and every released version must read data written by the current one (full transitive
 * compatibility), so producers and consumers can upgrade in any order. The current version must also be
 * released, so that every version that ever reached Kafka stays readable.
 */
public final class CompatibilityCheck {
    private CompatibilityCheck() {}

    /** What is wrong with {@code current} against the {@code released} versions (oldest first); empty when fine. */
    public static List<String> problems(String recordName, List<Schema> released, Schema current) {
        List<String> problems = new ArrayList<>();
        if (released.isEmpty()) {
            problems.add(recordName + " has no released version: add " + ReleasedSchemas.sourcePath(recordName, 1));
            return problems;
        }
        for (int i = 0; i < released.size(); i++) {
            String version = recordName + " v" + (i + 1);
            check(problems, "the current " + recordName + " cannot read data written by " + version, current, released.get(i));
            check(problems, version + " cannot read data written by the current " + recordName, released.get(i), current);
        }
        Schema latest = released.get(released.size() - 1);
        if (WireCodec.fingerprint(latest) != WireCodec.fingerprint(current)) {
            problems.add("the current " + recordName + " differs from its latest released version v" + released.size()
                    + ": release it as " + ReleasedSchemas.sourcePath(recordName, released.size() + 1)
                    + " (ReleaseSchemas writes it)");
        }
        return problems;
    }

    private static void check(List<String> problems, String failure, Schema reader, Schema writer) {
        SchemaPairCompatibility result = SchemaCompatibility.checkReaderWriterCompatibility(reader, writer);
        if (result.getType() != SchemaCompatibilityType.COMPATIBLE) {
            result.getResult().getIncompatibilities().forEach(incompatibility -> problems.add(failure + ": "
                    + incompatibility.getType() + " at " + incompatibility.getLocation() + " (" + incompatibility.getMessage() + ")"));
        }
    }
}
