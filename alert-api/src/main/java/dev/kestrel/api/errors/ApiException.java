package dev.kestrel.api.errors;

import io.micronaut.http.HttpStatus;

/** A request the API refuses, with the status and a message the caller can act on. */
public final class ApiException extends RuntimeException {
    private final HttpStatus status;
    /** When the caller may try again (sent as Retry-After); null when it need not wait. */
    private final java.time.Duration retryAfter;

    public ApiException(HttpStatus status, String message) {
        this(status, message, null);
    }

    private ApiException(HttpStatus status, String message, java.time.Duration retryAfter) {
        super(message);
        this.status = status;
        this.retryAfter = retryAfter;
    }

    public HttpStatus status() {
        return status;
    }

    public java.time.Duration retryAfter() {
        return retryAfter;
    }

    public static ApiException tooManyRequests(String message, java.time.Duration retryAfter) {
        return new ApiException(HttpStatus.TOO_MANY_REQUESTS, message, retryAfter);
    }

    public static ApiException notFound(String what) {
        return new ApiException(HttpStatus.NOT_FOUND, what + " not found");
    }

    public static ApiException badRequest(String message) {
        return new ApiException(HttpStatus.BAD_REQUEST, message);
    }
}
