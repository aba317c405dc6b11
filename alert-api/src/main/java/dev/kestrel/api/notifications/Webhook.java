package dev.kestrel.api.notifications;

import dev.kestrel.api.config.NotificationSettings;
import jakarta.inject.Singleton;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.InvalidKeyException;
import java.security.NoSuchAlgorithmException;
import java.time.Clock;
import java.time.Duration;
import java.util.HexFormat;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Posts a notification's JSON to the configured URL, signed: {@code Kestrel-Signature: v1=<hex>} is the HMAC-SHA256,
 * under the shared secret, of {@code <Kestrel-Timestamp>.<body>}. The receiver recomputes it and refuses a call whose
 * timestamp is too old, so a recorded call cannot be replayed later.
 */
@Singleton
class Webhook {
    private final NotificationSettings settings;
    private final Clock clock;
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

    Webhook(NotificationSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
    }

    /** Sends it; an answer other than 2xx is a failure, retried later. */
    void send(Notification notification) throws IOException, InterruptedException {
        if (!settings.webhook()) {
            throw new IOException("no webhook-url is configured any more");
        }
        String timestamp = Long.toString(clock.instant().getEpochSecond());
        // The URL configured now: a changed URL takes the notifications still pending, signed with the current secret.
        HttpRequest request = HttpRequest.newBuilder(URI.create(settings.webhookUrl()))
                .timeout(Duration.ofSeconds(10))
                .header("Content-Type", "application/json")
                .header("Kestrel-Notification-Id", Long.toString(notification.notificationId()))
                .header("Kestrel-Timestamp", timestamp)
                .header("Kestrel-Signature", "v1=" + sign(settings.webhookSecret(), timestamp, notification.payload()))
                .POST(HttpRequest.BodyPublishers.ofString(notification.payload(), StandardCharsets.UTF_8))
                .build();
        HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
        if (response.statusCode() / 100 != 2) {
            String body = response.body() == null ? "" : response.body();
            throw new IOException("the receiver answered " + response.statusCode()
                    + (body.isBlank() ? "" : ": " + (body.length() > 200 ? body.substring(0, 200) : body)));
        }
    }

    /** The signature of a body sent at a time: what a receiver computes to check a call. */
    static String sign(String secret, String timestamp, String body) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
            return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException | InvalidKeyException e) {
            throw new IllegalStateException("HMAC-SHA256 is part of every Java runtime", e);
        }
    }
}
