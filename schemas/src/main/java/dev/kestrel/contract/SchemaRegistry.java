package dev.kestrel.contract;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Base64;
import java.util.Map;
import org.apache.avro.Schema;

/**
 * A client of a schema registry's Confluent-compatible REST API: Confluent's Schema Registry, or Apicurio Registry
 * under {@code /apis/ccompat/v7}. It only looks schemas up by id and registers them; which versions the engine accepts
 * is still decided by the contract ({@link WireCodec}), never by what the registry holds.
 */
public final class SchemaRegistry {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration TIMEOUT = Duration.ofSeconds(10);
    /**
     * The Confluent API's error code for an id it does not have. A 404 without it (a wrong address, a path the server
     * does not serve) says nothing about the id, and is the registry's failure, not the record's.
     */
    private static final int SCHEMA_NOT_FOUND = 40403;

    private final URI base;
    private final String authorization;
    private final HttpClient http;

    /**
     * @param url the registry's base address, for example {@code https://registry:8081} or
     *            {@code http://apicurio:8080/apis/ccompat/v7}
     * @param credentialsFile a file holding {@code user:password} for HTTP Basic, or null for none
     */
    public SchemaRegistry(String url, String credentialsFile) {
        this.base = URI.create(url.endsWith("/") ? url : url + "/");
        if (!"http".equals(base.getScheme()) && !"https".equals(base.getScheme())) {
            throw new IllegalArgumentException("schema registry address must be http or https, got " + url);
        }
        this.authorization = credentialsFile == null || credentialsFile.isBlank() ? null : basic(credentialsFile);
        this.http = HttpClient.newBuilder().connectTimeout(TIMEOUT).build();
    }

    /**
     * The schema registered under this id, or null when the registry says it has no such id (404 with error code 40403).
     *
     * @throws IllegalArgumentException when the id names a schema that is not Avro: the payload's fault
     * @throws RuntimeException of another kind when the registry cannot be asked: nobody's verdict
     */
    public Schema schema(int id) {
        String name = Integer.toUnsignedString(id);
        HttpResponse<String> response = send(request("schemas/ids/" + name).GET());
        if (response.statusCode() == 404 && schemaNotFound(response.body())) {
            return null;
        }
        JsonNode body = ok(response, "look up schema id " + name);
        JsonNode type = body.get("schemaType");
        if (type != null && !"AVRO".equals(type.asText())) {
            throw new IllegalArgumentException("schema id " + name + " is " + type.asText() + ", not AVRO");
        }
        try {
            return new Schema.Parser().parse(body.path("schema").asText());
        } catch (RuntimeException e) {
            throw new IllegalArgumentException("schema id " + name + " is not a readable Avro schema: " + e.getMessage(), e);
        }
    }

    /** Registers the schema under the subject, or finds it there; returns its id. */
    public int register(String subject, Schema schema) {
        String body;
        try {
            body = JSON.writeValueAsString(Map.of("schema", schema.toString(), "schemaType", "AVRO"));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        HttpResponse<String> response = send(request("subjects/" + subject + "/versions")
                .header("Content-Type", "application/vnd.schemaregistry.v1+json")
                .POST(HttpRequest.BodyPublishers.ofString(body)));
        return ok(response, "register " + subject).path("id").asInt();
    }

    private HttpRequest.Builder request(String path) {
        HttpRequest.Builder request = HttpRequest.newBuilder(base.resolve(path)).timeout(TIMEOUT)
                .header("Accept", "application/vnd.schemaregistry.v1+json, application/json");
        return authorization == null ? request : request.header("Authorization", authorization);
    }

    private HttpResponse<String> send(HttpRequest.Builder request) {
        HttpRequest built = request.build();
        try {
            return http.send(built, HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("schema registry " + built.uri() + " did not answer: " + e.getMessage(), e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while asking the schema registry " + built.uri(), e);
        }
    }

    private static JsonNode ok(HttpResponse<String> response, String what) {
        if (response.statusCode() / 100 != 2) {
            throw new IllegalStateException("schema registry refused to " + what + ": HTTP " + response.statusCode() + " "
                    + response.body());
        }
        try {
            return JSON.readTree(response.body());
        } catch (IOException e) {
            throw new IllegalStateException("schema registry answered " + what + " with something not JSON: " + response.body(), e);
        }
    }

    private static boolean schemaNotFound(String body) {
        try {
            return JSON.readTree(body).path("error_code").asInt() == SCHEMA_NOT_FOUND;
        } catch (IOException e) {
            return false; // not the Confluent API's error: a wrong address
        }
    }

    private static String basic(String credentialsFile) {
        String userInfo;
        try {
            userInfo = Files.readString(Path.of(credentialsFile), StandardCharsets.UTF_8).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read schema registry credentials " + credentialsFile, e);
        }
        if (!userInfo.contains(":")) {
            throw new IllegalArgumentException("schema registry credentials " + credentialsFile + " must hold user:password");
        }
        return "Basic " + Base64.getEncoder().encodeToString(userInfo.getBytes(StandardCharsets.UTF_8));
    }
}
