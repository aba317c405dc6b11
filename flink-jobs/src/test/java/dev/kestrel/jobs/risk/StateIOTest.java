package dev.kestrel.jobs.risk;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputDeserializer;
import org.apache.flink.core.memory.DataOutputSerializer;
import org.junit.jupiter.api.Test;

/** The format-3 encodings of borrower state at their edges: absent values, extremes, values after the clock. */
class StateIOTest {
    private static final long CLOCK = 1_779_000_000_000L;
    private final DataOutputSerializer out = new DataOutputSerializer(64);

    @Test
    void eventTimesRoundTripRelativeToTheClock() throws IOException {
        long[] times = {Long.MIN_VALUE, CLOCK, CLOCK - 1, CLOCK - 3_600_000, CLOCK + 1, CLOCK + 86_400_000, 0, 1};
        for (long clock : new long[] {CLOCK, Long.MIN_VALUE}) {
            out.clear();
            for (long time : times) {
                StateIO.writeTime(out, time, clock);
            }
            DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
            for (long time : times) {
                assertThat(StateIO.readTime(in, 3, clock)).isEqualTo(time);
            }
        }
        out.clear();
        StateIO.writeTime(out, CLOCK - 3_600_000, CLOCK);
        assertThat(out.length()).as("an hour back").isEqualTo(4);
    }

    @Test
    void slotsRoundTripWhateverTheirValues() throws IOException {
        long[][] arrays = {new long[30], {0, 5, 0, -7, Long.MAX_VALUE, Long.MIN_VALUE, 0, 0, 1}, {3, 4, 5}};
        for (long[] values : arrays) {
            out.clear();
            StateIO.writeSlots(out, values);
            long[] read = new long[values.length];
            Arrays.fill(read, 99);
            StateIO.readSlots(new DataInputDeserializer(out.getCopyOfBuffer()), 3, read);
            assertThat(read).containsExactly(values);
        }
        out.clear();
        StateIO.writeSlots(out, new long[30]);
        assertThat(out.length()).as("thirty empty days").isEqualTo(1);
    }

    @Test
    void refusesSlotsThatDoNotFitTheArray() throws IOException {
        StateIO.writeSlots(out, new long[] {0, 0, 0, 9});
        assertThatThrownBy(() -> StateIO.readSlots(new DataInputDeserializer(out.getCopyOfBuffer()), 3, new long[3]))
                .isInstanceOf(IOException.class).hasMessageStartingWith("corrupt slot mask");
    }

    @Test
    void textRoundTripsInUtf8AndAbsentTextIsOneByte() throws IOException {
        StateIO.writeString(out, "贷款 F-1");
        StateIO.writeString(out, null);
        StateIO.writeText(out, "");
        DataInputDeserializer in = new DataInputDeserializer(out.getCopyOfBuffer());
        assertThat(StateIO.readString(in, 3)).isEqualTo("贷款 F-1");
        assertThat(StateIO.readString(in, 3)).isNull();
        assertThat(StateIO.readText(in, 3)).isEmpty();
    }
}
