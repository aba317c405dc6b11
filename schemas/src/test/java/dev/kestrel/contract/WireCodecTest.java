package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.DeadLetterReason;
import dev.kestrel.events.FinancialStatement;
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
    void readsAVersionOneStatementWithEveryLineItDidNotHaveUnknown() {
        Schema v1 = ReleasedSchemas.of("FinancialStatement").get(0);
        FinancialStatement sample = Samples.financialStatement();
        GenericRecord written = new GenericData.Record(v1);
        for (Schema.Field field : v1.getFields()) {
            Object value = sample.get(field.name());
            if (value instanceof Enum<?> symbol) {
                value = new GenericData.EnumSymbol(field.schema(), symbol.name());
            } else if (value instanceof java.time.Instant instant) {
                value = instant.toEpochMilli();
            } else if (value instanceof java.time.LocalDate date) {
                value = (int) date.toEpochDay();
            }
            written.put(field.name(), value);
        }

        FinancialStatement read = (FinancialStatement) new WireCodec().decode(encodeGeneric(v1, written)).record();

        assertThat(read.getTotalLiabilitiesMinor()).isEqualTo(sample.getTotalLiabilitiesMinor());
        assertThat(read.getNetProfitMinor()).isEqualTo(sample.getNetProfitMinor());
        assertThat(read.getUnknownAmounts()).as("a version-1 producer had every amount").isEmpty();
        assertThat(read.getTotalEquityMinor()).isNull();
        assertThat(read.getInventoriesMinor()).isNull();
        assertThat(read.getEbitdaMinor()).isNull();
    }

    @Test
    void refusesACollectionClaimingMoreItemsThanThePayloadHasBytesInsteadOfRunningOutOfMemory() {
        byte[] payload = codec.encode(FinancialStatement.newBuilder(Samples.financialStatement()).setUnknownAmounts(List.of("x")).build());
        byte[] oneItem = {0x02, 0x02, 'x', 0x00}; // one item, the string "x", end of array
        int at = indexOf(payload, oneItem);
        byte[] huge = new byte[payload.length + 4];
        System.arraycopy(payload, 0, huge, 0, at);
        byte[] count = {(byte) 0x80, (byte) 0x80, (byte) 0x80, (byte) 0x80, 0x08}; // zig-zag varint for 2^30 items
        System.arraycopy(count, 0, huge, at, count.length);
        System.arraycopy(payload, at + 1, huge, at + count.length, payload.length - at - 1);

        assertRejected(huge, DeadLetterReason.UNDECODABLE, "a collection claims 1073741824 items");
    }

    private static int indexOf(byte[] bytes, byte[] part) {
        for (int i = 0; i + part.length <= bytes.length; i++) {
            if (Arrays.equals(bytes, i, i + part.length, part, 0, part.length)) {
                return i;
            }
        }
        throw new IllegalArgumentException("not found");
    }

    @Test
    void writesTheRegistryWireFormatAsTheByteZeroTheSchemaIdBigEndianAndTheSameBody() {
        TransactionEvent record = Samples.transaction();
        byte[] singleObject = codec.encode(record);

        byte[] registered = codec.encodeRegistered(record, 0x01020304);

        assertThat(Arrays.copyOf(registered, 5)).containsExactly(0x00, 0x01, 0x02, 0x03, 0x04);
        assertThat(Arrays.copyOfRange(registered, 5, registered.length))
                .isEqualTo(Arrays.copyOfRange(singleObject, WireCodec.HEADER_LENGTH, singleObject.length));
    }

    @Test
    void rejectsTheRegistryWireFormatWhenNoRegistryIsConfiguredAndNamesTheSchemaId() {
        byte[] registered = codec.encodeRegistered(Samples.transaction(), 42);

        assertRejected(registered, DeadLetterReason.UNDECODABLE, "registry wire format (schema id 42) but no schema registry is configured");
    }

    @Test
    void aRegistryThatDoesNotAnswerIsNobodysVerdictSoDecodingThrowsInsteadOfRejecting() throws Exception {
        int closed;
        try (java.net.ServerSocket socket = new java.net.ServerSocket(0)) {
            closed = socket.getLocalPort();
        }
        WireCodec withRegistry = new WireCodec(new SchemaRegistry("http://127.0.0.1:" + closed, null));

        org.assertj.core.api.Assertions.assertThatThrownBy(() -> withRegistry.decode(codec.encodeRegistered(Samples.transaction(), 7)))
                .isInstanceOf(java.io.UncheckedIOException.class).hasMessageContaining("did not answer");
    }

    @Test
    void rejectsARegistryHeaderCutShort() {
        assertRejected(new byte[] {0, 0, 1}, DeadLetterReason.UNDECODABLE, "needs the byte 00 and a 4-byte schema id; got only 3 bytes");
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
