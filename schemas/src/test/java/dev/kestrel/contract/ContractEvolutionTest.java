package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.stream.Stream;
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
}
