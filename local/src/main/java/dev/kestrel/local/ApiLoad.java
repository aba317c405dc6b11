package dev.kestrel.local;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator of {@link ApiLoadBenchmark}, in its own JVM: sends requests at a fixed rate whatever the answers
 * take (open loop), half alert-list queries and half customer 360 views, and measures each from the moment it was due,
 * so queueing in the server counts (no coordinated omission). Prints p50, p99, p99.9 and max per kind.
 */
public final class ApiLoad {
    private static final String[] LISTS = {"/api/alerts?limit=50", "/api/alerts?status=NEW&limit=50",
            "/api/alerts?severity=HIGH,CRITICAL&sort=-severity&limit=50", "/api/alerts?assignee=ana&limit=50"};
    private static final Duration WARM_UP = Duration.ofSeconds(10);

    public static void main(String[] args) throws Exception {
        String base = args[0];
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int borrowers = Integer.parseInt(args[4]);
        ExecutorService workers = Executors.newFixedThreadPool(64);
        HttpClient http = HttpClient.newBuilder().executor(workers).version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(5)).build();
        Histogram lists = new ConcurrentHistogram(60_000_000L, 3);
        Histogram views = new ConcurrentHistogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        Random random = new Random(42);
        long total = (long) rate * (seconds + WARM_UP.toSeconds());
        long start = System.nanoTime();
        long measureFrom = start + WARM_UP.toNanos();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            boolean list = i % 2 == 0;
            String path = list ? LISTS[random.nextInt(LISTS.length)] + (random.nextInt(4) == 0 ? "&borrower=B-" + random.nextInt(borrowers) : "")
                    : "/api/borrowers/B-" + random.nextInt(borrowers) + "?historyDays=365";
            Histogram into = due >= measureFrom ? (list ? lists : views) : null;
            http.sendAsync(HttpRequest.newBuilder(URI.create(base + path)).header("Authorization", "Bearer " + token)
                    .timeout(Duration.ofSeconds(30)).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
                    .whenComplete((response, error) -> {
                        if (error != null || response.statusCode() != 200) {
                            errors.incrementAndGet();
                        } else if (into != null) {
                            into.recordValue(Math.max(0, (System.nanoTime() - due) / 1_000));
                        }
                    });
        }
        workers.shutdown();
        workers.awaitTermination(60, TimeUnit.SECONDS);
        System.out.printf(Locale.ROOT, "%nOffered %d requests/s for %d s after a %d s warm-up, from a second JVM on loopback; "
                + "%d errors%n%n", rate, seconds, WARM_UP.toSeconds(), errors.get());
        System.out.println("| Request | Measured | p50 ms | p99 ms | p99.9 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        print("alert list (filters, sorts, 50 a page)", lists);
        print("customer 360 view (a year of history)", views);
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    private static void print(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.1f |%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
    }

    private ApiLoad() {}
}
