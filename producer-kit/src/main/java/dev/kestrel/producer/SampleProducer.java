package dev.kestrel.producer;

import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.KafkaClientSecurity;
import dev.kestrel.contract.RatingScale;
import dev.kestrel.contract.SchemaRegistry;
import dev.kestrel.contract.Topic;
import dev.kestrel.contract.WireCodec;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A minimal upstream producer on the contract jar ({@code dev.kestrel:schemas}) and Kafka's client. For each record in
 * the JSON-lines form of docs/events.md, one per line on standard input, it:
 * <ol>
 *   <li>reads it against the current schema, refusing it with the field, the type expected and the value found;</li>
 *   <li>checks it as the engine will ({@link EventValidator}), so what it refuses the engine would dead-letter;</li>
 *   <li>finds its topic and key in the contract's catalogue ({@link Topic});</li>
 *   <li>encodes it in Avro's single-object encoding ({@link WireCodec}) and sends it, waiting for the broker. With
 *   {@code --schema-registry}, it registers the record's schema under the subject {@code <topic>-value} instead and
 *   sends the registry wire format (byte 00, the schema id, the body).</li>
 * </ol>
 * <pre>java -cp producer-kit.jar:... dev.kestrel.producer.SampleProducer --bootstrap-servers host:9093 --kafka-config client.properties &lt; records.jsonl</pre>
 */
public final class SampleProducer {
    private SampleProducer() {}

    public static void main(String[] args) throws IOException {
        System.exit(run(args, new InputStreamReader(System.in, StandardCharsets.UTF_8), System.out, System.err));
    }

    /** Sends each line; returns 0 when every line was sent, 1 when any was refused, 64 on bad arguments. */
    public static int run(String[] args, Reader records, PrintStream out, PrintStream err) throws IOException {
        Map<String, String> options;
        try {
            options = options(args);
        } catch (IllegalArgumentException e) {
            err.println("SampleProducer: " + e.getMessage());
            err.println("usage: SampleProducer --bootstrap-servers HOST:PORT [--kafka-config FILE] "
                    + "[--schema-registry URL [--schema-registry-credentials FILE]] [--rating-scale SCALE] < records.jsonl");
            return 64;
        }
        RatingScale internalScale = options.containsKey("rating-scale") ? RatingScale.parse(options.get("rating-scale"))
                : RatingScale.LETTERS;
        Properties settings = new Properties();
        settings.putAll(KafkaClientSecurity.read(options.get("kafka-config")));
        settings.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.get("bootstrap-servers"));
        settings.put(ProducerConfig.ACKS_CONFIG, "all");
        settings.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, true);
        settings.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, 30_000);
        settings.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, 20_000);
        WireCodec codec = new WireCodec();
        SchemaRegistry registry = options.containsKey("schema-registry")
                ? new SchemaRegistry(options.get("schema-registry"), options.get("schema-registry-credentials")) : null;
        Map<String, Integer> schemaIds = new HashMap<>();
        int refused = 0;
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(settings, new ByteArraySerializer(), new ByteArraySerializer());
             BufferedReader lines = new BufferedReader(records)) {
            String line;
            int number = 0;
            while ((line = lines.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                String problem = problem(line, internalScale);
                if (problem != null) {
                    err.println("line " + number + " refused: " + problem);
                    refused++;
                    continue;
                }
                SpecificRecordBase record = JsonLines.read(line).record();
                Topic topic = Topic.carrying(record.getSchema().getName());
                try {
                    byte[] value = registry == null ? codec.encode(record) : codec.encodeRegistered(record,
                            schemaIds.computeIfAbsent(topic.defaultName(), name -> registry.register(name + "-value", record.getSchema())));
                    RecordMetadata sent = producer.send(new ProducerRecord<>(topic.defaultName(),
                            topic.keyOf(record).getBytes(StandardCharsets.UTF_8), value)).get(30, TimeUnit.SECONDS);
                    out.println(sent.topic() + " " + sent.partition() + " " + sent.offset());
                } catch (ExecutionException | TimeoutException | RuntimeException e) {
                    // A broker or a schema registry that refused or did not answer: this line is not sent, the next may be.
                    err.println("line " + number + " not sent: " + e.getMessage());
                    refused++;
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new IOException("interrupted while sending line " + number, e);
                }
            }
        }
        return refused == 0 ? 0 : 1;
    }

    /** Why the engine would not take the line from an upstream system, or null. */
    static String problem(String line, RatingScale internalScale) {
        Decoded decoded = JsonLines.read(line);
        if (decoded.isRejected()) {
            return decoded.reason();
        }
        SpecificRecordBase record = decoded.record();
        Topic topic = Topic.carrying(record.getSchema().getName());
        if (topic.writer() != Topic.Writer.UPSTREAM) {
            return record.getSchema().getName() + " is not sent by upstream systems (" + topic.defaultName() + " is written by "
                    + topic.writtenBy() + ")";
        }
        return EventValidator.problem(record, internalScale);
    }

    private static Map<String, String> options(String[] args) {
        Map<String, String> options = new java.util.HashMap<>();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                throw new IllegalArgumentException("expected --option value, got '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[i + 1]);
        }
        if (!options.containsKey("bootstrap-servers")) {
            throw new IllegalArgumentException("--bootstrap-servers is required");
        }
        options.keySet().stream().filter(k -> !java.util.Set.of("bootstrap-servers", "kafka-config", "rating-scale",
                        "schema-registry", "schema-registry-credentials").contains(k))
                .findFirst().ifPresent(k -> {
                    throw new IllegalArgumentException("unknown option --" + k);
                });
        return options;
    }
}
