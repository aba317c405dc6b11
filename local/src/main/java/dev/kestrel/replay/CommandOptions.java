package dev.kestrel.replay;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/** The {@code --name value} options of the replay and calibrate commands; a problem goes to the command's usage. */
public final class CommandOptions {
    private CommandOptions() {}

    /** The options given, refusing a word without its value and a name the command does not know. */
    public static Map<String, String> parse(String[] args, Set<String> known, Consumer<String> usage) {
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            if (!args[i].startsWith("--") || i + 1 >= args.length) {
                usage.accept("unexpected '" + args[i] + "'");
            }
            options.put(args[i].substring(2), args[++i]);
        }
        options.keySet().stream().filter(k -> !known.contains(k)).findFirst().ifPresent(k -> usage.accept("unknown option --" + k));
        return options;
    }

    public static String required(Map<String, String> options, String name, Consumer<String> usage) {
        String value = options.get(name);
        if (value == null) {
            usage.accept("--" + name + " is required");
        }
        return value;
    }
}
