package dev.kestrel.jobs.risk;

import java.io.IOException;
import org.apache.flink.api.common.typeutils.TypeSerializer;
import org.apache.flink.api.common.typeutils.TypeSerializerSchemaCompatibility;
import org.apache.flink.api.common.typeutils.TypeSerializerSnapshot;
import org.apache.flink.core.memory.DataInputView;
import org.apache.flink.core.memory.DataOutputView;

/**
 * Writes one part of a borrower's state in the encodings of the single-value layout ({@link BorrowerStateSerializer}),
 * after a format version and the clock the part's times are relative to. Format 1 is the layout of the single value's
 * format 10, the last before the split; format 2 adds, to the repayments, the instalments seen settled and whether
 * the open ones are still to be told (Repayments#writeSettled); format 3 adds a statement's capex and financial debt
 * (Financials#CAPEX, #DEBT, which a period's known amounts announce, so that format 3 reads format 2 alike) and the
 * project part; format 4 adds the project's accounts (ProjectAccounts) and each covenant's reserve. A later part format can still read the earlier ones; an earlier engine refuses a later format.
 */
final class PartSerializer extends StateSerializer<KeptPart> {
    static final int FORMAT = 4;
    private final Part part;

    PartSerializer(Part part) {
        this.part = part;
    }

    @Override
    public void serialize(KeptPart kept, DataOutputView out) throws IOException {
        out.writeByte(FORMAT);
        long clock = kept.clock();
        StateIO.writeLong(out, clock);
        write(part, kept.value(), clock, out);
    }

    /** Writes one part's value, its days and times relative to {@code clock}: apart, or inside the core (Part#inCore). */
    static void write(Part part, Object value, long clock, DataOutputView out) throws IOException {
        int base = clock == Long.MIN_VALUE ? 0 : Days.of(clock);
        switch (part) {
            case CASH -> {
                CashFlow cash = (CashFlow) value;
                cash.write(out, clock);
                cash.writeCitations(out, clock);
            }
            case EXPOSURE -> {
                Exposure exposure = (Exposure) value;
                exposure.write(out, clock);
                exposure.writeCurrencies(out);
                exposure.writePledgeCurrencies(out);
            }
            case REPAYMENTS -> {
                Repayments repayments = (Repayments) value;
                repayments.write(out, base);
                repayments.writeCitations(out, clock);
                repayments.writeServicing(out, clock);
                repayments.writeSettled(out, base); // format 2
            }
            case FINANCIALS -> ((Financials) value).write(out, base, clock);
            case BUREAU -> {
                Bureau bureau = (Bureau) value;
                bureau.write(out, base, clock);
                bureau.writeCitations(out, clock);
            }
            case REVIEWS -> ((Reviews) value).write(out, base, clock);
            case PROJECT -> ((ProjectFinance) value).write(out, base, clock);
        }
    }

    @Override
    public KeptPart deserialize(DataInputView in) throws IOException {
        int format = in.readUnsignedByte();
        if (format < 1 || format > FORMAT) {
            throw new IOException(part + " state format " + format + " is newer than this engine reads (" + FORMAT + ")");
        }
        long clock = StateIO.readLong(in);
        return new KeptPart(clock, read(part, in, clock, format));
    }

    /** Reads what {@link #write} wrote, in part format {@code format}. */
    static Object read(Part part, DataInputView in, long clock, int format) throws IOException {
        int layout = 10; // the single value's format whose encodings part format 1 uses
        int base = clock == Long.MIN_VALUE ? 0 : Days.of(clock);
        return switch (part) {
            case CASH -> {
                CashFlow cash = CashFlow.read(in, layout, clock);
                cash.readCitations(in, layout, clock);
                yield cash;
            }
            case EXPOSURE -> {
                Exposure exposure = Exposure.read(in, layout, clock);
                exposure.readCurrencies(in, layout);
                exposure.readPledgeCurrencies(in, layout);
                yield exposure;
            }
            case REPAYMENTS -> {
                Repayments repayments = Repayments.read(in, layout, base);
                repayments.readCitations(in, layout, clock);
                repayments.readServicing(in, layout, clock);
                repayments.readSettled(in, format, base);
                yield repayments;
            }
            case FINANCIALS -> Financials.read(in, layout, base, clock);
            case BUREAU -> {
                Bureau bureau = Bureau.read(in, layout, base, clock);
                bureau.readCitations(in, layout, clock);
                yield bureau;
            }
            case REVIEWS -> Reviews.read(in, layout, base, clock);
            case PROJECT -> ProjectFinance.read(in, layout, format, base, clock);
        };
    }

    @Override
    public KeptPart createInstance() {
        return new KeptPart(Long.MIN_VALUE, part.empty());
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof PartSerializer other && other.part == part;
    }

    @Override
    public int hashCode() {
        return part.hashCode();
    }

    @Override
    public TypeSerializerSnapshot<KeptPart> snapshotConfiguration() {
        return new Snapshot(part);
    }

    /** Restores the serializer of a part from a checkpoint: the part's name; the per-value format byte carries the layout. */
    public static final class Snapshot implements TypeSerializerSnapshot<KeptPart> {
        private Part part;

        /** For Flink, which reads the part with {@link #readSnapshot}. */
        public Snapshot() {}

        Snapshot(Part part) {
            this.part = part;
        }

        @Override
        public int getCurrentVersion() {
            return 1;
        }

        @Override
        public void writeSnapshot(DataOutputView out) throws IOException {
            out.writeUTF(part.name());
        }

        @Override
        public void readSnapshot(int readVersion, DataInputView in, ClassLoader userCodeClassLoader) throws IOException {
            part = Part.valueOf(in.readUTF());
        }

        @Override
        public TypeSerializer<KeptPart> restoreSerializer() {
            return new PartSerializer(part);
        }

        @Override
        public TypeSerializerSchemaCompatibility<KeptPart> resolveSchemaCompatibility(TypeSerializerSnapshot<KeptPart> oldSnapshot) {
            return oldSnapshot instanceof Snapshot old && old.part == part ? TypeSerializerSchemaCompatibility.compatibleAsIs()
                    : TypeSerializerSchemaCompatibility.incompatible();
        }
    }
}
