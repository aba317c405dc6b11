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
 * <p>Given a {@link SchemaRegistry}, it also reads a registry's wire format (0x00, a 4-byte big-endian schema id, then
 * the body): the id is looked up once, and the schema it names is accepted only if its fingerprint is a released
 * version, so a registry never widens the contract.
 *
 * <p>Stricter than Avro's {@code BinaryMessageDecoder}: trailing bytes after the record are a rejection, since
 * they mean the producer and the contract disagree. Not thread-safe: keep one per thread (one per operator).
 */
public final class WireCodec {
    static final byte MARKER_1 = (byte) 0xC3;
    static final byte MARKER_2 = (byte) 0x01;
    static final int HEADER_LENGTH = 10;
    static final byte REGISTRY_MAGIC = 0x00;
    static final int REGISTRY_HEADER_LENGTH = 5;

    private final Map<Long, Reader> readersByFingerprint = new HashMap<>();
    private final Map<Class<?>, Writer> writersByClass = new HashMap<>();
    private final SchemaRegistry registry;
    private final Map<Integer, Reader> readersBySchemaId = new HashMap<>();
    private BinaryDecoder reusableDecoder;
    private BinaryEncoder reusableEncoder;
    private final ByteArrayOutputStream out = new ByteArrayOutputStream(256);

    /** A codec that knows every released version of every top-level record. */
    public WireCodec() {
        this(releasedVersions(), null);
    }

    /** A codec that knows every released version and also reads the registry wire format through this registry. */
    public WireCodec(SchemaRegistry registry) {
        this(releasedVersions(), registry);
    }

    /** A codec that reads the given writer versions of each type (and the current one) and writes the current one. */
    public WireCodec(Map<EventType, List<Schema>> writerVersions) {
        this(writerVersions, null);
    }

    private WireCodec(Map<EventType, List<Schema>> writerVersions, SchemaRegistry registry) {
        this.registry = registry;
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
        Writer writer = writerOf(record);
        out.reset();
        out.write(MARKER_1);
        out.write(MARKER_2);
        for (int i = 0; i < 8; i++) {
            out.write((int) (writer.fingerprint >>> (8 * i)));
        }
        return body(writer, record);
    }

    /**
     * Encodes a record with its current schema in a registry's wire format: 0x00, the id the registry gave that schema
     * (big-endian), then the body.
     */
    public byte[] encodeRegistered(SpecificRecordBase record, int schemaId) {
        Writer writer = writerOf(record);
        out.reset();
        out.write(REGISTRY_MAGIC);
        for (int i = 3; i >= 0; i--) {
            out.write(schemaId >>> (8 * i));
        }
        return body(writer, record);
    }

    private Writer writerOf(SpecificRecordBase record) {
        Writer writer = writersByClass.get(record.getClass());
        if (writer == null) {
            throw new IllegalArgumentException(record.getClass().getName() + " is not a top-level record of the contract");
        }
        return writer;
    }

    private byte[] body(Writer writer, SpecificRecordBase record) {
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

    /**
     * Decodes a payload into the current class of whichever record it holds, or says why it cannot.
     *
     * @throws RuntimeException only when a registry-format payload's schema id cannot be looked up because the
     *         registry does not answer: no verdict on the payload is possible then, so the caller must not route it
     */
    public Decoded decode(byte[] payload) {
        if (payload == null || payload.length == 0) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "empty payload");
        }
        if (payload[0] == REGISTRY_MAGIC) {
            return decodeRegistered(payload);
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
        return body(reader, payload, HEADER_LENGTH);
    }

    private Decoded decodeRegistered(byte[] payload) {
        if (payload.length < REGISTRY_HEADER_LENGTH) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE,
                    "registry wire format needs the byte 00 and a 4-byte schema id; got only " + payload.length + " bytes");
        }
        int id = ((payload[1] & 0xFF) << 24) | ((payload[2] & 0xFF) << 16) | ((payload[3] & 0xFF) << 8) | (payload[4] & 0xFF);
        if (registry == null) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "registry wire format (schema id " + Integer.toUnsignedString(id)
                    + ") but no schema registry is configured; send single-object encoding (C3 01) or configure the registry");
        }
        Reader reader = readersBySchemaId.get(id);
        if (reader == null) {
            Schema schema;
            try {
                schema = registry.schema(id);
            } catch (IllegalArgumentException e) {
                return Decoded.rejected(DeadLetterReason.UNKNOWN_SCHEMA, e.getMessage());
            }
            if (schema == null) {
                return Decoded.rejected(DeadLetterReason.UNKNOWN_SCHEMA,
                        "schema id " + Integer.toUnsignedString(id) + " is not registered in the schema registry");
            }
            reader = readersByFingerprint.get(fingerprint(schema));
            if (reader == null) {
                return Decoded.rejected(DeadLetterReason.UNKNOWN_SCHEMA, "schema id " + Integer.toUnsignedString(id) + " ("
                        + schema.getFullName() + ", fingerprint " + Long.toHexString(fingerprint(schema))
                        + ") is not a released version of any record in the contract");
            }
            readersBySchemaId.put(id, reader); // a registry never reuses an id for another schema
        }
        return body(reader, payload, REGISTRY_HEADER_LENGTH);
    }

    private Decoded body(Reader reader, byte[] payload, int offset) {
        try {
            reusableDecoder = DecoderFactory.get().binaryDecoder(payload, offset, payload.length - offset, reusableDecoder);
            SpecificRecordBase record = reader.datumReader.read(null, new BoundedDecoder(reusableDecoder, payload.length - offset));
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
