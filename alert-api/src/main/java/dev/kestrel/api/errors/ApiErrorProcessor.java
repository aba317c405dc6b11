package dev.kestrel.api.errors;

import io.micronaut.context.annotation.Replaces;
import io.micronaut.http.MediaType;
import io.micronaut.http.MutableHttpResponse;
import io.micronaut.http.server.exceptions.response.Error;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;
import java.time.Clock;
import java.util.List;

/**
 * Gives every error, whether raised by our code, by validation, by routing or by security, the shape of {@link ApiError}.
 */
@Singleton
@Replaces(ErrorResponseProcessor.class) // JSON even when a browser asks for HTML
final class ApiErrorProcessor implements ErrorResponseProcessor<ApiError> {
    private final Clock clock;

    ApiErrorProcessor(Clock clock) {
        this.clock = clock;
    }

    @Override
    public MutableHttpResponse<ApiError> processResponse(ErrorContext context, MutableHttpResponse<?> response) {
        List<String> details = context.getErrors().stream().map(Error::getMessage).toList();
        String message = details.isEmpty() ? response.reason() : details.get(0);
        if (response.code() >= 500 && context.getRootCause().isPresent()
                && !(context.getRootCause().get() instanceof ApiException)) {
            // Internal details stay in the log, not in the answer.
            message = "internal error; the server log has the details";
            details = List.of();
        }
        ApiError body = new ApiError(response.code(), response.reason(), message, details,
                context.getRequest().getPath(), clock.instant());
        return response.body(body).contentType(MediaType.APPLICATION_JSON_TYPE);
    }
}
