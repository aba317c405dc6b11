package dev.kestrel.api.config;

import dev.kestrel.events.Severity;
import io.micronaut.context.annotation.ConfigurationProperties;
import io.micronaut.core.annotation.Nullable;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Duration;

/**
 * Who hears of what, and how (docs/api.md, "Notifications"). E-mail goes over SMTP when {@code smtp-host} is set; the
 * signed webhook when {@code webhook-url} is set; with neither, nothing is queued.
 */
@ConfigurationProperties("kestrel.notifications")
public record NotificationSettings(
        /* A new alert, or one the engine escalates, at this severity or above notifies its assignee or owner. */
        @NotNull Severity minSeverity,
        @Nullable String smtpHost,
        @Min(1) @Max(65535) int smtpPort,
        /* Upgrade the connection with STARTTLS, and refuse to send if the server cannot. */
        boolean smtpStarttls,
        @Nullable String smtpUser,
        @Nullable String smtpPassword,
        @NotBlank String mailFrom,
        @Nullable String webhookUrl,
        /* The HMAC-SHA256 key of the webhook's signature; required with webhook-url. */
        @Nullable String webhookSecret,
        /* Where the desk page is, for the links in e-mails. */
        @NotBlank String deskUrl,
        @NotNull Duration sendEvery,
        @NotNull Duration slaCheckEvery,
        @Min(1) int maxAttempts,
        /* The wait after a failed attempt; it doubles with each further failure, up to an hour. */
        @NotNull Duration retryAfter) {

    public NotificationSettings {
        if (present(webhookUrl) && (webhookSecret == null || webhookSecret.length() < 32)) {
            throw new IllegalStateException("kestrel.notifications.webhook-secret must hold at least 32 characters when "
                    + "webhook-url is set: the receiver checks every call's signature with it");
        }
    }

    public boolean email() {
        return present(smtpHost);
    }

    public boolean webhook() {
        return present(webhookUrl);
    }

    private static boolean present(String value) {
        return value != null && !value.isBlank();
    }
}
