package dev.kestrel.replay;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Which borrowers defaulted and when: a CSV of {@code borrowerId,defaultDate} with a header line. */
public final class Outcomes {
    private Outcomes() {}

    public static Map<String, LocalDate> read(Path file) {
        List<String> lines;
        try {
            lines = Files.readAllLines(file);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read outcomes " + file, e);
        }
        Map<String, LocalDate> defaults = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || i == 0 && line.toLowerCase().startsWith("borrowerid")) {
                continue;
            }
            String[] fields = line.split(",");
            if (fields.length != 2) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": expected borrowerId,defaultDate, got '" + line + "'");
            }
            try {
                defaults.put(fields[0].strip(), LocalDate.parse(fields[1].strip()));
            } catch (DateTimeParseException e) {
                throw new IllegalArgumentException(file + " line " + (i + 1) + ": '" + fields[1] + "' is not a date (YYYY-MM-DD)");
            }
        }
        return defaults;
    }
}
