package dev.kestrel.api.store;

import io.micronaut.json.JsonMapper;
import io.micronaut.json.tree.JsonNode;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.io.UncheckedIOException;

/** Reads jsonb columns back as JSON trees, to hand them to clients as they are stored. */
@Singleton
public final class JsonColumns {
    private final JsonMapper json;

    JsonColumns(JsonMapper json) {
        this.json = json;
    }

    public JsonNode tree(String text) {
        if (text == null) {
            return null;
        }
        try {
            return json.readValue(text, JsonNode.class);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
