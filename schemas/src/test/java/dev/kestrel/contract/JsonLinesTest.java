package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.events.DeadLetterReason;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

class JsonLinesTest {

    @Test
    void roundTripsOneOfEveryRecord() {
        for (SpecificRecordBase record : Samples.oneOfEach()) {
            String line = JsonLines.write(record);

            assertThat(line).startsWith("{\"type\":\"" + record.getSchema().getName() + "\",").doesNotContain("\n");
            assertThat(JsonLines.read(line).record()).isEqualTo(record);
        }
    }

    @Test
    void writesAvrosJsonEncodingWithUnionsNamedByBranch() {
        String line = JsonLines.write(Samples.transaction());

        assertThat(line).contains("\"facilityId\":null", "\"counterpartyId\":{\"string\":\"CP-7f3a9c\"}",
                "\"amountMinor\":48500000", "\"eventTime\":1772442900000");
    }

    @Test
    void rejectsALineThatIsNotJson() {
        Decoded decoded = JsonLines.read("{\"type\":\"TransactionEvent\",");

        assertThat(decoded.reasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(decoded.reason()).startsWith("not JSON");
    }

    @Test
    void rejectsALineWithoutType() {
        assertThat(JsonLines.read("{\"eventId\":\"x\"}").reason()).isEqualTo("missing the \"type\" field naming the record");
    }

    @Test
    void rejectsAnUnknownType() {
        Decoded decoded = JsonLines.read("{\"type\":\"Payment\"}");

        assertThat(decoded.reasonCode()).isEqualTo(DeadLetterReason.UNKNOWN_SCHEMA);
        assertThat(decoded.reason()).isEqualTo("unknown record type \"Payment\"");
    }

    @Test
    void rejectsARecordWithAMissingField() {
        String line = JsonLines.write(Samples.transaction()).replace("\"accountId\":\"ACC-1001-01\",", "");

        Decoded decoded = JsonLines.read(line);

        assertThat(decoded.reasonCode()).isEqualTo(DeadLetterReason.UNDECODABLE);
        assertThat(decoded.reason()).startsWith("not a valid TransactionEvent in Avro's JSON encoding");
    }

    @Test
    void noTopLevelRecordHasAFieldNamedTypeBecauseTheLineUsesIt() {
        for (EventType type : EventType.ALL) {
            assertThat(type.schema().getField("type")).as(type.name()).isNull();
        }
    }
}
