package dev.kestrel.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.events.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Optional;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.io.DecoderFactory;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.specific.SpecificDatumReader;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The JSON-lines interchange form: one record per line, in Avro's JSON encoding, with a leading {@code type}
 * field naming the record (see docs/events.md). Replays, fixtures and producers without Avro use it.
 */
public final class JsonLines {
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private JsonLines() {}

    /** One line (without the newline) for the record. */
    public static String write(SpecificRecordBase record) {
        EventType type = EventType.of(record.getClass());
        ByteArrayOutputStream out = new ByteArrayOutputStream(512);
        try {
            JsonEncoder encoder = EncoderFactory.get().jsonEncoder(type.schema(), out);
            new SpecificDatumWriter<SpecificRecordBase>(type.schema(), type.model()).write(record, encoder);
            encoder.flush();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String body = out.toString(StandardCharsets.UTF_8);
        return "{\"type\":\"" + type.name() + "\"," + body.substring(1);
    }

    /** Reads one line into the current class of the record its {@code type} names, or says why it cannot. */
    public static Decoded read(String line) {
        JsonNode node;
        try {
            node = MAPPER.readTree(line);
        } catch (JsonProcessingException e) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "not JSON: " + e.getOriginalMessage());
        }
        if (!(node instanceof ObjectNode object)) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "a line must hold one JSON object");
        }
        JsonNode typeField = object.remove("type");
        if (typeField == null || !typeField.isTextual()) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "missing the \"type\" field naming the record");
        }
        Optional<EventType> type = EventType.named(typeField.asText());
        if (type.isEmpty()) {
            return Decoded.rejected(DeadLetterReason.UNKNOWN_SCHEMA, "unknown record type \"" + typeField.asText() + "\"");
        }
        try {
            var decoder = DecoderFactory.get().jsonDecoder(type.get().schema(), object.toString());
            var reader = new SpecificDatumReader<SpecificRecordBase>(type.get().schema(), type.get().schema(), type.get().model());
            return Decoded.of(reader.read(null, decoder));
        } catch (IOException | RuntimeException e) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE,
                    "not a valid " + type.get().name() + " in Avro's JSON encoding: " + e.getMessage());
        }
    }
}
