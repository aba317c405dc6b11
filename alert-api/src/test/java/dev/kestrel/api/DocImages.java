package dev.kestrel.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The images of the desk that the docs and the README show, by name without ".png". */
final class DocImages {
    private static final Pattern IMAGE = Pattern.compile("images/(desk-[a-z0-9-]+)\\.png");

    private DocImages() {}

    static Set<String> deskImagesShown() throws IOException {
        Set<String> shown = new TreeSet<>();
        try (Stream<Path> docs = Files.list(Path.of("../docs"))) {
            for (Path doc : Stream.concat(docs.filter(p -> p.toString().endsWith(".md")), Stream.of(Path.of("../README.md"))).toList()) {
                Matcher found = IMAGE.matcher(Files.readString(doc));
                while (found.find()) {
                    shown.add(found.group(1));
                }
            }
        }
        return shown;
    }
}
