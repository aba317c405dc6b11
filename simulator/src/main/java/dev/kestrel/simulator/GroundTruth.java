package dev.kestrel.simulator;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.List;

/** What really happened to each borrower that was not healthy, for scoring alerts against. */
public record GroundTruth(String borrowerId, String groupId, RiskPath path, LocalDate onset, LocalDate firstMissedDue,
                          LocalDate defaultDate) {

    static List<GroundTruth> of(Portfolio portfolio, LocalDate end) {
        List<GroundTruth> truths = new ArrayList<>();
        for (Borrower borrower : portfolio.borrowers) {
            if (borrower.path == RiskPath.HEALTHY) {
                continue;
            }
            LocalDate defaulted = borrower.defaultDate();
            truths.add(new GroundTruth(borrower.id, borrower.groupId, borrower.path, borrower.onset,
                    borrower.firstMissedDue(), defaulted != null && !defaulted.isAfter(end) ? defaulted : null));
        }
        return truths;
    }

    String jsonLine() {
        return "{\"borrowerId\":\"" + borrowerId + "\",\"groupId\":" + quoted(groupId) + ",\"path\":\"" + path
                + "\",\"onset\":" + quoted(onset) + ",\"firstMissedDue\":" + quoted(firstMissedDue) + ",\"defaultDate\":"
                + quoted(defaultDate) + "}";
    }

    private static String quoted(Object value) {
        return value == null ? "null" : "\"" + value + "\"";
    }

    static void writeTruth(Path file, List<GroundTruth> truths) {
        write(file, truths.stream().map(GroundTruth::jsonLine).toList());
    }

    /** borrowerId,defaultDate for each default inside the period: the outcomes file of the backtest. */
    static void writeOutcomes(Path file, List<GroundTruth> truths) {
        List<String> lines = new ArrayList<>();
        lines.add("borrowerId,defaultDate");
        truths.stream().filter(t -> t.defaultDate() != null).forEach(t -> lines.add(t.borrowerId() + "," + t.defaultDate()));
        write(file, lines);
    }

    private static void write(Path file, List<String> lines) {
        try {
            Files.write(file, lines, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
