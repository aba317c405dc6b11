package dev.kestrel.jobs.ingest;

import static dev.kestrel.jobs.Events.wrap;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.kestrel.events.CreditEventKind;
import dev.kestrel.events.RepaymentKind;
import dev.kestrel.jobs.Events;
import java.io.IOException;
import java.time.LocalDate;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.SerializerTestBase;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/**
 * Flink's own contract for serializers (copies, sequences, snapshots, duplicates, Java serialisation into the job
 * graph) over one event of each record type, plus what this serializer adds: Flink picks it for every borrower event
 * stream, and a record type it does not know is refused with its tag.
 */
class BorrowerEventSerializerTest extends SerializerTestBase<BorrowerEvent> {

    @Override
    protected TypeSerializer<BorrowerEvent> createSerializer() {
        return new BorrowerEventSerializer();
    }

    @Override
    protected int getLength() {
        return -1;
    }

    @Override
    protected Class<BorrowerEvent> getTypeClass() {
        return BorrowerEvent.class;
    }

    @Override
    protected BorrowerEvent[] getTestData() {
        return new BorrowerEvent[] {
                wrap(Events.outflow("B-1", 3, 1_200, "CP-9")),
                wrap(Events.disbursement("B-1", 4, "F-1", 5_000_000)),
                wrap(Events.instalment("B-2", "F-2", "I-7", RepaymentKind.MISSED, 40, 30, 80_000, 0)),
                wrap(Events.credit("B-3", 5, CreditEventKind.LAWSUIT)),
                wrap(Events.profile("B-4", "G-1", "C13", "310000", 1, 10_000_000, 2_000_000)),
                wrap(Events.statement("B-5", 90, LocalDate.parse("2025-12-31"), 9_000_000, 6_000_000, 1_000_000, 800_000, 4_000_000, 200_000, 300_000)),
                wrap(Events.valuation("B-6", "F-6", 12, 3_000_000, 3_000)),
                wrap(Events.groupLimit("G-7", 13, 80_000_000)),
        };
    }

    @Test
    void flinkChoosesItForEveryBorrowerEventStream() {
        assertInstanceOf(BorrowerEventTypeInfo.class, TypeInformation.of(BorrowerEvent.class));
    }

    @Test
    void borrowerAndEventTimeComeBackFromTheRecord() throws IOException {
        BorrowerEvent sent = getTestData()[0];
        DataOutputSerializer out = new DataOutputSerializer(256);
        createSerializer().serialize(sent, out);
        BorrowerEvent received = createSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));
        assertEquals("B-1", received.borrowerId);
        assertEquals(sent.eventTimeMillis, received.eventTimeMillis);
    }

    @Test
    void whereTheEventWasReadTravelsWithIt() throws IOException {
        BorrowerEvent sent = getTestData()[0].from("kestrel.transactions", 3, 1_234_567L);
        DataOutputSerializer out = new DataOutputSerializer(256);
        createSerializer().serialize(sent, out);

        BorrowerEvent read = createSerializer().deserialize(new DataInputDeserializer(out.getCopyOfBuffer()));

        assertEquals("kestrel.transactions", read.sourceTopic);
        assertEquals(3, read.partition);
        assertEquals(1_234_567L, read.offset);
        assertEquals(1_234_567L, createSerializer().copy(sent).offset);
    }

    @Test
    void anUnknownTagIsRefusedWithIt() {
        IOException refused = assertThrows(IOException.class,
                () -> createSerializer().deserialize(new DataInputDeserializer(new byte[] {42})));
        assertEquals("unknown borrower event tag 42", refused.getMessage());
    }
}
