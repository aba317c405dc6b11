package dev.kestrel.api.errors;

import dev.kestrel.api.store.Database;
import io.micronaut.context.annotation.Requires;
import io.micronaut.http.HttpRequest;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Produces;
import io.micronaut.http.server.exceptions.ExceptionHandler;
import io.micronaut.http.server.exceptions.response.ErrorContext;
import io.micronaut.http.server.exceptions.response.ErrorResponseProcessor;
import jakarta.inject.Singleton;

/** Maps refusals and database outages to their status, through the one error shape. */
final class ApiExceptionHandler {
    private static final org.slf4j.Logger LOG = org.slf4j.LoggerFactory.getLogger(ApiExceptionHandler.class);

    private ApiExceptionHandler() {}

    @Produces
    @Singleton
    @Requires(classes = {ApiException.class, ExceptionHandler.class})
    static final class Refusals implements ExceptionHandler<ApiException, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        Refusals(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, ApiException exception) {
            var response = HttpResponse.status(exception.status());
            if (exception.retryAfter() != null) {
                response.header("Retry-After", Long.toString(Math.max(1, (exception.retryAfter().toMillis() + 999) / 1000)));
            }
            return errors.processResponse(ErrorContext.builder(request).cause(exception)
                    .errorMessage(exception.getMessage()).build(), response);
        }
    }

    @Produces
    @Singleton
    @Requires(classes = {Database.StoreException.class, ExceptionHandler.class})
    static final class StoreOutage implements ExceptionHandler<Database.StoreException, HttpResponse<?>> {
        private final ErrorResponseProcessor<?> errors;

        StoreOutage(ErrorResponseProcessor<?> errors) {
            this.errors = errors;
        }

        @Override
        public HttpResponse<?> handle(HttpRequest request, Database.StoreException exception) {
            if (Database.isRefusedValue(exception)) {
                // The request carried a value the store cannot take: the caller's to fix, not an outage.
                String message = "the request holds a value the alert store cannot take "
                        + "(a NUL character in text, a number out of range, an invalid date)";
                return errors.processResponse(ErrorContext.builder(request).cause(new ApiException(HttpStatus.BAD_REQUEST, message))
                        .errorMessage(message).build(), HttpResponse.status(HttpStatus.BAD_REQUEST));
            }
            LOG.error("{} {} failed in the database", request.getMethod(), request.getPath(), exception);
            return errors.processResponse(ErrorContext.builder(request).cause(new ApiException(
                    HttpStatus.SERVICE_UNAVAILABLE, "the alert store is unavailable; try again shortly"))
                    .errorMessage("the alert store is unavailable; try again shortly").build(),
                    HttpResponse.status(HttpStatus.SERVICE_UNAVAILABLE));
        }
    }
}
