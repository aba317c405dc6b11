package dev.kestrel.scenario;

import dev.kestrel.jobs.risk.Regime;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One scenario file (docs/scenarios.md): a title, settings, a history in JSON lines, the alert changes a banker
 * expects, the alerts that must never appear, and the records the job must refuse.
 */
public record Scenario(Path file, String title, LocalDate until, Set<String> ignoredRules, String pending, String regimes,
                       List<String> history, List<Expected> expected, List<Never> never, List<Refused> refused) {

    /** An alert change the engine must raise. */
    public record Expected(String text, LocalDate day, String subject, String ruleId, String change, String severity,
                           List<String> keyWords) {}

    /** An alert that must not appear; a null severity means at no severity. */
    public record Never(String text, String subject, String ruleId, String severity) {}

    /** A record the job must refuse: its number within the history, the reason code, key words of the reason. */
    public record Refused(String text, long line, String reasonCode, List<String> keyWords) {}

    private static final Pattern TOKEN = Pattern.compile("\"([^\"]*)\"|(\\S+)");
    private static final Set<String> CHANGES = Set.of("OPENED", "ESCALATED", "CLOSED");
    private static final Set<String> SEVERITIES = Set.of("INFO", "LOW", "MEDIUM", "HIGH", "CRITICAL");

    /** Reads a scenario file, or throws an IllegalArgumentException naming the line and what is wrong with it. */
    public static Scenario read(Path file) throws IOException {
        List<String> lines = Files.readAllLines(file);
        String title = null;
        LocalDate until = null;
        Set<String> ignored = new LinkedHashSet<>();
        String pending = null;
        String regimes = null;
        List<String> history = new ArrayList<>();
        List<Expected> expected = new ArrayList<>();
        List<Never> never = new ArrayList<>();
        List<Refused> refused = new ArrayList<>();
        String section = "settings";
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            String where = file.getFileName() + " line " + (i + 1) + ": ";
            if (line.isEmpty()) {
                continue;
            }
            if (line.startsWith("#")) {
                if (title == null) {
                    title = line.substring(1).strip();
                }
                continue;
            }
            if (line.equals("history:") || line.equals("expect:") || line.equals("never:") || line.equals("dead-letters:")) {
                section = line.substring(0, line.length() - 1);
                continue;
            }
            try {
                switch (section) {
                    case "settings" -> {
                        int colon = line.indexOf(':');
                        String name = colon < 0 ? line : line.substring(0, colon).strip();
                        String value = colon < 0 ? "" : line.substring(colon + 1).strip();
                        switch (name) {
                            case "until" -> until = LocalDate.parse(value);
                            case "ignore" -> ignored.addAll(List.of(value.split("\\s+")));
                            case "pending" -> pending = value;
                            case "regimes" -> regimes = Regime.text(Regime.parse(value));
                            default -> throw new IllegalArgumentException("unknown setting '" + name
                                    + "' (until, ignore, pending, regimes), or a section header without its colon");
                        }
                    }
                    case "history" -> history.add(line);
                    case "expect" -> expected.add(expected(line));
                    case "never" -> never.add(never(line));
                    case "dead-letters" -> refused.add(refused(line));
                    default -> throw new IllegalStateException(section);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException(where + e.getMessage(), e);
            }
        }
        if (title == null) {
            throw new IllegalArgumentException(file.getFileName() + ": the first line must be '# ' and the title");
        }
        if (history.isEmpty()) {
            throw new IllegalArgumentException(file.getFileName() + ": no history");
        }
        return new Scenario(file, title, until, Set.copyOf(ignored), pending, regimes, List.copyOf(history), List.copyOf(expected),
                List.copyOf(never), List.copyOf(refused));
    }

    private static Expected expected(String line) {
        List<String> tokens = tokens(line);
        if (tokens.size() < 5) {
            throw new IllegalArgumentException("expected DATE SUBJECT RULE CHANGE SEVERITY \"key words\"..., got '" + line + "'");
        }
        String change = oneOf(tokens.get(3), CHANGES, "change");
        String severity = oneOf(tokens.get(4), SEVERITIES, "severity");
        return new Expected(line, LocalDate.parse(tokens.get(0)), tokens.get(1), tokens.get(2), change, severity,
                tokens.subList(5, tokens.size()));
    }

    private static Never never(String line) {
        List<String> tokens = tokens(line);
        if (tokens.size() < 2 || tokens.size() > 3) {
            throw new IllegalArgumentException("expected SUBJECT RULE [SEVERITY], got '" + line + "'");
        }
        return new Never(line, tokens.get(0), tokens.get(1), tokens.size() == 3 ? oneOf(tokens.get(2), SEVERITIES, "severity") : null);
    }

    private static Refused refused(String line) {
        List<String> tokens = tokens(line);
        if (tokens.size() < 2) {
            throw new IllegalArgumentException("expected LINE REASON \"key words\"..., got '" + line + "'");
        }
        return new Refused(line, Long.parseLong(tokens.get(0)), tokens.get(1), tokens.subList(2, tokens.size()));
    }

    private static String oneOf(String token, Set<String> allowed, String what) {
        String upper = token.toUpperCase(Locale.ROOT);
        if (!allowed.contains(upper)) {
            throw new IllegalArgumentException(what + " '" + token + "' is not one of " + allowed);
        }
        return upper;
    }

    /** Words and "quoted phrases"; key words are the quoted ones after the fixed columns. */
    private static List<String> tokens(String line) {
        List<String> tokens = new ArrayList<>();
        Matcher matcher = TOKEN.matcher(line);
        while (matcher.find()) {
            tokens.add(matcher.group(1) != null ? matcher.group(1) : matcher.group(2));
        }
        return List.copyOf(tokens);
    }
}
