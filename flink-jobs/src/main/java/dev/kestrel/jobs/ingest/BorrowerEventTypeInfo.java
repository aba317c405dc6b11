package dev.kestrel.jobs.ingest;

import java.lang.reflect.Type;
import java.util.Map;
import org.apache.flink.api.common.serialization.SerializerConfig;
import org.apache.flink.api.common.typeinfo.TypeInfoFactory;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeutils.TypeSerializer;

/** Tells Flink to send borrower events with {@link BorrowerEventSerializer}, wherever the type is extracted. */
public final class BorrowerEventTypeInfo extends TypeInformation<BorrowerEvent> {

    /** Named on {@link BorrowerEvent} by {@code @TypeInfo}. */
    public static final class Factory extends TypeInfoFactory<BorrowerEvent> {
        @Override
        public TypeInformation<BorrowerEvent> createTypeInfo(Type type, Map<String, TypeInformation<?>> genericParameters) {
            return new BorrowerEventTypeInfo();
        }
    }

    @Override
    public TypeSerializer<BorrowerEvent> createSerializer(SerializerConfig config) {
        return new BorrowerEventSerializer();
    }

    @Override
    public boolean isBasicType() {
        return false;
    }

    @Override
    public boolean isTupleType() {
        return false;
    }

    @Override
    public int getArity() {
        return 1;
    }

    @Override
    public int getTotalFields() {
        return 1;
    }

    @Override
    public Class<BorrowerEvent> getTypeClass() {
        return BorrowerEvent.class;
    }

    @Override
    public boolean isKeyType() {
        return false;
    }

    @Override
    public String toString() {
        return "BorrowerEvent";
    }

    @Override
    public boolean equals(Object obj) {
        return obj instanceof BorrowerEventTypeInfo;
    }

    @Override
    public int hashCode() {
        return BorrowerEventTypeInfo.class.hashCode();
    }

    @Override
    public boolean canEqual(Object obj) {
        return obj instanceof BorrowerEventTypeInfo;
    }
}
