package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.TransactionEvent;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.generic.GenericRecord;
import org.apache.avro.message.BinaryMessageEncoder;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class WireCodecTest {
    private final WireCodec codec = new WireCodec();

    @Test
    void roundTripsOneOfEveryRecord() {
        for (SpecificRecordBase record : Samples.oneOfEach()) {
            Decoded decoded = codec.decode(codec.encode(record));

            assertThat(decoded.isRejected()).as(record.getSchema().getName()).isFalse();
            assertThat(decoded.record()).isEqualTo(record);
        }
    }

    @Test
    void writesExactlyWhatAvrosOwnSingleObjectEncoderWrites() throws Exception {
        for (SpecificRecordBase record : Samples.oneOfEach()) {
            EventType type = EventType.of(record.getClass());
            ByteBuffer avro = new BinaryMessageEncoder<SpecificRecordBase>(type.model(), type.schema()).encode(record);

            assertThat(codec.encode(record)).isEqualTo(Arrays.copyOfRange(avro.array(), avro.position(), avro.limit()));
        }
    }

    @Test
    void readsDataWrittenByAnOlderKnownVersionIntoTheCurrentClass() {
        Schema older = olderTransactionEventWithoutPurposeAndBalance();
        GenericRecord written = new GenericData.Record(older);
        TransactionEvent sample = Samples.transaction();
        for (Schema.Field field : older.getFields()) {
            written.put(field.name(), genericValue(sample, field.name()));
        }
        byte[] payload = encodeGeneric(older, written);
        WireCodec knowsOlder = new WireCodec(Map.of(EventType.of(TransactionEvent.class), List.of(older)));

        TransactionEvent read = (TransactionEvent) knowsOlder.decode(payload).record();

        assertThat(read.getEventId()).isEqualTo(sample.getEventId());
        assertThat(read.getAmountMinor()).isEqualTo(sample.getAmountMinor());
        assertThat(read.getEventTime()).isEqualTo(sample.getEventTime());
        assertThat(read.getPurpose()).isNull();
        assertThat(read.getBalanceAfterMinor()).isNull();
    }

    @Test
    void rejectsAnEmptyPayload() {
        assertRejected(new byte[0], DeadLetterReason.UNDECODABLE, "empty payload");
    }

    @Test
    void rejectsBytesWithoutTheSingleObjectMarker() {
        assertRejected("{\"borrowerId\":\"B-1\"}".getBytes(StandardCharsets.UTF_8), DeadLetterReason.UNDECODABLE,
                "not Avro single-object encoded");
    }

    @Test
    void rejectsAFingerprintNoReleasedVersionHas() {
        byte[] payload = codec.encode(Samples.transaction());
        payload[5] ^= 0x55;

        assertRejected(payload, DeadLetterReason.UNKNOWN_SCHEMA, "is not a released version of any record");
    }

    @Test
    void rejectsATruncatedBody() {
        byte[] payload = codec.encode(Samples.transaction());

        assertRejected(Arrays.copyOf(payload, payload.length - 7), DeadLetterReason.UNDECODABLE, "cannot read TransactionEvent body");
    }

    @Test
    void rejectsTrailingBytesAfterTheRecord() {
        byte[] payload = codec.encode(Samples.transaction());

        assertRejected(Arrays.copyOf(payload, payload.length + 3), DeadLetterReason.UNDECODABLE, "unexpected trailing bytes");
    }

    @Test
    void neverThrowsOnRandomlyMutatedPayloads() {
        Random random = new Random(20260302L);
        List<byte[]> valid = Samples.oneOfEach().stream().map(codec::encode).toList();
        int rejected = 0;
        for (int i = 0; i < 5_000; i++) {
            byte[] payload = valid.get(random.nextInt(valid.size())).clone();
            int mutations = 1 + random.nextInt(4);
            for (int m = 0; m < mutations; m++) {
                int at = WireCodec.HEADER_LENGTH + random.nextInt(payload.length - WireCodec.HEADER_LENGTH);
                payload[at] = (byte) random.nextInt(256);
            }
            Decoded decoded = codec.decode(payload);
            if (decoded.isRejected()) {
                rejected++;
                assertThat(decoded.reason()).isNotBlank();
            } else {
                assertThat(decoded.record()).isNotNull();
            }
        }
        // Most byte flips in the body still decode to some record (a changed amount); many must not.
        assertThat(rejected).isBetween(100, 5_000);
    }

    private void assertRejected(byte[] payload, DeadLetterReason code, String reasonPart) {
        Decoded decoded = codec.decode(payload);
        assertThat(decoded.isRejected()).isTrue();
        assertThat(decoded.reasonCode()).isEqualTo(code);
        assertThat(decoded.reason()).contains(reasonPart);
    }

    private static Schema olderTransactionEventWithoutPurposeAndBalance() {
        Schema current = TransactionEvent.getClassSchema();
        List<Schema.Field> fields = current.getFields().stream()
                .filter(f -> !f.name().equals("purpose") && !f.name().equals("balanceAfterMinor"))
                .map(f -> new Schema.Field(f, f.schema()))
                .toList();
        return Schema.createRecord(current.getName(), current.getDoc(), current.getNamespace(), false, fields);
    }

    private static Object genericValue(TransactionEvent sample, String field) {
        Object value = sample.get(field);
        if (value instanceof Enum<?> symbol) {
            Schema enumSchema = TransactionEvent.getClassSchema().getField(field).schema();
            return new GenericData.EnumSymbol(enumSchema, symbol.name());
        }
        if (value instanceof java.time.Instant instant) {
            return instant.toEpochMilli();
        }
        return value;
    }

    private static byte[] encodeGeneric(Schema schema, GenericRecord record) {
        try {
            ByteBuffer buffer = new BinaryMessageEncoder<GenericRecord>(GenericData.get(), schema).encode(record);
            return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }
}
