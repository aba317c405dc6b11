package dev.kestrel.jobs.config;

import dev.kestrel.contract.RatingScale;
import java.io.Serializable;
import java.time.Duration;
import java.util.Locale;
import java.util.Objects;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * One configuration option of the engine: its key, its type, its default and what it does.
 * {@link EngineConfig} declares every option; docs/configuration.md is generated from those declarations.
 */
public final class EngineOption<T> implements Serializable {
    private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)");

    private final String key;
    private final String typeName;
    private final String defaultText;
    private final String description;
    private final SerializableParser<T> parser;

    private EngineOption(String key, String typeName, String defaultText, String description, SerializableParser<T> parser) {
        this.key = key;
        this.typeName = typeName;
        this.defaultText = defaultText;
        this.description = description;
        this.parser = parser;
    }

    static EngineOption<String> text(String key, String defaultValue, String description) {
        return new EngineOption<>(key, "text", defaultValue, description, value -> {
            if (value.isBlank()) {
                throw new IllegalArgumentException("must not be blank");
            }
            return value.trim();
        });
    }

    /** The public keys that verify approved rules and scorecards, {@code keyId=base64,...}; each must parse. */
    static EngineOption<String> signingKeys(String key, String description) {
        return new EngineOption<>(key, "keys", "", description, value -> {
            dev.kestrel.contract.ApprovalSignatures.Verifier.of(value);
            return value.trim();
        });
    }

    /** The path of a Kafka client security config, or empty; a file that does not read or holds more is refused. */
    static EngineOption<String> kafkaClientConfig(String key, String description) {
        return new EngineOption<>(key, "file", "", description, value -> {
            dev.kestrel.contract.KafkaClientSecurity.read(value.trim());
            return value.trim();
        });
    }

    /** An http or https address, or empty for none. */
    static EngineOption<String> optionalUrl(String key, String description) {
        return new EngineOption<>(key, "url", "", description, value -> {
            String trimmed = value.trim();
            if (!trimmed.isEmpty() && !trimmed.startsWith("http://") && !trimmed.startsWith("https://")) {
                throw new IllegalArgumentException("expected an http:// or https:// address, got '" + trimmed + "'");
            }
            return trimmed;
        });
    }

    /** The name of a topic of the contract's catalogue: option {@code topic.<short name>}, its default name by default. */
    static EngineOption<String> topic(dev.kestrel.contract.Topic topic, String description) {
        return text(topicKey(topic), topic.defaultName(), description);
    }

    static String topicKey(dev.kestrel.contract.Topic topic) {
        return "topic." + topic.shortName();
    }

    /** Text that may be empty: an option that is off unless set. */
    static EngineOption<String> optionalText(String key, String description) {
        return new EngineOption<>(key, "text", "", description, String::trim);
    }

    /** An instant in ISO-8601 ({@code 2026-06-30T00:00:00Z}) or {@code none}; kept as text, read with {@link #instantMillis}. */
    static EngineOption<String> instantOrNone(String key, String description) {
        return new EngineOption<>(key, "instant", NONE, description, value -> {
            String trimmed = value.trim();
            return trimmed.equals(NONE) ? NONE : java.time.Instant.parse(trimmed).toString();
        });
    }

    static final String NONE = "none";

    /** The epoch milliseconds of an {@link #instantOrNone} value, or {@code Long.MIN_VALUE} for none. */
    static long instantMillis(String value) {
        return value.equals(NONE) ? Long.MIN_VALUE : java.time.Instant.parse(value).toEpochMilli();
    }

    static EngineOption<Integer> positiveInteger(String key, int defaultValue, String description) {
        return new EngineOption<>(key, "integer", Integer.toString(defaultValue), description, value -> {
            int parsed = Integer.parseInt(value.trim());
            if (parsed <= 0) {
                throw new IllegalArgumentException("must be above 0");
            }
            return parsed;
        });
    }

    static EngineOption<Long> nonNegativeLong(String key, long defaultValue, String description) {
        return new EngineOption<>(key, "integer", Long.toString(defaultValue), description, value -> {
            long parsed = Long.parseLong(value.trim().replace("_", ""));
            if (parsed < 0) {
                throw new IllegalArgumentException("must not be negative");
            }
            return parsed;
        });
    }

    /** A share in basis points, 0 to 10000 (100%). */
    static EngineOption<Integer> basisPoints(String key, int defaultValue, String description) {
        return new EngineOption<>(key, "basis points", Integer.toString(defaultValue), description, value -> {
            int parsed = Integer.parseInt(value.trim());
            if (parsed < 0 || parsed > 10_000) {
                throw new IllegalArgumentException("must be 0 to 10000 basis points (0% to 100%)");
            }
            return parsed;
        });
    }

    static EngineOption<Boolean> flag(String key, boolean defaultValue, String description) {
        return new EngineOption<>(key, "true/false", Boolean.toString(defaultValue), description, value -> {
            String text = value.trim().toLowerCase(Locale.ROOT);
            if (!text.equals("true") && !text.equals("false")) {
                throw new IllegalArgumentException("write true or false");
            }
            return Boolean.parseBoolean(text);
        });
    }

    /** A set of regulatory regimes, e.g. {@code EU,CN}; kept as its normalised text, read with {@link dev.kestrel.jobs.risk.Regime#parse}. */
    static EngineOption<String> regimes(String key, String defaultValue, String description) {
        return new EngineOption<>(key, "regimes", defaultValue, description,
                value -> dev.kestrel.jobs.risk.Regime.text(dev.kestrel.jobs.risk.Regime.parse(value)));
    }

    /** A rating scale: {@code letters}, or grades best first grouped by tier; see {@link RatingScale#parse}. */
    static EngineOption<RatingScale> ratingScale(String key, String defaultValue, String description) {
        return new EngineOption<>(key, "rating scale", defaultValue, description, RatingScale::parse);
    }

    /**
     * A period in calendar months ({@code 3mo}) or days ({@code 90d}); kept as its text, read with {@link #periodMonths}
     * and {@link #periodDays}. Regulation that says "three months" means calendar months, not 90 days.
     */
    static EngineOption<String> period(String key, String defaultValue, String description) {
        return new EngineOption<>(key, "period", defaultValue, description, value -> {
            Matcher matcher = PERIOD.matcher(value.trim().toLowerCase(Locale.ROOT));
            if (!matcher.matches()) {
                throw new IllegalArgumentException("not a period: write months (3mo) or days (90d)");
            }
            return matcher.group(1) + matcher.group(2);
        });
    }

    private static final Pattern PERIOD = Pattern.compile("(\\d+)\\s*(mo|d)");

    /** The months of a {@link #period}, or 0 when it is in days. */
    static int periodMonths(String period) {
        return period.endsWith("mo") ? Integer.parseInt(period.substring(0, period.length() - 2)) : 0;
    }

    /** The days of a {@link #period}, or 0 when it is in months. */
    static int periodDays(String period) {
        return period.endsWith("mo") ? 0 : Integer.parseInt(period.substring(0, period.length() - 1));
    }

    /** A duration written as a number and a unit: ms, s, m, h or d (e.g. 10s, 5m, 400d). */
    static EngineOption<Duration> duration(String key, String defaultValue, String description) {
        return new EngineOption<>(key, "duration", defaultValue, description, EngineOption::parseDuration);
    }

    static Duration parseDuration(String value) {
        Matcher matcher = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
        if (!matcher.matches()) {
            throw new IllegalArgumentException("not a duration: write a number and a unit, ms, s, m, h or d (e.g. 10s)");
        }
        long amount = Long.parseLong(matcher.group(1));
        return switch (matcher.group(2)) {
            case "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> Duration.ofDays(amount);
        };
    }

    public String key() {
        return key;
    }

    public String typeName() {
        return typeName;
    }

    public String defaultText() {
        return defaultText;
    }

    public String description() {
        return description;
    }

    /** Reads a value, or throws an IllegalArgumentException that names the option and says what is wrong. */
    T parse(String value) {
        Objects.requireNonNull(value, key);
        try {
            return parser.apply(value);
        } catch (RuntimeException e) {
            String why = e instanceof NumberFormatException ? "not a whole number" : e.getMessage();
            throw new IllegalArgumentException("option " + key + ": cannot use '" + value + "': " + why, e);
        }
    }

    @Override
    public String toString() {
        return key;
    }

    @FunctionalInterface
    interface SerializableParser<T> extends Function<String, T>, Serializable {}
}
