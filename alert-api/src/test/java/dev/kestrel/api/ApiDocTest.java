package dev.kestrel.api;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** docs/api.md documents every operation of the OpenAPI description generated from the code, and nothing else. */
class ApiDocTest {
    private static final Pattern PATH = Pattern.compile("^  (/\\S+):$");
    private static final Pattern METHOD = Pattern.compile("^    (get|post|put|patch|delete):$");

    @Test
    void everyOperationHasASectionInTheApiDoc() throws IOException {
        List<String> operations = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream("META-INF/swagger/kestrel-alert-api-0.1.yml")) {
            assertThat(in).as("the OpenAPI description generated at build time").isNotNull();
            String path = null;
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                Matcher pathLine = PATH.matcher(line);
                Matcher methodLine = METHOD.matcher(line);
                if (pathLine.matches()) {
                    path = pathLine.group(1);
                } else if (methodLine.matches() && path != null) {
                    operations.add(methodLine.group(1).toUpperCase() + " " + path);
                }
            }
        }
        assertThat(operations).as("operations parsed from the description").contains("GET /api/alerts", "POST /api/alerts/{alertId}/resolve");
        String doc = Files.readString(Path.of("../docs/api.md"));
        List<String> documented = new ArrayList<>();
        for (String line : doc.split("\n")) {
            if (line.startsWith("### ")) {
                documented.add(line.substring(4).trim());
            }
        }
        assertThat(documented).containsAll(operations);
        documented.remove("POST /login"); // Micronaut Security's own endpoint, not in our description
        assertThat(operations).containsAll(documented);
    }

    @Test
    void everyDeskImageTheDocsShowIsInDocsImages() throws IOException {
        for (String image : DocImages.deskImagesShown()) {
            assertThat(java.nio.file.Path.of("../docs/images", image + ".png")).as(image + ": DeskPageTest takes it; run it with "
                    + "-Dkestrel.writeDocs=true").exists();
        }
    }
}
