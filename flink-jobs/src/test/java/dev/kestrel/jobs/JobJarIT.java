package dev.kestrel.jobs;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Test;

/** The job jar a cluster runs: self-contained for everything Flink does not ship, and nothing Flink does. */
class JobJarIT {

    @Test
    void namesTheEarlyWarningJobAsItsEntryPoint() throws Exception {
        try (JarFile jar = new JarFile(PipelineHarness.jobJar().toFile())) {
            assertThat(jar.getManifest().getMainAttributes().getValue("Main-Class")).isEqualTo("dev.kestrel.jobs.EarlyWarningJob");
        }
    }

    @Test
    void holdsTheJobTheContractTheConnectorAvroAndTheRulePack() throws Exception {
        try (JarFile jar = new JarFile(PipelineHarness.jobJar().toFile())) {
            assertThat(jar.getEntry("dev/kestrel/jobs/EarlyWarningJob.class")).isNotNull();
            assertThat(jar.getEntry("dev/kestrel/events/Alert.class")).isNotNull();
            assertThat(jar.getEntry("dev/kestrel/events/released/Alert/v1.avsc")).isNotNull();
            assertThat(jar.getEntry("rules/default-rules.jsonl")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/kafka/source/KafkaSource.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/connector/base/DeliveryGuarantee.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/flink/formats/avro/typeutils/AvroTypeInfo.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/avro/Schema.class")).isNotNull();
            assertThat(jar.getEntry("org/apache/kafka/clients/consumer/KafkaConsumer.class")).isNotNull();
            assertThat(jar.getEntry("dev/kestrel/shaded/com/fasterxml/jackson/databind/ObjectMapper.class")).isNotNull();
        }
    }

    @Test
    void leavesFlinksOwnRuntimeRocksDbAndLoggingToTheCluster() throws Exception {
        try (JarFile jar = new JarFile(PipelineHarness.jobJar().toFile())) {
            assertThat(jar.stream().map(e -> e.getName())).noneMatch(name -> name.startsWith("org/apache/flink/streaming/api/")
                    || name.startsWith("org/apache/flink/runtime/") || name.startsWith("org/rocksdb/")
                    || name.startsWith("org/apache/logging/log4j/") || name.startsWith("com/fasterxml/jackson/")
                    || name.startsWith("org/slf4j/"));
        }
        assertThat(new File(PipelineHarness.jobJar().toString()).length()).as("bytes").isLessThan(40L * 1024 * 1024);
    }
}
