package dev.kestrel.jobs.risk;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * The encodings of per-borrower state, which is read and written on every event: zig-zag varints (most values are
 * small or zero), days and event times relative to the borrower's clock, text, and arrays of amounts by slot. State
 * size per borrower is a product figure, and encoding it was half of the borrower operator's time, so each encoding
 * here is chosen for both. Readers take the value's format version: what formats 1 and 2 wrote stays readable.
 */
final class StateIO {
    private StateIO() {}

    static void writeLong(DataOutputView out, long value) throws IOException {
        long zigzag = zigzag(value);
        while ((zigzag & ~0x7FL) != 0) {
            out.writeByte((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.writeByte((int) zigzag);
    }

    static long readLong(DataInputView in) throws IOException {
        int first = in.readUnsignedByte();
        if ((first & 0x80) == 0) { // most values: counts, lengths, days near the clock, empty slots
            return (first >>> 1) ^ -(first & 1);
        }
        long zigzag = first & 0x7F;
        int shift = 7;
        while (true) {
            int b = in.readUnsignedByte();
            zigzag |= (long) (b & 0x7F) << shift;
            if ((b & 0x80) == 0) {
                break;
            }
            shift += 7;
            if (shift > 63) {
                throw new IOException("corrupt varint in borrower state");
            }
        }
        return (zigzag >>> 1) ^ -(zigzag & 1);
    }

    static void writeInt(DataOutputView out, int value) throws IOException {
        writeLong(out, value);
    }

    static int readInt(DataInputView in) throws IOException {
        return (int) readLong(in);
    }

    /**
     * An event time (format 3 on) as its distance back from the borrower's clock: hours or days back take 3 to 5
     * bytes where the time itself took 7, and an absent time (Long.MIN_VALUE) one byte instead of ten.
     */
    static void writeTime(DataOutputView out, long time, long clock) throws IOException {
        if (time == Long.MIN_VALUE) {
            writeLong(out, 0);
        } else {
            long back = (clock == Long.MIN_VALUE ? 0 : clock) - time;
            writeLong(out, back >= 0 ? back + 1 : back); // 0 is kept for absent
        }
    }

    static long readTime(DataInputView in, int format, long clock) throws IOException {
        long encoded = readLong(in);
        if (format < 3) {
            return encoded;
        }
        if (encoded == 0) {
            return Long.MIN_VALUE;
        }
        return (clock == Long.MIN_VALUE ? 0 : clock) - (encoded > 0 ? encoded - 1 : encoded);
    }

    /** A day relative to a base day, so that recent days take one or two bytes; NONE survives the trip. */
    static void writeDay(DataOutputView out, int day, int base) throws IOException {
        if (day == Days.NONE) {
            writeLong(out, 0);
        } else {
            long delta = (long) day - base;
            writeLong(out, delta >= 0 ? delta + 1 : delta); // 0 is kept for NONE
        }
    }

    static int readDay(DataInputView in, int base) throws IOException {
        long encoded = readLong(in);
        if (encoded == 0) {
            return Days.NONE;
        }
        return (int) (base + (encoded > 0 ? encoded - 1 : encoded));
    }

    /**
     * Text as its UTF-8 byte length and bytes (format 3 on). The JDK encodes and decodes ASCII in bulk; the modified
     * UTF-8 of {@code writeUTF}, which format 1 and 2 used, goes a character at a time and was a tenth of the borrower
     * operator's time.
     */
    static void writeText(DataOutputView out, String value) throws IOException {
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length);
        out.write(bytes);
    }

    static String readText(DataInputView in, int format) throws IOException {
        return format < 3 ? in.readUTF() : text(in, readInt(in));
    }

    /** Text that may be absent: its byte length plus one, 0 for none. */
    static void writeString(DataOutputView out, String value) throws IOException {
        if (value == null) {
            writeInt(out, 0);
            return;
        }
        byte[] bytes = value.getBytes(StandardCharsets.UTF_8);
        writeInt(out, bytes.length + 1);
        out.write(bytes);
    }

    static String readString(DataInputView in, int format) throws IOException {
        if (format < 3) {
            return in.readBoolean() ? in.readUTF() : null;
        }
        int lengthPlusOne = readInt(in);
        return lengthPlusOne == 0 ? null : text(in, lengthPlusOne - 1);
    }

    private static String text(DataInputView in, int length) throws IOException {
        if (length < 0) {
            throw new IOException("corrupt text length " + length + " in borrower state");
        }
        byte[] bytes = new byte[length];
        in.readFully(bytes);
        return new String(bytes, StandardCharsets.UTF_8);
    }

    /**
     * Amounts by slot (day buckets, blocks), many of them zero (format 3 on): a mask of the non-zero slots, then each
     * non-zero value in the same number of bytes, the fewest that hold the largest. The fixed width makes the loops
     * predictable; a varint per value (format 1 and 2) took a mispredicted branch per value and a call per byte.
     */
    static void writeSlots(DataOutputView out, long[] values) throws IOException {
        long mask = 0;
        long widest = 0;
        for (int i = 0; i < values.length; i++) {
            long zigzag = zigzag(values[i]);
            if (zigzag != 0) {
                mask |= 1L << i;
                widest |= zigzag;
            }
        }
        writeLong(out, mask);
        if (mask == 0) {
            return;
        }
        int width = (Long.SIZE - Long.numberOfLeadingZeros(widest) + 7) / 8;
        out.writeByte(width);
        byte[] bytes = new byte[Long.bitCount(mask) * width];
        int at = 0;
        for (long value : values) {
            long zigzag = zigzag(value);
            if (zigzag != 0) {
                for (int b = 0; b < width; b++) {
                    bytes[at++] = (byte) (zigzag >>> (8 * b));
                }
            }
        }
        out.write(bytes);
    }

    static void readSlots(DataInputView in, int format, long[] into) throws IOException {
        if (format < 3) {
            readLongs(in, into);
            return;
        }
        long mask = readLong(in);
        if (into.length < Long.SIZE && (mask >>> into.length) != 0) {
            throw new IOException("corrupt slot mask in borrower state: " + Long.toBinaryString(mask));
        }
        Arrays.fill(into, 0);
        if (mask == 0) {
            return;
        }
        int width = in.readUnsignedByte();
        if (width < 1 || width > Long.BYTES) {
            throw new IOException("corrupt slot width " + width + " in borrower state");
        }
        byte[] bytes = new byte[Long.bitCount(mask) * width];
        in.readFully(bytes);
        int at = 0;
        for (int i = 0; i < into.length; i++) {
            if ((mask & (1L << i)) != 0) {
                long zigzag = 0;
                for (int b = 0; b < width; b++) {
                    zigzag |= (bytes[at++] & 0xFFL) << (8 * b);
                }
                into[i] = (zigzag >>> 1) ^ -(zigzag & 1);
            }
        }
    }

    private static long zigzag(long value) {
        return (value << 1) ^ (value >> 63);
    }

    static void readLongs(DataInputView in, long[] into) throws IOException {
        for (int i = 0; i < into.length; i++) {
            into[i] = readLong(in);
        }
    }
}
