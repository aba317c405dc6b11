package dev.kestrel.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

/**
 * Where a run's CPU goes, from the JDK's Flight Recorder: its Java execution samples (every 10 ms it samples a bounded
 * number of threads running Java code), counted by whether their stack holds a frame of a given class, or class and
 * method. Native code (RocksDB) is not sampled, so a share of the samples is a share of the Java code's time, and an
 * upper bound of a share of all CPU. Stacks cut short by the recorder's depth are counted apart: a frame near the root
 * may be missing from them.
 */
final class CpuSamples {
    private final Recording recording;

    private CpuSamples(Recording recording) {
        this.recording = recording;
    }

    static CpuSamples start() {
        Recording recording = new Recording();
        recording.enable("jdk.ExecutionSample").withPeriod(Duration.ofMillis(10)).withStackTrace();
        recording.start();
        return new CpuSamples(recording);
    }

    /** Stops sampling and counts, for each frame name ({@code pkg.Class} or {@code pkg.Class.method}), the samples holding it. */
    Counts stop(List<String> frames) throws IOException {
        recording.stop();
        Path file = Files.createTempFile("kestrel-bench", ".jfr");
        try {
            recording.dump(file);
            Map<String, Long> holding = new LinkedHashMap<>();
            frames.forEach(frame -> holding.put(frame, 0L));
            long total = 0;
            long truncated = 0;
            for (RecordedEvent sample : RecordingFile.readAllEvents(file)) {
                if (!sample.getEventType().getName().equals("jdk.ExecutionSample") || sample.getStackTrace() == null) {
                    continue; // another recording in the same JVM may add events of its own
                }
                total++;
                truncated += sample.getStackTrace().isTruncated() ? 1 : 0;
                for (String frame : frames) {
                    if (holds(sample.getStackTrace().getFrames(), frame)) {
                        holding.merge(frame, 1L, Long::sum);
                    }
                }
            }
            return new Counts(total, truncated, holding);
        } finally {
            recording.close();
            Files.deleteIfExists(file);
        }
    }

    private static boolean holds(List<RecordedFrame> stack, String frame) {
        for (RecordedFrame f : stack) {
            String type = f.getMethod().getType().getName();
            if (type.equals(frame) || frame.equals(type + "." + f.getMethod().getName())) {
                return true;
            }
        }
        return false;
    }

    record Counts(long total, long truncated, Map<String, Long> holding) {
        double share(String frame) {
            return total == 0 ? 0 : holding.get(frame) / (double) total;
        }
    }
}
