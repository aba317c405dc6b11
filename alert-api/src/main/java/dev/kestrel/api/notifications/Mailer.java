package dev.kestrel.api.notifications;

import dev.kestrel.api.config.NotificationSettings;
import jakarta.inject.Singleton;
import jakarta.mail.Message;
import jakarta.mail.MessagingException;
import jakarta.mail.PasswordAuthentication;
import jakarta.mail.Session;
import jakarta.mail.Transport;
import jakarta.mail.internet.InternetAddress;
import jakarta.mail.internet.MimeMessage;
import java.nio.charset.StandardCharsets;
import java.util.Properties;

/** Sends a notification as a plain-text e-mail through the configured SMTP server. */
@Singleton
class Mailer {
    private final NotificationSettings settings;
    private final Session session;

    Mailer(NotificationSettings settings) {
        this.settings = settings;
        Properties props = new Properties();
        props.put("mail.smtp.host", settings.smtpHost() == null ? "" : settings.smtpHost());
        props.put("mail.smtp.port", Integer.toString(settings.smtpPort()));
        props.put("mail.smtp.connectiontimeout", "10000");
        props.put("mail.smtp.timeout", "10000");
        props.put("mail.smtp.writetimeout", "10000");
        if (settings.smtpStarttls()) {
            props.put("mail.smtp.starttls.enable", "true");
            props.put("mail.smtp.starttls.required", "true");
        }
        boolean auth = settings.smtpUser() != null && !settings.smtpUser().isBlank();
        props.put("mail.smtp.auth", Boolean.toString(auth));
        this.session = Session.getInstance(props, auth ? new jakarta.mail.Authenticator() {
            @Override
            protected PasswordAuthentication getPasswordAuthentication() {
                return new PasswordAuthentication(settings.smtpUser(), settings.smtpPassword());
            }
        } : null);
    }

    void send(Notification notification) throws MessagingException {
        MimeMessage message = new MimeMessage(session);
        message.setFrom(new InternetAddress(settings.mailFrom()));
        message.setRecipient(Message.RecipientType.TO, new InternetAddress(notification.address(), true));
        message.setSubject(notification.subject(), StandardCharsets.UTF_8.name());
        message.setText(notification.body(), StandardCharsets.UTF_8.name());
        // The same id on every attempt: a mail filter can drop a resend after a lost acknowledgement.
        message.setHeader("Kestrel-Notification-Id", Long.toString(notification.notificationId()));
        Transport.send(message);
    }
}
