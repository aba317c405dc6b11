package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
import org.apache.avro.Schema;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/** Fails the build when a record's current schema breaks compatibility with any released version. */
class ContractEvolutionTest {

    static Stream<EventType> everyRecord() {
        return EventType.ALL.stream();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    void currentSchemaIsReleasedAndFullyCompatibleWithEveryReleasedVersion(EventType type) {
        assertThat(CompatibilityCheck.problems(type.name(), ReleasedSchemas.of(type.name()), type.schema())).isEmpty();
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("everyRecord")
    void everyRecordEnumAndFieldSaysWhatItIs(EventType type) {
        assertThat(undocumented(type.schema(), new java.util.HashSet<>())).isEmpty();
    }

    private static java.util.List<String> undocumented(Schema schema, java.util.Set<String> seen) {
        java.util.List<String> missing = new java.util.ArrayList<>();
        switch (schema.getType()) {
            case UNION -> schema.getTypes().forEach(branch -> missing.addAll(undocumented(branch, seen)));
            case ARRAY -> missing.addAll(undocumented(schema.getElementType(), seen));
            case ENUM -> {
                if (blank(schema.getDoc())) {
                    missing.add("enum " + schema.getFullName());
                }
            }
            case RECORD -> {
                if (!seen.add(schema.getFullName())) {
                    break;
                }
                if (blank(schema.getDoc())) {
                    missing.add("record " + schema.getFullName());
                }
                for (Schema.Field field : schema.getFields()) {
                    if (blank(field.doc())) {
                        missing.add(schema.getName() + "." + field.name());
                    }
                    missing.addAll(undocumented(field.schema(), seen));
                }
            }
            default -> { }
        }
        return missing;
    }

    private static boolean blank(String doc) {
        return doc == null || doc.isBlank();
    }
}
