package dev.kestrel.contract;

import java.io.IOException;
import java.nio.ByteBuffer;
import org.apache.avro.io.BinaryDecoder;
import org.apache.avro.io.Decoder;
import org.apache.avro.util.Utf8;

/**
 * A binary decoder that refuses a collection claiming more items than its payload has bytes. Every item of every
 * array and map in the contract takes at least one byte, so such a count is a corrupt payload; Avro would allocate an
 * array of that size first (up to 2^31 slots) and fail the whole job with an {@link OutOfMemoryError} instead.
 */
final class BoundedDecoder extends Decoder {
    private final BinaryDecoder in;
    private final long payloadBytes;

    BoundedDecoder(BinaryDecoder in, long payloadBytes) {
        this.in = in;
        this.payloadBytes = payloadBytes;
    }

    private long bounded(long items) throws IOException {
        if (items > payloadBytes) {
            throw new IOException("a collection claims " + items + " items in a payload of " + payloadBytes + " bytes");
        }
        return items;
    }

    @Override public void readNull() throws IOException { in.readNull(); }
    @Override public boolean readBoolean() throws IOException { return in.readBoolean(); }
    @Override public int readInt() throws IOException { return in.readInt(); }
    @Override public long readLong() throws IOException { return in.readLong(); }
    @Override public float readFloat() throws IOException { return in.readFloat(); }
    @Override public double readDouble() throws IOException { return in.readDouble(); }
    @Override public Utf8 readString(Utf8 old) throws IOException { return in.readString(old); }
    @Override public String readString() throws IOException { return in.readString(); }
    @Override public void skipString() throws IOException { in.skipString(); }
    @Override public ByteBuffer readBytes(ByteBuffer old) throws IOException { return in.readBytes(old); }
    @Override public void skipBytes() throws IOException { in.skipBytes(); }
    @Override public void readFixed(byte[] bytes, int start, int length) throws IOException { in.readFixed(bytes, start, length); }
    @Override public void skipFixed(int length) throws IOException { in.skipFixed(length); }
    @Override public int readEnum() throws IOException { return in.readEnum(); }
    @Override public long readArrayStart() throws IOException { return bounded(in.readArrayStart()); }
    @Override public long arrayNext() throws IOException { return bounded(in.arrayNext()); }
    @Override public long skipArray() throws IOException { return in.skipArray(); }
    @Override public long readMapStart() throws IOException { return bounded(in.readMapStart()); }
    @Override public long mapNext() throws IOException { return bounded(in.mapNext()); }
    @Override public long skipMap() throws IOException { return in.skipMap(); }
    @Override public int readIndex() throws IOException { return in.readIndex(); }
}
