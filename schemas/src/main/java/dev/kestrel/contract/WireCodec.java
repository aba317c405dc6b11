package dev.kestrel.contract;

import dev.kestrel.events.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.avro.Schema;
import org.apache.avro.SchemaNormalization;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.BinaryEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The Kafka wire format: Avro binary in Avro's single-object encoding (0xC3 0x01, the writer schema's 8-byte
 * CRC-64-AVRO fingerprint little-endian, then the body). Any released version of any top-level record is
 * recognised by its fingerprint and read into the current generated class, so no registry server is needed.
 *
 * <p>Stricter than Avro's {@code BinaryMessageDecoder}: trailing bytes after the record are a rejection, since
 * they mean the producer and the contract disagree. Not thread-safe: keep one per thread (one per operator).
 */
public final class WireCodec {
    static final byte MARKER_1 = (byte) 0xC3;
    static final byte MARKER_2 = (byte) 0x01;
    static final int HEADER_LENGTH = 10;

    private final Map<Long, Reader> readersByFingerprint = new HashMap<>();
    private final Map<Class<?>, Writer> writersByClass = new HashMap<>();
    private BinaryDecoder reusableDecoder;
    private BinaryEncoder reusableEncoder;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** A codec that knows every released version of every top-level record. */
    public WireCodec() {
        this(releasedVersions());
    }

    /** A codec that reads the given writer versions of each type (and the current one) and writes the current one. */
    public WireCodec(Map<EventType, List<Schema>> writerVersions) {
        writerVersions.forEach((type, versions) -> {
            writersByClass.put(type.javaClass(), new Writer(type));
            for (Schema writerSchema : versions) {
                readersByFingerprint.put(fingerprint(writerSchema), new Reader(type, writerSchema));
            }
            // The current schema is readable even before it is released, so a build under development still works.
            readersByFingerprint.putIfAbsent(fingerprint(type.schema()), new Reader(type, type.schema()));
        });
    }

    private static Map<EventType, List<Schema>> releasedVersions() {
        Map<EventType, List<Schema>> versions = new LinkedHashMap<>();
        EventType.ALL.forEach(type -> versions.put(type, ReleasedSchemas.of(type.name())));
        return versions;
    }

    /** Encodes a record with its current schema. */
    public byte[] encode(SpecificRecordBase record) {
        Writer writer = writersByClass.get(record.getClass());
        if (writer == null) {
            throw new IllegalArgumentException(record.getClass().getName() + " is not a top-level record of the contract");
        }
        out.reset();
        out.write(MARKER_1);
        out.write(MARKER_2);
        for (int i = 0; i < 8; i++) {
            out.write((int) (writer.fingerprint >>> (8 * i)));
        }
        try {
            // Buffered: the direct encoder made a synchronized ByteArrayOutputStream call per varint and string.
            reusableEncoder = EncoderFactory.get().binaryEncoder(out, reusableEncoder);
            writer.datumWriter.write(record, reusableEncoder);
            reusableEncoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a ByteArrayOutputStream does not fail
        }
        return out.toByteArray();
    }

    /** Decodes a payload into the current class of whichever record it holds, or says why it cannot. */
    public Decoded decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "empty payload");
        }
        if (payload.length < HEADER_LENGTH || payload[0] != MARKER_1 || payload[1] != MARKER_2) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE,
                    "not Avro single-object encoded: expected the marker C3 01 and an 8-byte schema fingerprint, got "
                            + payload.length + " bytes starting " + hexPrefix(payload));
        }
        long fingerprint = fingerprintOf(payload);
        Reader reader = readersByFingerprint.get(fingerprint);
        if (reader == null) {
            return Decoded.rejected(DeadLetterReason.UNKNOWN_SCHEMA,
                    "schema fingerprint " + Long.toHexString(fingerprint) + " is not a released version of any record in the contract");
        }
        try {
            reusableDecoder = DecoderFactory.get().binaryDecoder(payload, HEADER_LENGTH, payload.length - HEADER_LENGTH, reusableDecoder);
            SpecificRecordBase record = reader.datumReader.read(null, new BoundedDecoder(reusableDecoder, payload.length - HEADER_LENGTH));
            if (!reusableDecoder.isEnd()) {
                return Decoded.rejected(DeadLetterReason.UNDECODABLE,
                        reader.type.name() + " followed by unexpected trailing bytes");
            }
            return Decoded.of(record);
        } catch (IOException | RuntimeException e) {
            // Truncated bodies, impossible lengths, bad enum indexes and the like: all are the payload's fault.
            return Decoded.rejected(DeadLetterReason.UNDECODABLE,
                    "cannot read " + reader.type.name() + " body: " + e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage()));
        }
    }

    /**
     * The schema a payload was written with, as its fingerprint names it among the versions this codec knows; null when
     * the payload has no single-object header or names none of them.
     */
    public Schema writerSchema(byte[] payload) {
        if (payload == null || payload.length < HEADER_LENGTH || payload[0] != MARKER_1 || payload[1] != MARKER_2) {
            return null;
        }
        Reader reader = readersByFingerprint.get(fingerprintOf(payload));
        return reader == null ? null : reader.writerSchema;
    }

    /** The single-object fingerprint: CRC-64-AVRO of the schema's parsing canonical form. */
    public static long fingerprint(Schema schema) {
        return SchemaNormalization.parsingFingerprint64(schema);
    }

    /** The writer-schema fingerprint in a payload's header; the caller has checked the header is there. */
    static long fingerprintOf(byte[] payload) {
        long fingerprint = 0;
        for (int i = 0; i < 8; i++) {
            fingerprint |= (payload[2 + i] & 0xFFL) << (8 * i);
        }
        return fingerprint;
    }

    private static String hexPrefix(byte[] payload) {
        StringBuilder hex = new StringBuilder();
        for (int i = 0; i < Math.min(4, payload.length); i++) {
            hex.append(String.format("%02X", payload[i]));
        }
        return hex.toString();
    }

    private static final class Reader {
        final EventType type;
        final Schema writerSchema;
        final SpecificDatumReader<SpecificRecordBase> datumReader;

        Reader(EventType type, Schema writerSchema) {
            this.type = type;
            this.writerSchema = writerSchema;
            this.datumReader = new SpecificDatumReader<>(writerSchema, type.schema(), type.model());
        }
    }

    private static final class Writer {
        final long fingerprint;
        final SpecificDatumWriter<SpecificRecordBase> datumWriter;

        Writer(EventType type) {
            this.fingerprint = fingerprint(type.schema());
            this.datumWriter = new SpecificDatumWriter<>(type.schema(), type.model());
        }
    }
}
