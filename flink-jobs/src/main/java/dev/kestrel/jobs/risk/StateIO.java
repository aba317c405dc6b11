package dev.kestrel.jobs.risk;

import java.io.IOException;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Variable-length integers for per-borrower state: most values are small or zero (empty day buckets, counts), and
 * a zig-zag varint stores those in one byte instead of eight. State size per borrower is a product figure.
 */
final class StateIO {
    private StateIO() {}

    static void writeLong(DataOutputView out, long value) throws IOException {
        long zigzag = (value << 1) ^ (value >> 63);
        while ((zigzag & ~0x7FL) != 0) {
            out.writeByte((int) ((zigzag & 0x7F) | 0x80));
            zigzag >>>= 7;
        }
        out.writeByte((int) zigzag);
    }

    static long readLong(DataInputView in) throws IOException {
        long zigzag = 0;
        int shift = 0;
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

    static void writeString(DataOutputView out, String value) throws IOException {
        out.writeBoolean(value != null);
        if (value != null) {
            out.writeUTF(value);
        }
    }

    static String readString(DataInputView in) throws IOException {
        return in.readBoolean() ? in.readUTF() : null;
    }

    static void writeLongs(DataOutputView out, long[] values) throws IOException {
        for (long value : values) {
            writeLong(out, value);
        }
    }

    static void readLongs(DataInputView in, long[] into) throws IOException {
        for (int i = 0; i < into.length; i++) {
            into[i] = readLong(in);
        }
    }
}
