package dev.kestrel.api;

import static dev.kestrel.api.DeskTestSupport.eventually;
import static org.assertj.core.api.Assertions.assertThat;

import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import com.sun.net.httpserver.HttpServer;
import dev.kestrel.contract.Samples;
import dev.kestrel.events.Alert;
import dev.kestrel.events.AlertLifecycle;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.Severity;
import io.micronaut.core.type.Argument;
import io.micronaut.http.HttpRequest;
import io.micronaut.json.tree.JsonNode;
import io.micronaut.test.extensions.junit5.annotation.MicronautTest;
import jakarta.mail.internet.MimeMessage;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import java.time.ZoneOffset;
import java.time.LocalDate;
import dev.kestrel.events.BorrowerRiskSnapshot;

/**
 * The bank's side of notifications, against a real SMTP server (GreenMail) and a real HTTP receiver in this JVM. ana
 * owns Jiangnan Precision (B-1001) and reads her mail at ana@bank.test. A HIGH alert on her borrower reaches her by
 * e-mail and the bank's webhook, signed; a MEDIUM one does not, until the engine escalates it; the same alert sent
 * again does not notify twice; an alert nobody owns reaches the supervisors; an alert routed to someone else reaches
 * the owner too; a missed SLA deadline notifies the owner and the supervisors, once; a receiver that is down gets the
 * call again later; reviews and collection steps coming due reach the owner once.
 */
@MicronautTest
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class NotificationTest extends DeskTest {
    private static final String SECRET = "webhook-secret-of-the-test-bank-0123456789";
    private static final AtomicInteger IDS = new AtomicInteger();

    private GreenMail smtp;
    private HttpServer receiver;
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private final AtomicInteger failuresToAnswer = new AtomicInteger(1);

    /** A webhook call as the receiver got it. */
    record Call(String timestamp, String signature, String notificationId, String body) {
    }

    @Override
    public Map<String, String> getProperties() {
        smtp = new GreenMail(new ServerSetup(0, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        try {
            receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        receiver.createContext("/kestrel-hook", exchange -> {
            String body = new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8);
            // The receiver is down for its first call: the desk must try again.
            int status = failuresToAnswer.getAndDecrement() > 0 ? 503 : 204;
            if (status == 204) {
                calls.add(new Call(exchange.getRequestHeaders().getFirst("Kestrel-Timestamp"),
                        exchange.getRequestHeaders().getFirst("Kestrel-Signature"),
                        exchange.getRequestHeaders().getFirst("Kestrel-Notification-Id"), body));
            }
            exchange.sendResponseHeaders(status, -1);
            exchange.close();
        });
        receiver.start();
        Map<String, String> properties = new java.util.HashMap<>(super.getProperties());
        properties.put("kestrel.notifications.smtp-host", "127.0.0.1");
        properties.put("kestrel.notifications.smtp-port", Integer.toString(smtp.getSmtp().getPort()));
        properties.put("kestrel.notifications.mail-from", "kestrel@bank.test");
        properties.put("kestrel.notifications.webhook-url", "http://127.0.0.1:" + receiver.getAddress().getPort() + "/kestrel-hook");
        properties.put("kestrel.notifications.webhook-secret", SECRET);
        properties.put("kestrel.notifications.desk-url", "https://desk.bank.test");
        properties.put("kestrel.notifications.send-every", "200ms");
        properties.put("kestrel.notifications.sla-check-every", "300ms");
        properties.put("kestrel.notifications.retry-after", "300ms");
        properties.put("kestrel.users.ana.email", "ana@bank.test");
        properties.put("kestrel.users.sue.email", "sue@bank.test");
        // sam, the other supervisor, has no address: his e-mail is recorded as skipped, not lost silently.
        properties.put("kestrel.sla.high", "1h");
        properties.put("kestrel.sla.critical", "1h");
        properties.put("kestrel.sla.low", "3s");
        properties.put("kestrel.reviews.check-every", "300ms");
        properties.put("kestrel.collections.check-every", "300ms");
        return properties;
    }

    @AfterAll
    void stopReceivers() {
        smtp.stop();
        receiver.stop(0);
    }

    @BeforeAll
    void anaOwnsJiangnanPrecision() {
        DeskTestSupport.send(topics.profiles(), List.of(Samples.borrowerProfile(),
                BorrowerProfile.newBuilder(Samples.borrowerProfile()).setBorrowerId("B-1003").setName("Jiangnan Textiles Ltd.").build()));
        borrowersArrive("B-1001", "B-1003");
        assertThat(desk.call("sue", HttpRequest.PUT("/api/borrowers/B-1001/owner", Map.of("officer", "ana", "team", "East")),
                Argument.of(String.class)).code()).isEqualTo(200);
    }

    private String alert(String borrowerId, Severity severity) {
        String id = "nt-" + IDS.incrementAndGet();
        return desk.raise(topics.alerts(), Alert.newBuilder(Samples.alert()).setAlertId(id).setBorrowerId(borrowerId)
                .setSeverity(severity).build(), id);
    }

    private List<MimeMessage> mailsAbout(String alertId) {
        java.util.regex.Pattern link = java.util.regex.Pattern.compile("#/alerts/" + java.util.regex.Pattern.quote(alertId) + "(\\s|$)");
        return List.of(smtp.getReceivedMessages()).stream().filter(m -> link.matcher(text(m)).find()).toList();
    }

    private List<Call> callsAbout(String alertId) {
        return calls.stream().filter(c -> json(c.body()).get("alertId") != null
                && alertId.equals(json(c.body()).get("alertId").getStringValue())).toList();
    }

    private List<JsonNode> notificationsOf(String alertId) {
        return desk.get("sue", "/api/notifications?alertId=" + alertId, Argument.listOf(JsonNode.class));
    }

    private static JsonNode json(String body) {
        try {
            return io.micronaut.json.JsonMapper.createDefault().readValue(body, JsonNode.class);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    private static String text(MimeMessage message) {
        try {
            return String.valueOf(message.getContent()).replace("\r\n", "\n");
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String to(MimeMessage message) {
        try {
            return message.getAllRecipients()[0].toString();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String subject(MimeMessage message) {
        try {
            return message.getSubject();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String hmac(String timestamp, String body) throws Exception {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA256"));
        return HexFormat.of().formatHex(mac.doFinal((timestamp + "." + body).getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    @Order(1)
    void aHighAlertReachesItsOwnerByMailAndTheBankByASignedWebhook() throws Exception {
        String high = alert("B-1001", Severity.HIGH);

        eventually(Duration.ofSeconds(20), "ana's mail and the webhook call", () ->
                mailsAbout(high).size() == 1 && callsAbout(high).size() == 1);
        MimeMessage mail = mailsAbout(high).get(0);
        assertThat(to(mail)).isEqualTo("ana@bank.test");
        assertThat(subject(mail)).isEqualTo("[Kestrel] HIGH alert: Material arrears over 30 days (B-1001)");
        assertThat(text(mail)).contains("Days past due 31 > 30 on facility F-1001-A", "Borrower: B-1001",
                "https://desk.bank.test/#/alerts/" + high);

        // The receiver was down for the first call and got it on the second attempt; the signature holds.
        Call call = callsAbout(high).get(0);
        assertThat(call.signature()).isEqualTo("v1=" + hmac(call.timestamp(), call.body()));
        assertThat(Math.abs(Instant.now().getEpochSecond() - Long.parseLong(call.timestamp()))).isLessThan(60);
        JsonNode payload = json(call.body());
        assertThat(payload.get("kind").getStringValue()).isEqualTo("ALERT_RAISED");
        assertThat(payload.get("severity").getStringValue()).isEqualTo("HIGH");
        assertThat(payload.get("recipients").get(0).getStringValue()).isEqualTo("ana");
        assertThat(payload.get("id").getStringValue()).isEqualTo("ALERT_RAISED:" + high + ":HIGH");

        List<JsonNode> recorded = notificationsOf(high);
        assertThat(recorded).extracting(n -> n.get("channel").getStringValue() + " " + n.get("status").getStringValue())
                .containsExactlyInAnyOrder("EMAIL SENT", "WEBHOOK SENT");
        JsonNode webhook = recorded.stream().filter(n -> n.get("channel").getStringValue().equals("WEBHOOK")).findFirst().orElseThrow();
        assertThat(webhook.get("attempts").getIntValue()).isEqualTo(2);
        assertThat(call.notificationId()).isEqualTo(Long.toString(webhook.get("notificationId").getLongValue()));
    }

    @Test
    @Order(2)
    void aMediumAlertIsQuietUntilTheEngineEscalatesItAndARepeatNotifiesNobody() {
        Alert medium = Alert.newBuilder(Samples.alert()).setAlertId("nt-medium").setSeverity(Severity.MEDIUM).build();
        DeskTestSupport.send(topics.alerts(), List.of(medium));
        eventually(Duration.ofSeconds(20), "the medium alert arrives", () ->
                desk.call("sue", HttpRequest.GET("/api/alerts/nt-medium"), Argument.of(String.class)).code() == 200);

        Alert critical = Alert.newBuilder(medium).setLifecycle(AlertLifecycle.ESCALATED).setSeverity(Severity.CRITICAL)
                .setEventTime(medium.getEventTime().plusSeconds(86_400)).build();
        // The escalation, then the same escalation again (a replay after a restart), on one partition.
        DeskTestSupport.sendInOrder(topics.alerts(), "nt-medium", List.of(critical, critical));
        eventually(Duration.ofSeconds(20), "ana hears of the escalation", () -> mailsAbout("nt-medium").size() == 1
                && callsAbout("nt-medium").size() == 1);
        assertThat(subject(mailsAbout("nt-medium").get(0))).startsWith("[Kestrel] CRITICAL alert:");
        // Nothing of the medium stage, and one notification per channel for the critical one.
        assertThat(notificationsOf("nt-medium")).hasSize(2)
                .allSatisfy(n -> assertThat(n.get("kind").getStringValue()).isEqualTo("ALERT_RAISED"));
    }

    @Test
    @Order(3)
    void anAlertNobodyOwnsReachesTheSupervisorsAndAnUnaddressedOneIsRecordedAsSkipped() {
        String unowned = alert("B-1003", Severity.CRITICAL);
        eventually(Duration.ofSeconds(20), "sue's mail", () -> mailsAbout(unowned).size() == 1 && callsAbout(unowned).size() == 1);
        assertThat(to(mailsAbout(unowned).get(0))).isEqualTo("sue@bank.test");
        List<JsonNode> recorded = notificationsOf(unowned);
        assertThat(recorded).extracting(n -> n.get("channel").getStringValue() + " " + (n.get("recipient").isNull() ? "null" : n.get("recipient").getStringValue())
                + " " + n.get("status").getStringValue())
                .containsExactlyInAnyOrder("EMAIL sam SKIPPED", "EMAIL sue SENT", "WEBHOOK null SENT");
        assertThat(recorded.stream().filter(n -> n.get("status").getStringValue().equals("SKIPPED")).findFirst().orElseThrow()
                .get("lastError").getStringValue()).isEqualTo("no e-mail address for sam");
    }

    @Test
    @Order(4)
    void aRoutedAlertReachesTheAssigneeAndTheOwnerAndSomeoneWithAnAddressAlways() {
        Map<String, Object> rule = new java.util.HashMap<>();
        rule.put("position", 1);
        rule.put("description", "Critical alerts go to ben, the workout specialist");
        rule.put("minSeverity", "CRITICAL");
        rule.put("assignTo", "ben");
        assertThat(desk.call("sue", HttpRequest.PUT("/api/routing-rules/CRITICAL-TO-BEN", rule), Argument.of(String.class)).code())
                .isEqualTo(200);

        // ben has no address; ana, who owns the borrower, hears of it all the same.
        String owned = alert("B-1001", Severity.CRITICAL);
        eventually(Duration.ofSeconds(20), "ana's mail", () -> mailsAbout(owned).size() == 1);
        assertThat(to(mailsAbout(owned).get(0))).isEqualTo("ana@bank.test");
        assertThat(notificationsOf(owned)).extracting(n -> n.get("channel").getStringValue() + " "
                        + (n.get("recipient").isNull() ? "null" : n.get("recipient").getStringValue()) + " " + n.get("status").getStringValue())
                .containsExactlyInAnyOrder("EMAIL ben SKIPPED", "EMAIL ana SENT", "WEBHOOK null SENT");

        // Nobody owns B-1003, and ben has no address: the supervisors are told, so that someone reads it.
        String unowned = alert("B-1003", Severity.CRITICAL);
        eventually(Duration.ofSeconds(20), "sue's mail", () -> mailsAbout(unowned).size() == 1);
        assertThat(to(mailsAbout(unowned).get(0))).isEqualTo("sue@bank.test");
        assertThat(desk.call("sue", HttpRequest.DELETE("/api/routing-rules/CRITICAL-TO-BEN"), Argument.of(String.class)).code())
                .isEqualTo(204);
    }

    @Test
    @Order(5)
    void aMissedDeadlineNotifiesOnceAndAResolvedAlertNever() throws InterruptedException {
        // LOW alerts are due within 3 s here, and do not notify when raised.
        String missed = alert("B-1001", Severity.LOW);
        String resolved = alert("B-1001", Severity.LOW);
        assertThat(desk.call("ana", HttpRequest.POST("/api/alerts/" + resolved + "/acknowledge", Map.of()).header("If-Match", "\"1\""),
                Argument.of(String.class)).code()).isEqualTo(200);
        assertThat(desk.call("ana", HttpRequest.POST("/api/alerts/" + resolved + "/resolve",
                Map.of("disposition", "FALSE_POSITIVE", "note", "seasonal")).header("If-Match", "\"2\""), Argument.of(String.class)).code())
                .isEqualTo(200);

        // The breach goes to the owner and up the line, to the supervisors.
        eventually(Duration.ofSeconds(20), "ana and sue hear of the missed deadline", () -> mailsAbout(missed).size() == 2);
        assertThat(mailsAbout(missed)).extracting(NotificationTest::to).containsExactlyInAnyOrder("ana@bank.test", "sue@bank.test");
        assertThat(subject(mailsAbout(missed).get(0))).isEqualTo("[Kestrel] SLA breached: Material arrears over 30 days (B-1001)");
        // Several checks later, still once each.
        Thread.sleep(1000);
        assertThat(mailsAbout(missed)).hasSize(2);
        assertThat(notificationsOf(missed)).extracting(n -> n.get("kind").getStringValue()).containsOnly("SLA_BREACHED").hasSize(4);
        // The breach is in the alert's history and the audit log.
        JsonNode detail = desk.get("sue", "/api/alerts/" + missed, Argument.of(JsonNode.class));
        List<String> history = new java.util.ArrayList<>();
        detail.get("history").values().forEach(h -> history.add(h.get("action").getStringValue() + " by " + h.get("actor").getStringValue()));
        assertThat(history).containsExactly("OPENED by engine", "SLA_BREACHED by system");
        JsonNode audit = desk.get("aud", "/api/audit?targetType=alert&targetId=" + missed, Argument.of(JsonNode.class));
        assertThat(audit.get("items").get(0).get("action").getStringValue()).isEqualTo("ALERT_SLA_BREACHED");
        assertThat(mailsAbout(resolved)).isEmpty();
        assertThat(notificationsOf(resolved)).isEmpty();
    }

    @Test
    @Order(7)
    void aReviewComingDueReachesItsOwnerOnceAndOneAlreadyOverdueIsLeftToTheEnginesAlert() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        DeskTestSupport.send(topics.snapshots(), List.of(
                BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setAsOf(Instant.now())
                        .setLastReviewDate(today.minusMonths(1)).setReviewDueDate(today.plusDays(3)).build(),
                BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot()).setBorrowerId("B-1003").setAsOf(Instant.now())
                        .setReviewDueDate(today.minusDays(2)).build()));
        eventually(Duration.ofSeconds(20), "ana's mail and the webhook call about B-1001's review", () ->
                reviewMails("B-1001").size() == 1 && reviewCalls("B-1001").size() == 1);

        MimeMessage mail = reviewMails("B-1001").get(0);
        assertThat(to(mail)).isEqualTo("ana@bank.test");
        assertThat(subject(mail)).isEqualTo("[Kestrel] Review due " + today.plusDays(3) + ": Jiangnan Precision Machinery Co., Ltd. (B-1001)");
        assertThat(text(mail)).contains("Latest review: " + today.minusMonths(1), "https://desk.bank.test/#/borrowers/B-1001");
        JsonNode payload = json(reviewCalls("B-1001").get(0).body());
        assertThat(payload.get("kind").getStringValue()).isEqualTo("REVIEW_DUE");
        assertThat(payload.get("dueDate").getStringValue()).isEqualTo(today.plusDays(3).toString());
        assertThat(payload.get("officer").getStringValue()).isEqualTo("ana");

        // Several more checks pass: the same due date is told once, and the overdue one never as coming.
        try {
            Thread.sleep(1_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(reviewMails("B-1001")).hasSize(1);
        assertThat(reviewCalls("B-1001")).hasSize(1);
        assertThat(reviewMails("B-1003")).isEmpty();
        assertThat(reviewCalls("B-1003")).isEmpty();
    }

    /**
     * Jiangnan Precision's arrears turned material ten days ago: the case opens with the reminder (day 1) and the call
     * (day 7) already late. ana hears of both in one notice; the formal letter, due on day 30, is not told yet, and
     * nothing is told twice.
     */
    @Test
    @Order(8)
    void collectionStepsAlreadyDueReachTheOwnerInOneNoticeAndLaterStepsWait() {
        LocalDate today = LocalDate.now(ZoneOffset.UTC);
        DeskTestSupport.send(topics.snapshots(), List.of(BorrowerRiskSnapshot.newBuilder(Samples.borrowerRiskSnapshot())
                .setAsOf(Instant.now()).setMaterialArrearsSince(today.minusDays(10)).build()));
        eventually(Duration.ofSeconds(20), "ana's mail and the webhook call about B-1001's collection case", () ->
                collectionMails().size() == 1 && collectionCalls().size() == 1);

        MimeMessage mail = collectionMails().get(0);
        assertThat(to(mail)).isEqualTo("ana@bank.test");
        assertThat(subject(mail)).isEqualTo("[Kestrel] Collection: 2 steps to take, 2 late: Jiangnan Precision Machinery Co., Ltd. (B-1001)");
        assertThat(text(mail)).contains("- REMINDER, due " + today.minusDays(10) + " (10 days late)",
                "- CALL, due " + today.minusDays(4) + " (4 days late)", "https://desk.bank.test/#/borrowers/B-1001")
                .doesNotContain("FORMAL_LETTER");
        JsonNode payload = json(collectionCalls().get(0).body());
        assertThat(payload.get("officer").getStringValue()).isEqualTo("ana");
        List<String> steps = new java.util.ArrayList<>();
        payload.get("steps").values().forEach(step -> steps.add(step.get("kind").getStringValue() + " " + step.get("dueDate").getStringValue()));
        assertThat(steps).containsExactly("REMINDER " + today.minusDays(10), "CALL " + today.minusDays(4));

        try {
            Thread.sleep(1_000); // several more checks pass
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        assertThat(collectionMails()).hasSize(1);
        assertThat(collectionCalls()).hasSize(1);
    }

    private List<MimeMessage> collectionMails() {
        return List.of(smtp.getReceivedMessages()).stream().filter(m -> subject(m).startsWith("[Kestrel] Collection")).toList();
    }

    private List<Call> collectionCalls() {
        return calls.stream().filter(c -> json(c.body()).get("kind").getStringValue().equals("COLLECTION_STEPS_DUE")).toList();
    }

    private List<MimeMessage> reviewMails(String borrowerId) {
        return List.of(smtp.getReceivedMessages()).stream()
                .filter(m -> subject(m).startsWith("[Kestrel] Review due") && subject(m).endsWith("(" + borrowerId + ")")).toList();
    }

    private List<Call> reviewCalls(String borrowerId) {
        return calls.stream().filter(c -> json(c.body()).get("kind").getStringValue().equals("REVIEW_DUE")
                && json(c.body()).get("borrowerId").getStringValue().equals(borrowerId)).toList();
    }

    @Test
    @Order(6)
    void onlySupervisorsAuditorsAndAdminsReadTheNotifications() {
        assertThat(desk.call("ana", HttpRequest.GET("/api/notifications"), Argument.of(String.class)).code()).isEqualTo(403);
        assertThat(desk.call("aud", HttpRequest.GET("/api/notifications?status=SENT"), Argument.of(String.class)).code()).isEqualTo(200);
        assertThat(desk.call("sue", HttpRequest.GET("/api/notifications?status=LOST"), Argument.of(String.class)).code()).isEqualTo(400);
    }
}
