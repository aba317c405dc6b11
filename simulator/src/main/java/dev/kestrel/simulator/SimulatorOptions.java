package dev.kestrel.simulator;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.KafkaClientSecurity;
import dev.kestrel.contract.Topic;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What to simulate and where to send it; every option has a default, so {@code --bootstrap-servers host:9092} alone
 * feeds a cluster. Topic names default to the job's ({@code docs/configuration.md}).
 */
public record SimulatorOptions(
        String bootstrapServers,
        Path out,
        Path truth,
        Path outcomes,
        int borrowers,
        int groups,
        int days,
        LocalDate start,
        double deterioratingShare,
        long seed,
        int rate,
        long skip,
        Map<String, String> topics,
        Map<String, String> kafkaSecurity,
        ApprovalSignatures.Signer reviewSigner) {

    static final String USAGE = """
            Usage: simulator [--bootstrap-servers HOST:PORT | --out history.jsonl] [options]
              --bootstrap-servers  send to this Kafka (one topic per record type, key borrowerId)
              --kafka-config FILE  Kafka client security settings: security.protocol, ssl.*, sasl.*
                                   (docs/operations.md, "Kafka security")
              --out FILE           write the JSON-lines history instead (docs/events.md), for replay
              --truth FILE         write the ground truth: one JSON line per borrower that is not healthy
              --outcomes FILE      write borrowerId,defaultDate for each borrower that defaults (for the backtest)
              --borrowers N        default 2000
              --groups N           corporate groups, default borrowers/20
              --days N             simulated days, default 365
              --start DATE         first simulated day, default so that the period ends today
              --deteriorating F    share of borrowers that get into trouble, default 0.05
              --seed N             default 20261124; the same seed gives the same book and events
              --rate N             events per second at most, default 0 (as fast as possible)
              --skip N             generate but do not send the first N records: continue an earlier run
              --topic.NAME TOPIC   e.g. --topic.transactions kestrel.transactions
              --review-signing-key ID=KEY
                                   the desk's approval key (PKCS#8 Ed25519, base64): to Kafka, officers' periodic
                                   reviews go out signed with it, as the alert API signs them; without it none are
                                   sent (the engine would refuse them). A history file (--out) always holds them
            """;

    /**
     * Every topic upstream systems write, by short name, with its name from the contract's catalogue; and the reviews
     * topic, where the simulated officers' reviews go when the desk's key is given.
     */
    static Map<String, String> defaultTopics() {
        Map<String, String> topics = new LinkedHashMap<>();
        for (Topic topic : Topic.values()) {
            if (topic.writer() == Topic.Writer.UPSTREAM || topic == Topic.REVIEWS) {
                topics.put(topic.shortName(), topic.defaultName());
            }
        }
        return topics;
    }

    /** Whether the simulated officers' reviews are sent: always to a history file, to Kafka only signed. */
    boolean sendsReviews() {
        return out != null || reviewSigner != null;
    }

    public static SimulatorOptions parse(String... args) {
        Map<String, String> values = new LinkedHashMap<>();
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!arg.startsWith("--")) {
                throw new IllegalArgumentException("unexpected argument '" + arg + "'");
            }
            int equals = arg.indexOf('=');
            if (equals > 0) {
                values.put(arg.substring(2, equals), arg.substring(equals + 1));
            } else if (i + 1 < args.length) {
                values.put(arg.substring(2), args[++i]);
            } else {
                throw new IllegalArgumentException(arg + " needs a value");
            }
        }
        Map<String, String> topics = defaultTopics();
        values.entrySet().removeIf(entry -> {
            if (!entry.getKey().startsWith("topic.")) {
                return false;
            }
            String type = entry.getKey().substring("topic.".length());
            if (!topics.containsKey(type)) {
                throw new IllegalArgumentException("unknown topic option --" + entry.getKey() + "; known: " + topics.keySet());
            }
            topics.put(type, entry.getValue());
            return true;
        });
        int borrowers = positive(values.remove("borrowers"), 2000, "borrowers");
        int days = positive(values.remove("days"), 365, "days");
        String start = values.remove("start");
        String share = values.remove("deteriorating");
        String bootstrap = values.remove("bootstrap-servers");
        String out = values.remove("out");
        String truth = values.remove("truth");
        String outcomes = values.remove("outcomes");
        String groups = values.remove("groups");
        String seed = values.remove("seed");
        String rate = values.remove("rate");
        String skip = values.remove("skip");
        String kafkaConfig = values.remove("kafka-config");
        String reviewKey = values.remove("review-signing-key");
        if (!values.isEmpty()) {
            throw new IllegalArgumentException("unknown options " + values.keySet());
        }
        if ((bootstrap == null) == (out == null)) {
            throw new IllegalArgumentException("give exactly one of --bootstrap-servers and --out");
        }
        double deteriorating = share == null ? 0.05 : Double.parseDouble(share);
        if (deteriorating < 0 || deteriorating > 1) {
            throw new IllegalArgumentException("--deteriorating is a share between 0 and 1, got " + share);
        }
        return new SimulatorOptions(bootstrap, out == null ? null : Path.of(out), truth == null ? null : Path.of(truth),
                outcomes == null ? null : Path.of(outcomes), borrowers,
                groups == null ? Math.max(1, borrowers / 20) : positive(groups, 0, "groups"), days,
                start == null ? LocalDate.now(ZoneOffset.UTC).minusDays(days) : LocalDate.parse(start), deteriorating,
                seed == null ? 20261124L : Long.parseLong(seed), rate == null || rate.equals("0") ? 0 : positive(rate, 0, "rate"),
                skip == null ? 0 : Long.parseLong(skip), Map.copyOf(topics), KafkaClientSecurity.read(kafkaConfig),
                reviewKey == null ? null : signer(reviewKey));
    }

    private static ApprovalSignatures.Signer signer(String idAndKey) {
        int equals = idAndKey.indexOf('=');
        if (equals < 1) {
            throw new IllegalArgumentException("--review-signing-key is ID=KEY, the key id and the base64 private key");
        }
        return new ApprovalSignatures.Signer(idAndKey.substring(0, equals), idAndKey.substring(equals + 1));
    }

    private static int positive(String value, int fallback, String name) {
        if (value == null) {
            return fallback;
        }
        int parsed = Integer.parseInt(value);
        if (parsed < 1) {
            throw new IllegalArgumentException("--" + name + " must be 1 or more, got " + value);
        }
        return parsed;
    }

}
