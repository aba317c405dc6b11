package dev.kestrel.contract;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.cfg.JsonNodeFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.kestrel.events.DeadLetterReason;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.DateTimeException;
import java.time.LocalDate;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.apache.avro.Conversion;
import org.apache.avro.Conversions;
import org.apache.avro.LogicalType;
import org.apache.avro.LogicalTypes;
import org.apache.avro.Schema;
import org.apache.avro.generic.GenericData;
import org.apache.avro.io.EncoderFactory;
import org.apache.avro.io.JsonEncoder;
import org.apache.avro.specific.SpecificDatumWriter;
import org.apache.avro.specific.SpecificRecordBase;

/**
 * The JSON-lines interchange form: one record per line with a leading {@code type} field naming the record
 * (see docs/events.md). Replays, fixtures and producers without Avro use it.
 *
 * <p>{@link #write} writes Avro's JSON encoding. {@link #read} reads that, and also the plain JSON a producer without
 * Avro writes, walking the line against the record's schema:
 * <ul>
 *   <li>an optional field (a union of null and one type) as its plain value ({@code "amountMinor":250000}) or wrapped
 *       in its type as Avro writes it ({@code "amountMinor":{"long":250000}}); a union of several types must be
 *       wrapped;</li>
 *   <li>a field left out takes its default; an optional field without a default reads as null;</li>
 *   <li>a {@code timestamp-millis} as an ISO-8601 instant with {@code Z} or an offset
 *       ({@code "2026-03-02T17:15:00+08:00"}) or as epoch milliseconds; a {@code date} as {@code "yyyy-mm-dd"} or as
 *       days since 1970-01-01.</li>
 * </ul>
 * Nothing else is coerced: a field the record does not have, a number in a string, a fraction or an out-of-range
 * number for an int or long, an unknown enum symbol are rejected with the field's path, the type expected and the
 * value found, e.g. {@code facilities[0].maturityDate: expected a date (yyyy-mm-dd), got "01/01/2025"}.
 */
public final class JsonLines {
    // Decimals are kept as written, so an error quotes 48500000.0, not 4.85E+7. A field written twice is refused: which
    // of the two the producer meant is not ours to guess.
    private static final ObjectMapper MAPPER = new ObjectMapper()
            .enable(com.fasterxml.jackson.core.JsonParser.Feature.STRICT_DUPLICATE_DETECTION)
            .enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .configure(JsonNodeFeature.STRIP_TRAILING_BIGDECIMAL_ZEROES, false);

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
            return Decoded.of((SpecificRecordBase) decode(type.get().schema(), type.get().model(), object));
        } catch (Mismatch e) {
            return Decoded.rejected(DeadLetterReason.UNDECODABLE, "not a valid " + type.get().name() + ": " + e.getMessage());
        }
    }

    /**
     * The value the JSON holds for the schema, in the model's representation (its classes and logical-type
     * conversions). Package-private so tests can use schemas with shapes the contract does not have yet.
     */
    static Object decode(Schema schema, GenericData model, JsonNode json) {
        return new Walk(model).value("", schema, json);
    }

    /** Why the JSON does not fit the schema, starting with the path of the field. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String path, String problem) {
            super((path.isEmpty() ? "" : path + ": ") + problem, null, false, false);
        }

        Mismatch(String path, String expected, JsonNode found) {
            this(path, "expected " + expected + ", got " + found);
        }
    }

    private record Walk(GenericData model) {

        Object value(String path, Schema schema, JsonNode json) {
            LogicalType logical = schema.getLogicalType();
            Conversion<?> conversion = logical == null ? null : model.getConversionFor(logical);
            Object raw = switch (schema.getType()) {
                case RECORD -> record(path, schema, json);
                case ARRAY -> array(path, schema, json);
                case MAP -> map(path, schema, json);
                case UNION -> union(path, schema, json);
                case ENUM -> symbol(path, schema, json);
                case STRING -> text(path, json);
                case BYTES -> ByteBuffer.wrap(bytes(path, json));
                case FIXED -> fixed(path, schema, json);
                case INT -> logical instanceof LogicalTypes.Date ? date(path, json) : integer(path, json);
                case LONG -> logical instanceof LogicalTypes.TimestampMillis ? instant(path, json) : longInteger(path, json);
                case FLOAT -> (float) number(path, json);
                case DOUBLE -> number(path, json);
                case BOOLEAN -> bool(path, json);
                case NULL -> nothing(path, json);
            };
            return conversion == null ? raw : Conversions.convertToLogicalType(raw, schema, logical, conversion);
        }

        private Object record(String path, Schema schema, JsonNode json) {
            if (!json.isObject()) {
                throw new Mismatch(path, "an object (" + schema.getName() + ")", json);
            }
            // Checked first: a misspelt field is reported as such, not as the correct one missing.
            for (Iterator<String> names = json.fieldNames(); names.hasNext(); ) {
                String name = names.next();
                if (schema.getField(name) == null) {
                    throw new Mismatch(path, "unknown field \"" + name + "\"");
                }
            }
            Object record = model.newRecord(null, schema);
            for (Schema.Field field : schema.getFields()) {
                String fieldPath = path.isEmpty() ? field.name() : path + "." + field.name();
                JsonNode given = json.get(field.name());
                model.setField(record, field.name(), field.pos(),
                        given == null ? omitted(fieldPath, field) : value(fieldPath, field.schema(), given));
            }
            return record;
        }

        private Object omitted(String path, Schema.Field field) {
            if (field.hasDefaultValue()) {
                // The model caches defaults: copy, so no two records share one mutable list.
                return model.deepCopy(field.schema(), model.getDefaultValue(field));
            }
            if (field.schema().isNullable()) {
                return null;
            }
            throw new Mismatch(path, "required field missing");
        }

        private List<Object> array(String path, Schema schema, JsonNode json) {
            if (!json.isArray()) {
                throw new Mismatch(path, "an array", json);
            }
            List<Object> items = new ArrayList<>(json.size());
            for (int i = 0; i < json.size(); i++) {
                items.add(value(path + "[" + i + "]", schema.getElementType(), json.get(i)));
            }
            return items;
        }

        private Map<String, Object> map(String path, Schema schema, JsonNode json) {
            if (!json.isObject()) {
                throw new Mismatch(path, "an object (a map)", json);
            }
            Map<String, Object> entries = new LinkedHashMap<>();
            json.fields().forEachRemaining(entry -> entries.put(entry.getKey(),
                    value(path + "[\"" + entry.getKey() + "\"]", schema.getValueType(), entry.getValue())));
            return entries;
        }

        /** Avro's wrapped form, {"long":250000}, first; then null or the plain value of the one other branch. */
        private Object union(String path, Schema union, JsonNode json) {
            if (json.isObject() && json.size() == 1) {
                String label = json.fieldNames().next();
                Integer branch = union.getIndexNamed(label);
                if (branch != null) {
                    return value(path, union.getTypes().get(branch), json.get(label));
                }
            }
            if (json.isNull() && union.isNullable()) {
                return null;
            }
            List<Schema> branches = union.getTypes().stream().filter(s -> s.getType() != Schema.Type.NULL).toList();
            if (branches.size() == 1) {
                return value(path, branches.get(0), json);
            }
            String wrapped = branches.stream().map(s -> "{\"" + s.getFullName() + "\": ...}").collect(Collectors.joining(" or "));
            throw new Mismatch(path, "a value wrapped in its type (" + wrapped + "), as the field holds several types", json);
        }

        private Object symbol(String path, Schema schema, JsonNode json) {
            if (json.isTextual() && schema.hasEnumSymbol(json.textValue())) {
                return model.createEnum(json.textValue(), schema);
            }
            throw new Mismatch(path, "one of " + String.join(", ", schema.getEnumSymbols()), json);
        }

        private Object fixed(String path, Schema schema, JsonNode json) {
            byte[] bytes = bytes(path, json);
            if (bytes.length != schema.getFixedSize()) {
                throw new Mismatch(path, schema.getFixedSize() + " bytes", json);
            }
            return model.createFixed(null, bytes, schema);
        }
    }

    private static String text(String path, JsonNode json) {
        if (!json.isTextual()) {
            throw new Mismatch(path, "a string", json);
        }
        return json.textValue();
    }

    /** Avro's JSON encoding of bytes: one character from U+0000 to U+00FF per byte. */
    private static byte[] bytes(String path, JsonNode json) {
        if (!json.isTextual() || json.textValue().chars().anyMatch(c -> c > 0xFF)) {
            throw new Mismatch(path, "bytes (one character from U+0000 to U+00FF per byte)", json);
        }
        return json.textValue().getBytes(StandardCharsets.ISO_8859_1);
    }

    private static int integer(String path, JsonNode json) {
        if (!json.isIntegralNumber() || !json.canConvertToInt()) {
            throw new Mismatch(path, "a 32-bit integer", json);
        }
        return json.intValue();
    }

    private static long longInteger(String path, JsonNode json) {
        if (!json.isIntegralNumber() || !json.canConvertToLong()) {
            throw new Mismatch(path, "a long integer", json);
        }
        return json.longValue();
    }

    private static double number(String path, JsonNode json) {
        if (!json.isNumber()) {
            throw new Mismatch(path, "a number", json);
        }
        return json.doubleValue();
    }

    private static boolean bool(String path, JsonNode json) {
        if (!json.isBoolean()) {
            throw new Mismatch(path, "true or false", json);
        }
        return json.booleanValue();
    }

    private static Object nothing(String path, JsonNode json) {
        if (!json.isNull()) {
            throw new Mismatch(path, "null", json);
        }
        return null;
    }

    /** Days since 1970-01-01, from "yyyy-mm-dd" or the number itself. */
    private static int date(String path, JsonNode json) {
        if (json.isIntegralNumber() && json.canConvertToInt()) {
            return json.intValue();
        }
        if (json.isTextual()) {
            try {
                return Math.toIntExact(LocalDate.parse(json.textValue()).toEpochDay());
            } catch (DateTimeException | ArithmeticException e) {
                // reported below with the value
            }
        }
        throw new Mismatch(path, "a date (yyyy-mm-dd)", json);
    }

    /** Milliseconds since 1970-01-01T00:00:00Z, from an ISO-8601 instant with Z or an offset, or the number itself. */
    private static long instant(String path, JsonNode json) {
        if (json.isIntegralNumber() && json.canConvertToLong()) {
            return json.longValue();
        }
        if (json.isTextual()) {
            try {
                return OffsetDateTime.parse(json.textValue()).toInstant().toEpochMilli();
            } catch (DateTimeException | ArithmeticException e) {
                // reported below with the value
            }
        }
        throw new Mismatch(path, "an instant (ISO-8601 with Z or an offset, e.g. 2026-03-02T09:15:00Z)", json);
    }
}
