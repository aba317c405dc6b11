package dev.kestrel.contract;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.kestrel.events.FxRate;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import org.apache.avro.specific.SpecificRecordBase;
import org.junit.jupiter.api.Test;

/** The catalogue of topics, and its copy for producers in other languages. */
class TopicTest {
    static final Path CATALOGUE = Path.of("released", "catalogue.json");

    @Test
    void theJsonCatalogueInTheJarIsTheEnum() throws Exception {
        if (Boolean.getBoolean("kestrel.writeDocs")) {
            Files.writeString(CATALOGUE, Topic.json());
        }
        assertThat(Files.readString(CATALOGUE)).as("schemas/released/catalogue.json is out of date: run mvn -pl schemas test "
                + "-Dtest=TopicTest -Dkestrel.writeDocs=true").isEqualTo(Topic.json());
    }

    @Test
    void everyTopLevelRecordTravelsOnExactlyOneTopicAndEveryTopicCarriesOneRecord() {
        assertThat(Arrays.stream(Topic.values()).map(t -> t.recordType().name()))
                .containsExactlyInAnyOrderElementsOf(EventType.ALL.stream().map(EventType::name).toList());
        for (EventType type : EventType.ALL) {
            assertThat(Topic.carrying(type.name()).recordType()).isEqualTo(type);
        }
        assertThatThrownBy(() -> Topic.carrying("Facility")).hasMessage("Facility travels on no topic");
    }

    @Test
    void aRecordsKeyIsTheOneDocsEventsMdNames() {
        for (SpecificRecordBase sample : Samples.oneOfEach()) {
            Topic topic = Topic.carrying(sample.getSchema().getName());
            if (topic != Topic.LIMIT_RECOMMENDATIONS && topic != Topic.LIMIT_DECISIONS) { // keyed by subject, not a field
                assertThat(topic.keyOf(sample)).as(topic.name()).isNotBlank().doesNotContain("null");
            }
        }
        FxRate rate = Samples.fxRate();
        assertThat(Topic.FX_RATES.keyOf(rate)).isEqualTo(rate.getBaseCurrency() + "/" + rate.getQuoteCurrency());
        assertThat(Topic.TRANSACTIONS.keyOf(Samples.transaction())).isEqualTo(Samples.transaction().getBorrowerId());
    }
}
