package dev.kestrel.contract;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Every released version of a record, read from {@code schemas/released/<Record>/v<N>.avsc} (packaged in the jar).
 * Each file is self-contained: shared enums are written out in full, so it parses on its own.
 */
public final class ReleasedSchemas {
    private static final String ROOT = "/dev/kestrel/events/released/";

    private ReleasedSchemas() {}

    /** Versions 1..N of the record, oldest first; empty when none has been released. */
    public static List<Schema> of(String recordName) {
        List<Schema> versions = new ArrayList<>();
        for (int version = 1; ; version++) {
            try (InputStream in = ReleasedSchemas.class.getResourceAsStream(path(recordName, version))) {
                if (in == null) {
                    return versions;
                }
                versions.add(new Schema.Parser().parse(in));
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read released schema " + path(recordName, version), e);
            }
        }
    }

    static String path(String recordName, int version) {
        return ROOT + recordName + "/v" + version + ".avsc";
    }

    /** Where version {@code version} of the record is kept in the repository. */
    public static String sourcePath(String recordName, int version) {
        return "schemas/released/" + recordName + "/v" + version + ".avsc";
    }
}
