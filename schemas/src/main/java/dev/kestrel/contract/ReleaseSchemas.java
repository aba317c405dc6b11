package dev.kestrel.contract;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.avro.Schema;

/**
 * Records a release of the contract: for every top-level record whose current schema is not yet released,
 * writes it, self-contained, as the next {@code schemas/released/<Record>/v<N>.avsc}. Run from the
 * repository root after changing an .avsc file: {@code mvn -q -pl schemas -am compile exec:java
 * -Dexec.mainClass=dev.kestrel.contract.ReleaseSchemas}. The evolution test then checks the new version.
 */
public final class ReleaseSchemas {
    private ReleaseSchemas() {}

    public static void main(String[] args) throws IOException {
        Path repositoryRoot = Path.of(args.length > 0 ? args[0] : ".");
        for (EventType type : EventType.ALL) {
            List<Schema> released = ReleasedSchemas.of(type.name());
            boolean unchanged = !released.isEmpty()
                    && WireCodec.fingerprint(released.get(released.size() - 1)) == WireCodec.fingerprint(type.schema());
            if (unchanged) {
                continue;
            }
            Path file = repositoryRoot.resolve(ReleasedSchemas.sourcePath(type.name(), released.size() + 1));
            Files.createDirectories(file.getParent());
            Files.writeString(file, type.schema().toString(true) + "\n");
            System.out.println("released " + file);
        }
    }
}
