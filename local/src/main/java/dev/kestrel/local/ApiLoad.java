package dev.kestrel.local;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * The load generator of {@link ApiLoadBenchmark}, in its own JVM: sends requests at a fixed rate whatever the answers
 * take (open loop), half alert-list queries and half customer 360 views, and measures each from the moment it was due,
 * so queueing in the server, and waiting for a free connection here, count (no coordinated omission). Prints p50, p99,
 * p99.9 and max per kind.
 *
 * <p>It speaks HTTP/1.1 itself over {@link #CONNECTIONS} kept-alive connections, one blocking thread each, as a web
 * front end's connection pool would. The JDK's {@code HttpClient} cost about 2 ms of CPU per request on these 2 cores,
 * as much as the API itself, and the load generator shares the cores with what it measures.
 */
public final class ApiLoad {
    private static final String[] LISTS = {"/api/alerts?limit=50", "/api/alerts?status=NEW&limit=50",
            "/api/alerts?severity=HIGH,CRITICAL&sort=-severity&limit=50", "/api/alerts?assignee=ana&limit=50"};
    /** Twice the API's database pool: enough that the server, not this side, is where requests wait. */
    private static final int CONNECTIONS = 32;
    private static final int TIMEOUT_MILLIS = 30_000;

    /** One request: what to ask, when it was due, and which histogram times it (none during the warm-up). */
    private record Due(String path, long dueNanos, Histogram into) {}

    private static final Due STOP = new Due("", 0, null);

    public static void main(String[] args) throws Exception {
        URI base = URI.create(args[0]);
        String token = args[1];
        int rate = Integer.parseInt(args[2]);
        int seconds = Integer.parseInt(args[3]);
        int borrowers = Integer.parseInt(args[4]);
        Duration warmUp = Duration.ofSeconds(Integer.parseInt(args[5]));
        Histogram lists = new ConcurrentHistogram(60_000_000L, 3);
        Histogram views = new ConcurrentHistogram(60_000_000L, 3);
        AtomicLong errors = new AtomicLong();
        BlockingQueue<Due> queue = new LinkedBlockingQueue<>();
        List<Thread> workers = new ArrayList<>();
        for (int c = 0; c < CONNECTIONS; c++) {
            Thread worker = new Thread(() -> work(base, token, queue, errors), "load-" + c);
            worker.start();
            workers.add(worker);
        }
        Random random = new Random(42);
        long total = (long) rate * (seconds + warmUp.toSeconds());
        long start = System.nanoTime();
        long measureFrom = start + warmUp.toNanos();
        for (long i = 0; i < total; i++) {
            long due = start + i * 1_000_000_000L / rate;
            long wait = due - System.nanoTime();
            if (wait > 0) {
                TimeUnit.NANOSECONDS.sleep(wait);
            }
            boolean list = i % 2 == 0;
            String path = list ? LISTS[random.nextInt(LISTS.length)] + (random.nextInt(4) == 0 ? "&borrower=B-" + random.nextInt(borrowers) : "")
                    : "/api/borrowers/B-" + random.nextInt(borrowers) + "?historyDays=365";
            queue.add(new Due(path, due, due >= measureFrom ? (list ? lists : views) : null));
        }
        for (int c = 0; c < CONNECTIONS; c++) {
            queue.add(STOP);
        }
        for (Thread worker : workers) {
            worker.join();
        }
        System.out.printf(Locale.ROOT, "%nOffered %d requests/s for %d s after a %d s warm-up, from a second JVM on loopback "
                + "over %d connections; %d errors%n%n", rate, seconds, warmUp.toSeconds(), CONNECTIONS, errors.get());
        System.out.println("| Request | Measured | p50 ms | p99 ms | p99.9 ms | max ms |");
        System.out.println("|---|---|---|---|---|---|");
        print("alert list (filters, sorts, 50 a page)", lists);
        print("customer 360 view (a year of history)", views);
        System.exit(errors.get() == 0 ? 0 : 1);
    }

    /** Takes due requests one at a time over one kept-alive connection, reconnecting after a failure. */
    private static void work(URI base, String token, BlockingQueue<Due> queue, AtomicLong errors) {
        Connection connection = null;
        try {
            for (Due due = queue.take(); due != STOP; due = queue.take()) {
                try {
                    if (connection == null) {
                        connection = new Connection(base);
                    }
                    int status = connection.get(due.path, token);
                    if (status != 200) {
                        errors.incrementAndGet();
                    } else if (due.into != null) {
                        due.into.recordValue(Math.max(0, (System.nanoTime() - due.dueNanos) / 1_000));
                    }
                } catch (IOException e) {
                    errors.incrementAndGet();
                    if (connection != null) {
                        connection.close();
                        connection = null;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            if (connection != null) {
                connection.close();
            }
        }
    }

    /** One HTTP/1.1 connection: a GET, then its whole answer read (by its length or its chunks) before the next. */
    private static final class Connection {
        private final Socket socket = new Socket();
        private final InputStream in;
        private final OutputStream out;
        private final String host;
        private final byte[] discard = new byte[64 * 1024];

        Connection(URI base) throws IOException {
            socket.setTcpNoDelay(true);
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout(TIMEOUT_MILLIS);
            in = new BufferedInputStream(socket.getInputStream(), 64 * 1024);
            out = socket.getOutputStream();
            host = base.getHost() + ":" + base.getPort();
        }

        int get(String path, String token) throws IOException {
            out.write(("GET " + path + " HTTP/1.1\r\nHost: " + host + "\r\nAuthorization: Bearer " + token
                    + "\r\nAccept: application/json\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String statusLine = line();
            if (!statusLine.startsWith("HTTP/1.1 ")) {
                throw new IOException("not an HTTP/1.1 answer: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long length = -1;
            boolean chunked = false;
            boolean close = false;
            for (String header = line(); !header.isEmpty(); header = line()) {
                String lower = header.toLowerCase(Locale.ROOT);
                if (lower.startsWith("content-length:")) {
                    length = Long.parseLong(lower.substring(15).strip());
                } else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
                    chunked = true;
                } else if (lower.startsWith("connection:") && lower.contains("close")) {
                    close = true;
                }
            }
            if (chunked) {
                for (long chunk = Long.parseLong(line().split(";")[0].strip(), 16); chunk > 0;
                     chunk = Long.parseLong(line().split(";")[0].strip(), 16)) {
                    skip(chunk);
                    line();
                }
                while (!line().isEmpty()) {
                    // trailers
                }
            } else if (length >= 0) {
                skip(length);
            } else {
                throw new IOException("an answer without a length");
            }
            if (close) {
                throw new IOException("the server closed the connection");
            }
            return status;
        }

        private String line() throws IOException {
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != '\n'; b = in.read()) {
                if (b < 0) {
                    throw new IOException("the connection ended mid-answer");
                }
                if (b != '\r') {
                    line.append((char) b);
                }
            }
            return line.toString();
        }

        private void skip(long bytes) throws IOException {
            for (long left = bytes; left > 0; ) {
                int read = in.read(discard, 0, (int) Math.min(discard.length, left));
                if (read < 0) {
                    throw new IOException("the connection ended mid-answer");
                }
                left -= read;
            }
        }

        void close() {
            try {
                socket.close();
            } catch (IOException ignored) {
                // already broken; a new connection follows
            }
        }
    }

    private static void print(String name, Histogram h) {
        System.out.printf(Locale.ROOT, "| %s | %,d | %.1f | %.1f | %.1f | %.1f |%n", name, h.getTotalCount(),
                h.getValueAtPercentile(50) / 1e3, h.getValueAtPercentile(99) / 1e3, h.getValueAtPercentile(99.9) / 1e3,
                h.getMaxValue() / 1e3);
    }

    private ApiLoad() {}
}
