package dev.kestrel.producer;

import static org.assertj.core.api.Assertions.assertThat;

import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.Samples;
import dev.kestrel.contract.SchemaRegistry;
import dev.kestrel.contract.Topic;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.TransactionEvent;
import dev.kestrel.kafka.EmbeddedKafka;
import dev.kestrel.registry.LocalRegistry;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The two sample producers an upstream team starts from, each run against a real broker: what they send decodes, in
 * the engine's codec, to the record the line describes, under its catalogue key; what they refuse is refused with
 * the field named and nothing is sent for it.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ProducerKitTest {
    private static final Path RELEASED = Path.of("..", "schemas", "released");
    private static final Path PYTHON_PRODUCER = Path.of("python", "kestrel_producer.py");
    /** Debian's interpreter, which has Debian's python3-avro and python3-confluent-kafka (./kestrel test installs them). */
    private static final String PYTHON = "/usr/bin/python3";

    /** A transaction as an upstream system writes it: the plain JSON form, an ISO-8601 time. */
    private static final String TRANSACTION = """
            {"type":"TransactionEvent","eventId":"TX-20260302-000117","borrowerId":"B-1001","accountId":"ACC-1001-01",\
            "facilityId":null,"direction":"DEBIT","kind":"TRANSFER","amountMinor":48500000,"currency":"CNY","channel":"ONLINE",\
            "counterpartyId":"CP-7f3a9c","counterpartyName":"Huadong Steel Trading Co.","purpose":"raw material prepayment",\
            "balanceAfterMinor":1250000,"eventTime":"2026-03-02T09:15:00Z"}""";
    private static final String FX_RATE = """
            {"type":"FxRate","eventId":"FX-ECB-20260302-CNY","baseCurrency":"EUR","quoteCurrency":"CNY","rate":"7.8123",\
            "source":"ECB euro foreign exchange reference rates","eventTime":"2026-03-02T15:00:00Z"}""";
    /** An enum symbol the contract does not have: both producers refuse it. */
    private static final String UNKNOWN_KIND = TRANSACTION.replace("\"kind\":\"TRANSFER\"", "\"kind\":\"PAYMENT\"");

    private EmbeddedKafka kafka;
    private LocalRegistry registry;

    @BeforeAll
    void broker(@TempDir Path work) throws Exception {
        registry = LocalRegistry.launch(work.resolve("registry")); // boots while the broker starts
        kafka = EmbeddedKafka.start();
        for (Topic topic : Topic.values()) {
            if (topic.writer() == Topic.Writer.UPSTREAM) {
                kafka.createTopic(topic.defaultName(), 2, Map.of());
            }
        }
        registry.awaitReady();
    }

    @AfterAll
    void stop() throws Exception {
        kafka.close();
        registry.close();
    }

    @Test
    void theJavaProducerSendsWhatTheEngineReadsAndRefusesWhatItWouldDeadLetter() throws Exception {
        String negative = TRANSACTION.replace("\"eventId\":\"TX-20260302-000117\"", "\"eventId\":\"TX-NEG\"")
                .replace("48500000", "-5");
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = SampleProducer.run(new String[] {"--bootstrap-servers", kafka.bootstrapServers()},
                new StringReader(String.join("\n", TRANSACTION, UNKNOWN_KIND, negative, FX_RATE)), print(out), print(err));

        assertThat(exit).isEqualTo(1);
        assertThat(out.toString(StandardCharsets.UTF_8).lines()).hasSize(2)
                .allSatisfy(line -> assertThat(line).matches("kestrel\\.(transactions|fx-rates) [01] \\d+"));
        assertThat(err.toString(StandardCharsets.UTF_8).lines()).containsExactly(
                "line 2 refused: not a valid TransactionEvent: kind: expected one of TRANSFER, DISBURSEMENT, REPAYMENT, CASH, FEE, "
                        + "INTEREST, SALARY, TAX, OTHER, got \"PAYMENT\"",
                "line 3 refused: amountMinor must be above 0, the direction gives the sign; got -5");
        assertSent("TX-20260302-000117");
        assertRatesSent();
    }

    @Test
    void thePythonProducerSendsWhatTheEngineReadsAndRefusesWhatDoesNotFitTheSchema() throws Exception {
        String second = TRANSACTION.replace("TX-20260302-000117", "TX-PY-2");
        Process python = new ProcessBuilder(PYTHON, PYTHON_PRODUCER.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--released", RELEASED.toString()).start();
        python.getOutputStream().write(String.join("\n", second, UNKNOWN_KIND, FX_RATE.replace("FX-ECB", "FX-PY")).getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        String out = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(python.exitValue()).as(err).isEqualTo(1);
        assertThat(out.lines()).as(err).hasSize(2);
        // librdkafka logs its own retries on standard error too; the producer's refusals are the lines it names.
        assertThat(err.lines().filter(l -> l.startsWith("line "))).containsExactly("line 2 refused: kind: expected one of TRANSFER, DISBURSEMENT, REPAYMENT, CASH, FEE, "
                + "INTEREST, SALARY, TAX, OTHER, got 'PAYMENT'");
        assertSent("TX-PY-2");
        assertRatesSent();
    }

    @Test
    void theJavaProducerRegistersTheSchemaAndSendsTheRegistryWireFormatWhenGivenARegistry() throws Exception {
        ByteArrayOutputStream err = new ByteArrayOutputStream();

        int exit = SampleProducer.run(new String[] {"--bootstrap-servers", kafka.bootstrapServers(),
                "--schema-registry", registry.confluentCompatibleUrl()},
                new StringReader(TRANSACTION.replace("TX-20260302-000117", "TX-REG-JAVA")), print(new ByteArrayOutputStream()), print(err));

        assertThat(exit).as(err.toString(StandardCharsets.UTF_8)).isZero();
        assertRegistered("TX-REG-JAVA");
    }

    @Test
    void thePythonProducerRegistersTheSchemaAndSendsTheRegistryWireFormatWhenGivenARegistry() throws Exception {
        Process python = new ProcessBuilder(PYTHON, PYTHON_PRODUCER.toString(), "--bootstrap-servers", kafka.bootstrapServers(),
                "--released", RELEASED.toString(), "--schema-registry", registry.confluentCompatibleUrl()).start();
        python.getOutputStream().write(TRANSACTION.replace("TX-20260302-000117", "TX-REG-PY").getBytes(StandardCharsets.UTF_8));
        python.getOutputStream().close();
        python.getInputStream().readAllBytes();
        String err = new String(python.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();

        assertThat(python.exitValue()).as(err).isZero();
        assertRegistered("TX-REG-PY");
    }

    @Test
    void theRegistryClientTellsAnIdTheRegistryLacksFromAnAddressThatIsNotTheRegistrysApi() {
        assertThat(new SchemaRegistry(registry.confluentCompatibleUrl(), null).schema(1_999_999_999)).as("no such id").isNull();
        String wrong = registry.confluentCompatibleUrl().replace("/apis/ccompat/v7", "/apis/registry/v9");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new SchemaRegistry(wrong, null).schema(1_999_999_999))
                .as("a 404 without the API's error code is the address's fault, not the record's")
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("HTTP 404");
    }

    @Test
    void thePythonFingerprintOfEveryReleasedSchemaIsTheEngines() throws Exception {
        Process python = new ProcessBuilder(PYTHON, PYTHON_PRODUCER.toString(), "--fingerprints", "--released", RELEASED.toString())
                .redirectErrorStream(true).start();
        List<String> printed = new String(python.getInputStream().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        assertThat(python.waitFor(60, TimeUnit.SECONDS)).isTrue();

        List<String> expected = new ArrayList<>();
        try (var records = Files.list(RELEASED)) {
            for (Path folder : records.filter(Files::isDirectory).sorted().toList()) {
                try (var versions = Files.list(folder)) {
                    for (Path version : versions.sorted().toList()) {
                        expected.add(folder.getFileName() + "/" + version.getFileName() + " " + String.format("%016x",
                                WireCodec.fingerprint(new org.apache.avro.Schema.Parser().parse(version.toFile()))));
                    }
                }
            }
        }
        assertThat(printed).isEqualTo(expected);
    }

    @Test
    void theContractIsPublishedInMavenRepositoryLayoutSoUpstreamTeamsDependOnItByCoordinates() throws Exception {
        // mvn verify publishes it (schemas/pom.xml, maven-deploy-plugin) before this module is built.
        Path artifact = Path.of("..", "target", "maven-repo", "dev", "kestrel", "schemas");
        Path version;
        try (var versions = Files.list(artifact)) {
            version = versions.filter(Files::isDirectory).findFirst().orElseThrow();
        }
        String metadata = Files.readString(version.resolve("maven-metadata.xml"));
        assertThat(metadata).contains("<groupId>dev.kestrel</groupId>", "<artifactId>schemas</artifactId>");
        java.util.regex.Matcher jar = java.util.regex.Pattern.compile(
                "<extension>jar</extension>\\s*<value>([^<]+)</value>").matcher(metadata);
        assertThat(jar.find()).as(metadata).isTrue();
        Path file = version.resolve("schemas-" + jar.group(1) + ".jar");
        try (java.util.zip.ZipFile zip = new java.util.zip.ZipFile(file.toFile())) {
            for (String entry : List.of("dev/kestrel/contract/WireCodec.class", "dev/kestrel/contract/Topic.class",
                    "dev/kestrel/contract/EventValidator.class", "dev/kestrel/events/TransactionEvent.class",
                    "dev/kestrel/events/released/TransactionEvent/v1.avsc", "dev/kestrel/events/released/catalogue.json")) {
                assertThat(zip.getEntry(entry)).as(entry + " in " + file).isNotNull();
            }
        }
        assertThat(Files.readString(version.resolve("schemas-" + jar.group(1) + ".pom"))).contains("<artifactId>avro</artifactId>");
        // Its parent travels with it, or a consumer could not resolve the contract by its coordinates.
        try (var parents = Files.list(Path.of("..", "target", "maven-repo", "dev", "kestrel", "kestrel"))) {
            Path parent = parents.filter(Files::isDirectory).findFirst().orElseThrow();
            assertThat(Files.readString(parent.resolve("maven-metadata.xml"))).contains("<extension>pom</extension>");
        }
    }

    /**
     * The transaction with this id is on its topic in the registry's wire format, under the id of a schema registered
     * as {@code kestrel.transactions-value}, and reads, through the registry, as the line describes.
     */
    private void assertRegistered(String eventId) {
        assertSent(eventId);
        SchemaRegistry lookup = new SchemaRegistry(registry.confluentCompatibleUrl(), null);
        assertThat(kafka.readCommitted(Topic.TRANSACTIONS.defaultName(), 1, Duration.ofSeconds(10), Duration.ofMillis(500)))
                .filteredOn(r -> r.value()[0] == 0 && ((TransactionEvent) new WireCodec(lookup).decode(r.value()).record())
                        .getEventId().equals(eventId))
                .singleElement().satisfies(r -> {
                    int id = java.nio.ByteBuffer.wrap(r.value(), 1, 4).getInt();
                    assertThat(WireCodec.fingerprint(lookup.schema(id))).isEqualTo(WireCodec.fingerprint(TransactionEvent.getClassSchema()));
                    assertThat(subjectsOf(id)).as("the schema is registered under the topic's subject")
                            .contains("\"subject\":\"" + Topic.TRANSACTIONS.defaultName() + "-value\"");
                });
    }

    /** The registry's own answer to which subjects and versions hold a schema id. */
    private String subjectsOf(int id) {
        try {
            return java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(
                    registry.confluentCompatibleUrl() + "/schemas/ids/" + id + "/versions")).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString()).body();
        } catch (java.io.IOException | InterruptedException e) {
            throw new AssertionError(e);
        }
    }

    /** The transaction with this id is on its topic under its borrower's key, and reads as the line describes. */
    private void assertSent(String eventId) {
        TransactionEvent expected = (TransactionEvent) JsonLines.read(TRANSACTION.replace("TX-20260302-000117", eventId)).record();
        assertThat(expected).isEqualTo(TransactionEvent.newBuilder(Samples.transaction()).setEventId(eventId).build());
        WireCodec codec = new WireCodec(new SchemaRegistry(registry.confluentCompatibleUrl(), null));
        List<ConsumerRecord<byte[], byte[]>> sent = kafka.readCommitted(Topic.TRANSACTIONS.defaultName(), 1, Duration.ofSeconds(10), Duration.ofMillis(500));
        assertThat(sent).filteredOn(r -> ((TransactionEvent) codec.decode(r.value()).record()).getEventId().equals(eventId))
                .singleElement().satisfies(r -> {
                    assertThat(codec.decode(r.value()).record()).isEqualTo(expected);
                    assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("B-1001");
                });
    }

    /** The FX rates sent are on their topic under {@code base/quote}. */
    private void assertRatesSent() {
        WireCodec codec = new WireCodec();
        List<ConsumerRecord<byte[], byte[]>> rates = kafka.readCommitted(Topic.FX_RATES.defaultName(), 1, Duration.ofSeconds(10), Duration.ofMillis(500));
        assertThat(rates).isNotEmpty().allSatisfy(r -> {
            assertThat(codec.decode(r.value()).record()).isInstanceOf(FxRate.class);
            assertThat(new String(r.key(), StandardCharsets.UTF_8)).isEqualTo("EUR/CNY");
        });
    }

    private static PrintStream print(ByteArrayOutputStream bytes) {
        return new PrintStream(bytes, true, StandardCharsets.UTF_8);
    }
}
