package dev.kestrel.api.notifications;

import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/** What the desk notified, to whom, and whether it arrived: for supervisors, auditors and admins. */
@Controller("/api/notifications")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Notifications")
class NotificationController {
    private final Notifications notifications;

    NotificationController(Notifications notifications) {
        this.notifications = notifications;
    }

    @Operation(summary = "Notifications, newest first: of one alert, or in one status (PENDING, SENT, FAILED, SKIPPED)")
    @Get
    @Secured({Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<Notification> list(@Nullable @QueryValue String alertId, @Nullable @QueryValue String status,
                            @QueryValue(defaultValue = "100") @Min(1) @Max(500) int limit) {
        Notification.Status wanted = null;
        if (status != null) {
            try {
                wanted = Notification.Status.valueOf(status.toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw ApiException.badRequest("status: '" + status + "' is not one of "
                        + String.join(", ", Arrays.stream(Notification.Status.values()).map(Enum::name).toList()));
            }
        }
        return notifications.list(alertId, wanted, limit);
    }
}
