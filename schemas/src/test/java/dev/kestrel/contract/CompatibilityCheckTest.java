package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.events.TransactionEvent;
import java.util.List;
import java.util.function.Consumer;
import org.apache.avro.Schema;
import org.junit.jupiter.api.Test;

/** Proves the evolution check rejects the changes that would break producers or consumers. */
class CompatibilityCheckTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private final List<Schema> released = ReleasedSchemas.of("TransactionEvent");

    @Test
    void acceptsTheReleasedSchemaUnchanged() {
        assertThat(CompatibilityCheck.problems("TransactionEvent", released, TransactionEvent.getClassSchema())).isEmpty();
    }

    @Test
    void rejectsANewFieldWithoutDefaultBecauseOldDataLacksIt() {
        Schema changed = edit(fields -> fields.addObject().put("name", "branchCode").put("type", "string"));

        assertThat(CompatibilityCheck.problems("TransactionEvent", released, changed))
                .anySatisfy(problem -> assertThat(problem)
                        .startsWith("the current TransactionEvent cannot read data written by TransactionEvent v1")
                        .contains("READER_FIELD_MISSING_DEFAULT").contains("branchCode"));
    }

    @Test
    void rejectsAChangedFieldTypeInBothDirections() {
        Schema changed = edit(fields -> field(fields, "amountMinor").put("type", "string"));

        assertThat(CompatibilityCheck.problems("TransactionEvent", released, changed))
                .anySatisfy(problem -> assertThat(problem).startsWith("the current TransactionEvent cannot read").contains("TYPE_MISMATCH"))
                .anySatisfy(problem -> assertThat(problem).startsWith("TransactionEvent v1 cannot read").contains("TYPE_MISMATCH"));
    }

    @Test
    void rejectsARemovedFieldWithoutDefaultBecauseOldReadersNeedIt() {
        Schema changed = edit(fields -> {
            for (int i = 0; i < fields.size(); i++) {
                if (fields.get(i).get("name").asText().equals("accountId")) {
                    fields.remove(i);
                }
            }
        });

        assertThat(CompatibilityCheck.problems("TransactionEvent", released, changed))
                .anySatisfy(problem -> assertThat(problem).startsWith("TransactionEvent v1 cannot read").contains("accountId"));
    }

    @Test
    void asksForACompatibleButUnreleasedChangeToBeReleased() {
        Schema changed = edit(fields -> {
            ObjectNode optional = fields.addObject().put("name", "branchCode");
            optional.set("type", JSON.createArrayNode().add("null").add("string"));
            optional.putNull("default");
        });

        assertThat(CompatibilityCheck.problems("TransactionEvent", released, changed))
                .containsExactly("the current TransactionEvent differs from its latest released version v1: release it as "
                        + "schemas/released/TransactionEvent/v2.avsc (ReleaseSchemas writes it)");
    }

    @Test
    void demandsAFirstReleasedVersion() {
        assertThat(CompatibilityCheck.problems("TransactionEvent", List.of(), TransactionEvent.getClassSchema()))
                .containsExactly("TransactionEvent has no released version: add schemas/released/TransactionEvent/v1.avsc");
    }

    /** The current TransactionEvent schema with its field list edited. */
    private static Schema edit(Consumer<ArrayNode> change) {
        try {
            ObjectNode schema = (ObjectNode) JSON.readTree(TransactionEvent.getClassSchema().toString());
            change.accept((ArrayNode) schema.get("fields"));
            return new Schema.Parser().parse(schema.toString());
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static ObjectNode field(ArrayNode fields, String name) {
        for (var field : fields) {
            if (field.get("name").asText().equals(name)) {
                return (ObjectNode) field;
            }
        }
        throw new IllegalArgumentException("no field " + name);
    }
}
