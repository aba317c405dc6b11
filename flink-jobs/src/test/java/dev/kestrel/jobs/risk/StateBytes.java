package dev.kestrel.jobs.risk;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;

/** State values as bytes, for the serializer tests: written now, or as an older engine wrote them (hex resources). */
public final class StateBytes {
    private StateBytes() {}

    public static <T> byte[] of(TypeSerializer<T> serializer, T value) {
        DataOutputSerializer out = new DataOutputSerializer(256);
        try {
            serializer.serialize(value, out);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.getCopyOfBuffer();
    }

    public static <T> T read(TypeSerializer<T> serializer, byte[] bytes) throws IOException {
        return serializer.deserialize(new DataInputDeserializer(bytes));
    }

    /** The bytes a hex resource under /state holds, e.g. "group-state-format-1.hex". */
    public static byte[] kept(String name) throws IOException {
        try (var hex = StateBytes.class.getResourceAsStream("/state/" + name)) {
            return HexFormat.of().parseHex(new String(hex.readAllBytes(), StandardCharsets.US_ASCII).strip());
        }
    }
}
