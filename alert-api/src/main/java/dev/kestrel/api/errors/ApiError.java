package dev.kestrel.api.errors;

import io.micronaut.serde.annotation.Serdeable;
import java.time.Instant;
import java.util.List;

/** The one error body of every 4xx and 5xx answer. */
@Serdeable
public record ApiError(int status, String error, String message, List<String> details, String path, Instant at) {
}
