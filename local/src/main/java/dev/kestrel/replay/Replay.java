package dev.kestrel.replay;

import dev.kestrel.contract.ApprovalSignatures;
import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.EventValidator;
import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.ScorecardCheck;
import dev.kestrel.contract.WireCodec;
import dev.kestrel.events.Alert;
import dev.kestrel.events.BorrowerProfile;
import dev.kestrel.events.BorrowerRiskSnapshot;
import dev.kestrel.events.BorrowerScore;
import dev.kestrel.events.DeadLetter;
import dev.kestrel.events.FxRate;
import dev.kestrel.events.GroupLimit;
import dev.kestrel.events.LimitDecision;
import dev.kestrel.events.LimitRecommendation;
import dev.kestrel.events.BorrowerReview;
import dev.kestrel.events.Rule;
import dev.kestrel.events.Scorecard;
import dev.kestrel.jobs.EarlyWarningJob;
import dev.kestrel.jobs.config.EngineConfig;
import dev.kestrel.jobs.config.EngineEnvironment;
import dev.kestrel.jobs.config.EngineOption;
import dev.kestrel.jobs.kafka.KafkaConnections;
import dev.kestrel.jobs.limits.LimitRecommender;
import dev.kestrel.jobs.rules.RuleFiles;
import dev.kestrel.kafka.EmbeddedKafka;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import org.apache.avro.specific.SpecificRecordBase;
import org.apache.flink.core.execution.JobClient;
import org.apache.flink.streaming.api.environment.StreamExecutionEnvironment;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * {@code ./kestrel replay}: runs the same job code over a history file (JSON lines, as in docs/events.md, optionally
 * gzipped), bounded, and writes the alerts it raises. The history goes through an in-process broker into the job's
 * own Kafka sources, so nothing about the replay differs from production but the clock. With outcomes it prints a
 * backtest report; with a candidate rule pack it also runs that pack and shows what each pack raises alone.
 */
public final class Replay {
    /** Long enough for a year of a large book (hours at tens of thousands of records a second), not for ever. */
    private static final Duration JOB_TIMEOUT = Duration.ofHours(12);

    /**
     * What a replay read and raised: the alerts and each borrower's score changes (in the order the engine wrote them).
 * {@code deadLetters} counts the records refused, by reason: by the job, and as
     * {@code UNREADABLE} the lines the replay could not read at all; {@code refused} lists each with its history line.
     * {@code snapshots} holds the borrower snapshots only when the settings asked for them. {@code loading} is how long
     * the history took to reach the broker, {@code running} the job from start to end.
     */
    public record Result(List<Alert> alerts, List<BorrowerScore> scores, List<LimitRecommendation> recommendations, int borrowers,
                         LocalDate from, LocalDate to, long records, Map<String, Long> deadLetters, List<Refusal> refused,
                         List<BorrowerRiskSnapshot> snapshots, Duration loading, Duration running) {
        /** The episodes opened, by alert id: the same episode has the same id in every run. */
        Map<String, Alert> episodes() {
            Map<String, Alert> episodes = new LinkedHashMap<>();
            alerts.stream().filter(a -> a.getLifecycle() == dev.kestrel.events.AlertLifecycle.OPENED)
                    .forEach(a -> episodes.put(a.getAlertId(), a));
            return episodes;
        }
    }

    /** A history line the replay or the job refused: its number in the file, the reason code and the reason. */
    public record Refusal(long line, String reasonCode, String reason) {}

    /**
     * How to replay: the rule pack and the scorecard the job starts with, the instant up to which borrowers age after the last event (null: that event's),
     * the regulatory regimes, as {@code regulation.regimes} reads them (null: the engine's default), how many tasks
     * run each operator (the history is split into as many partitions, by borrower), and whether to read back the
     * borrower snapshots (held in memory, sorted: a year of a large book's snapshots does not fit, so only on request).
     */
    public record Settings(String rulePack, String scorecard, Instant until, String regimes, int parallelism, boolean snapshots) {
        /**
         * One task: above one, a replay on a loaded machine has lost alerts (issue #21, tenth session's note), so a
         * parallel replay is not yet the default.
         */
        public static final int DEFAULT_PARALLELISM = 1;

        public Settings {
            if (parallelism < 1) {
                throw new IllegalArgumentException("parallelism must be at least 1; got " + parallelism);
            }
        }

        public Settings(String rulePack, Instant until, String regimes) {
            this(rulePack, RuleFiles.DEFAULT_SCORECARD, until, regimes, DEFAULT_PARALLELISM, false);
        }

        public static Settings pack(String rulePack) {
            return new Settings(rulePack, null, null);
        }

        public Settings withParallelism(int tasks) {
            return new Settings(rulePack, scorecard, until, regimes, tasks, snapshots);
        }

        public Settings withSnapshots() {
            return new Settings(rulePack, scorecard, until, regimes, parallelism, true);
        }

        /** The same replay with another scorecard to start with: a candidate's shadow run. */
        public Settings withScorecard(String location) {
            return new Settings(rulePack, location, until, regimes, parallelism, snapshots);
        }
    }

    private Replay() {}

    public static void main(String[] args) throws Exception {
        Map<String, String> options = options(args);
        Path history = Path.of(required(options, "history"));
        Path alertsOut = Path.of(options.getOrDefault("alerts-out", "alerts.jsonl"));
        String pack = options.getOrDefault("rules", "classpath:rules/default-rules.jsonl");
        Instant until = options.containsKey("until") ? untilDay(options.get("until")) : null;
        String regimes = options.get("regimes");
        int parallelism = options.containsKey("parallelism") ? Integer.parseInt(options.get("parallelism")) : Settings.DEFAULT_PARALLELISM;
        int horizon = Integer.parseInt(options.getOrDefault("horizon-days", "365"));
        try (EmbeddedKafka kafka = EmbeddedKafka.start()) {
            Path work = Files.createTempDirectory("kestrel-replay");
            Settings settings = new Settings(pack, RuleFiles.DEFAULT_SCORECARD, until, regimes, parallelism,
                    options.containsKey("snapshots-out"));
            Result result = run(kafka, history, settings, work);
            writeLines(result.alerts(), alertsOut);
            System.out.printf(Locale.ROOT, "Replayed %,d records of %,d borrowers (%s to %s) in %.0f s at parallelism %d "
                    + "(%,.0f records/s): %,d alert changes, %,d episodes opened, %,d limit recommendations; written to %s; "
                    + "refused records by reason: %s%n",
                    result.records(), result.borrowers(), result.from(), result.to(), result.running().toMillis() / 1e3,
                    parallelism, result.records() / Math.max(0.001, result.running().toMillis() / 1e3), result.alerts().size(),
                    result.episodes().size(), result.recommendations().size(), alertsOut, result.deadLetters().isEmpty() ? "none" : result.deadLetters());
            result.refused().stream().limit(20).forEach(r -> System.out.printf(Locale.ROOT, "  line %d: %s %s%n",
                    r.line(), r.reasonCode(), r.reason()));
            if (result.refused().size() > 20) {
                System.out.printf(Locale.ROOT, "  ... and %,d more%s%n", result.refused().size() - 20,
                        options.containsKey("dead-letters-out") ? "" : " (--dead-letters-out FILE lists them all)");
            }
            if (options.containsKey("dead-letters-out")) {
                writeRefusals(result.refused(), Path.of(options.get("dead-letters-out")));
            }
            if (options.containsKey("snapshots-out")) {
                writeLines(result.snapshots(), Path.of(options.get("snapshots-out")));
            }
            if (options.containsKey("outcomes")) {
                Map<String, LocalDate> defaults = Outcomes.read(Path.of(options.get("outcomes")));
                System.out.println();
                System.out.print(BacktestReport.of(result.alerts(), defaults, result.borrowers(), result.from(), result.to(),
                        horizon).text());
                System.out.print(WatchListBacktest.of(result.alerts(), result.scores(), defaults, result.borrowers(), result.from(),
                        result.to(), horizon).text());
            }
            if (options.containsKey("candidate")) {
                // A candidate is a rule pack, or a scorecard (./kestrel calibrate writes one): the file says which.
                String candidateFile = Path.of(options.get("candidate")).toAbsolutePath().toString();
                boolean scorecard = holdsAScorecard(Path.of(candidateFile));
                Settings candidateSettings = scorecard ? new Settings(pack, candidateFile, until, regimes, parallelism, false)
                        : new Settings(candidateFile, RuleFiles.DEFAULT_SCORECARD, until, regimes, parallelism, false);
                Result candidate = run(kafka, history, candidateSettings, work);
                System.out.println();
                System.out.print(shadowReport(result, candidate));
                if (scorecard && options.containsKey("outcomes")) {
                    System.out.println();
                    System.out.print("The candidate scorecard's watch list:");
                    System.out.print(WatchListBacktest.of(candidate.alerts(), candidate.scores(), Outcomes.read(Path.of(options.get("outcomes"))),
                            candidate.borrowers(), candidate.from(), candidate.to(), horizon).text());
                }
            }
        }
    }

    /** Whether a candidate file's first line is a Scorecard (else it is a rule pack). */
    private static boolean holdsAScorecard(Path file) throws IOException {
        try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            String line = reader.readLine();
            Decoded decoded = line == null ? null : JsonLines.read(line);
            return decoded != null && !decoded.isRejected() && decoded.record() instanceof Scorecard;
        }
    }

    /** {@code --until DATE}: borrowers age through that day, its start-of-day evaluation included. */
    static Instant untilDay(String date) {
        return LocalDate.parse(date).atStartOfDay(ZoneOffset.UTC).toInstant();
    }

    /** Replays with the pack and no {@code --until}. */
    public static Result run(EmbeddedKafka kafka, Path history, String rulePack, Path work) throws Exception {
        return run(kafka, history, Settings.pack(rulePack), work);
    }

    /**
     * Loads the history into a fresh topic on the broker and runs the job over it, bounded. All job input goes to one
     * topic of {@code parallelism} partitions, split by borrower (a group limit by its group), each in the file's
     * order, so the job sees every borrower's events in event-time order; the file's rule lines become published
     * versions, each in force from its {@code publishedAt}; when the input ends, every borrower ages to the last event
     * time of the file (or {@code until}). Two replays of one file raise the same alerts (at parallelism 1; above it, see
     * {@link Settings#DEFAULT_PARALLELISM}).
     */
    public static Result run(EmbeddedKafka kafka, Path history, Settings settings, Path work) throws Exception {
        String suffix = "-" + UUID.randomUUID().toString().substring(0, 8);
        String historyTopic = "kestrel.replay-history" + suffix;
        kafka.createTopic(historyTopic, settings.parallelism(), Map.of());
        Path publishedRules = work.resolve("published-rules" + suffix + ".jsonl");
        Path fxRates = work.resolve("fx-rates" + suffix + ".jsonl");
        long loadStarted = System.nanoTime();
        // The history is the operator's own input, trusted as rules.published is: its reviews and limit decisions are signed
        // with a key drawn for this run, which the job is given, whatever key (if any) the desk signed them with.
        ApprovalSignatures.Keys runKeys = ApprovalSignatures.Keys.generate("replay");
        Loaded loaded = load(kafka, historyTopic, settings.parallelism(), publishedRules, fxRates, history,
                new ApprovalSignatures.Signer(runKeys.keyId(), runKeys.privateKey()));
        Duration loading = Duration.ofNanos(System.nanoTime() - loadStarted);
        Instant until = settings.until() != null ? settings.until() : loaded.last();
        EngineConfig config = EngineConfig.defaults()
                .with(EngineConfig.BOOTSTRAP_SERVERS, kafka.bootstrapServers())
                .with(EngineConfig.BOUNDED, "true")
                .with(EngineConfig.RULE_PACK, settings.rulePack())
                .with(EngineConfig.SCORECARD, settings.scorecard())
                .with(EngineConfig.PUBLISHED_RULES, loaded.ruleLines() > 0 ? publishedRules.toString() : "")
                .with(EngineConfig.SIGNING_KEYS, runKeys.engineKeys())
                .with(EngineConfig.FX_RATES_FILE, loaded.fxRateLines() > 0 ? fxRates.toString() : "")
                .with(EngineConfig.AGE_UNTIL, until.toString())
                .with(EngineConfig.REGIMES, settings.regimes() == null ? EngineConfig.REGIMES.defaultText() : settings.regimes())
                .with(EngineConfig.CHECKPOINT_INTERVAL, "2s")
                .with(EngineConfig.CHECKPOINT_STORAGE, work.resolve("checkpoints" + suffix).toUri().toString())
                .with(EngineConfig.PARALLELISM, Integer.toString(settings.parallelism()))
                .with(EngineConfig.CONSUMER_GROUP, "replay" + suffix)
                // Replays may run side by side in one JVM (the scenario suite does), which refuses two sinks with one prefix.
                .with(EngineConfig.TRANSACTIONAL_ID_PREFIX, "kestrel-replay" + suffix);
        List<String> topics = new ArrayList<>();
        for (EngineOption<String> topic : EngineConfig.TOPICS) {
            config = config.with(topic, config.get(topic) + suffix);
            topics.add(config.get(topic));
        }
        kafka.createTopics(topics, 2, Map.of());
        // The desk's decisions, on their own topic as live, read back by the limit recommender in event-time order.
        String decisionsTopic = config.get(EngineConfig.LIMIT_DECISIONS_TOPIC);
        sendDecisions(kafka, decisionsTopic, loaded.decisions());
        EarlyWarningJob.Sources kafkaSources = EarlyWarningJob.kafkaSources(config);
        EarlyWarningJob.Sources sources = new EarlyWarningJob.Sources(
                KafkaConnections.source(config, Map.of(historyTopic, JOB_INPUT), KafkaConnections.Start.COMMITTED),
                kafkaSources.repayments(), kafkaSources.creditEvents(), kafkaSources.masterData(), kafkaSources.rules());
        StreamExecutionEnvironment env = StreamExecutionEnvironment.getExecutionEnvironment(
                EngineEnvironment.flinkConfiguration(config));
        new EarlyWarningJob(config, sources, EarlyWarningJob.kafkaSinks(config)).build(env);
        long jobStarted = System.nanoTime();
        JobClient job = env.executeAsync(EarlyWarningJob.NAME + "-replay");
        job.getJobExecutionResult().get(JOB_TIMEOUT.toMinutes(), TimeUnit.MINUTES);
        Duration running = Duration.ofNanos(System.nanoTime() - jobStarted);
        List<Alert> alerts = new ArrayList<>();
        readAll(kafka, config.get(EngineConfig.ALERTS_TOPIC), record -> alerts.add((Alert) record));
        alerts.sort(Comparator.comparing(Alert::getEventTime).thenComparing(Alert::getAlertId)
                .thenComparing(a -> a.getLifecycle().ordinal()));
        List<Refusal> refused = new ArrayList<>(loaded.unreadable());
        readAll(kafka, config.get(EngineConfig.DEAD_LETTERS_TOPIC), record -> {
            DeadLetter letter = (DeadLetter) record;
            long line = letter.getSourceTopic().equals(historyTopic)
                    ? loaded.lineOfOffset().get(letter.getPartition()).get((int) letter.getOffset())
                    : letter.getSourceTopic().equals(decisionsTopic) ? loaded.decisionLines().get((int) letter.getOffset()) : 0;
            refused.add(new Refusal(line, letter.getReasonCode().name(), letter.getReason()));
        });
        refused.sort(Comparator.comparingLong(Refusal::line).thenComparing(Refusal::reasonCode));
        Map<String, Long> deadLetters = new TreeMap<>();
        refused.forEach(r -> deadLetters.merge(r.reasonCode(), 1L, Long::sum));
        List<BorrowerScore> scores = new ArrayList<>();
        readAll(kafka, config.get(EngineConfig.SCORES_TOPIC), record -> scores.add((BorrowerScore) record));
        scores.sort(Comparator.comparing(BorrowerScore::getBorrowerId).thenComparing(BorrowerScore::getEventTime)); // stable
        List<LimitRecommendation> recommendations = new ArrayList<>();
        readAll(kafka, config.get(EngineConfig.RECOMMENDATIONS_TOPIC), record -> recommendations.add((LimitRecommendation) record));
        // Stable: each subject's recommendations stay in the order the engine wrote them (one partition per subject).
        recommendations.sort(Comparator.comparing(LimitRecommender::subjectOf));
        List<BorrowerRiskSnapshot> snapshots = new ArrayList<>();
        if (settings.snapshots()) {
            readAll(kafka, config.get(EngineConfig.SNAPSHOTS_TOPIC), record -> snapshots.add((BorrowerRiskSnapshot) record));
            snapshots.sort(Comparator.comparing(BorrowerRiskSnapshot::getBorrowerId).thenComparing(BorrowerRiskSnapshot::getAsOf));
        }
        return new Result(alerts, scores, recommendations, loaded.borrowers(), loaded.from(), loaded.to(), loaded.records(),
                deadLetters, List.copyOf(refused), snapshots, loading, running);
    }

    /** The decisions, in the file's order, on one partition: a dead letter's offset is then its index among them. */
    private static void sendDecisions(EmbeddedKafka kafka, String topic, List<LimitDecision> decisions) {
        if (decisions.isEmpty()) {
            return;
        }
        WireCodec codec = new WireCodec();
        try (KafkaProducer<byte[], byte[]> producer = kafka.newProducer()) {
            for (LimitDecision decision : decisions) {
                producer.send(new ProducerRecord<>(topic, 0, decision.getDecisionId().getBytes(StandardCharsets.UTF_8),
                        codec.encode(decision)));
            }
            producer.flush();
        }
    }

    /** The record types the job reads about borrowers and groups; rules travel on their own topic. */
    private static final Set<String> JOB_INPUT = Set.of("TransactionEvent", "RepaymentEvent", "CreditEvent",
            "BorrowerProfile", "FinancialStatement", "CollateralValuation", "GroupLimit", "BorrowerReview",
            "Project", "ProjectMilestone", "CashFlowForecast", "FacilityCovenants");

    /**
     * What the loader sent: counts and dates, the history line of each offset of each partition of the history topic
     * (to name the line of a dead letter), and the lines it could not read at all.
     */
    private record Loaded(long records, int borrowers, LocalDate from, LocalDate to, Instant last, long ruleLines,
                          long fxRateLines, List<List<Long>> lineOfOffset, List<Refusal> unreadable, List<LimitDecision> decisions,
                          List<Long> decisionLines) {
    }

    /**
     * Sends each line the job reads to the history topic, writes rule lines to the published-rules file and FX rate
     * lines to the rates file; a line that does not read is refused with its number and reason, and the rest go on.
     * Rates are loaded before the job starts, like rules: each converts from its own day on, whatever line it is on,
     * which is what a live job does with a rate that comes by its day's end (see docs/early-warning-job.md, FX).
     */
    private static Loaded load(EmbeddedKafka kafka, String historyTopic, int partitions, Path publishedRules, Path fxRates,
            Path history, ApprovalSignatures.Signer signer) throws IOException {
        WireCodec codec = new WireCodec();
        Set<String> borrowers = new HashSet<>();
        List<List<Long>> lineOfOffset = new ArrayList<>();
        for (int partition = 0; partition < partitions; partition++) {
            lineOfOffset.add(new ArrayList<>());
        }
        List<Refusal> unreadable = new ArrayList<>();
        List<LimitDecision> decisions = new ArrayList<>();
        List<Long> decisionLines = new ArrayList<>();
        long records = 0;
        long ruleLines = 0;
        long fxRateLines = 0;
        long first = Long.MAX_VALUE;
        long last = Long.MIN_VALUE;
        try (BufferedReader reader = open(history); KafkaProducer<byte[], byte[]> producer = kafka.newProducer();
             BufferedWriter rules = Files.newBufferedWriter(publishedRules, StandardCharsets.UTF_8);
             BufferedWriter rates = Files.newBufferedWriter(fxRates, StandardCharsets.UTF_8)) {
            String line;
            long number = 0;
            while ((line = reader.readLine()) != null) {
                number++;
                if (line.isBlank()) {
                    continue;
                }
                Decoded decoded = JsonLines.read(line);
                if (decoded.isRejected()) {
                    unreadable.add(new Refusal(number, "UNREADABLE", decoded.reason()));
                    continue;
                }
                SpecificRecordBase record = decoded.record();
                if (record instanceof Rule rule) {
                    rules.write(JsonLines.write(rule));
                    rules.newLine();
                    ruleLines++;
                    records++;
                    continue;
                }
                if (record instanceof Scorecard card) { // published beside the rules, and in force from its publishedAt too
                    try {
                        ScorecardCheck.check(card);
                    } catch (InvalidScorecardException e) {
                        unreadable.add(new Refusal(number, "MALFORMED_SCORECARD", e.getMessage()));
                        continue;
                    }
                    rules.write(JsonLines.write(card));
                    rules.newLine();
                    ruleLines++;
                    records++;
                    continue;
                }
                if (record instanceof FxRate rate) {
                    String problem = EventValidator.problem(rate, null);
                    if (problem != null) {
                        unreadable.add(new Refusal(number, "INVALID", problem));
                        continue;
                    }
                    rates.write(JsonLines.write(rate));
                    rates.newLine();
                    fxRateLines++;
                    records++;
                    continue;
                }
                if (record instanceof LimitDecision decision) { // the job checks it, as it checks the API's
                    decisions.add(signer.sign(decision));
                    decisionLines.add(number);
                    records++;
                    continue;
                }
                if (!JOB_INPUT.contains(record.getSchema().getName())) {
                    continue; // the engine's own outputs are not job input
                }
                if (record instanceof BorrowerReview review) {
                    signer.sign(review);
                }
                String key = String.valueOf(record instanceof GroupLimit limit ? limit.getGroupId() : record.get("borrowerId"));
                if (record instanceof BorrowerProfile) {
                    borrowers.add(key);
                }
                long at = ((Instant) record.get("eventTime")).toEpochMilli();
                first = Math.min(first, at);
                last = Math.max(last, at);
                // A borrower's records on one partition, one producer, no retries reordering: the record's offset is its
                // index in its partition's list. String.hashCode is the same in every JVM, so is the split.
                int partition = Math.floorMod(key.hashCode(), partitions);
                producer.send(new ProducerRecord<>(historyTopic, partition, key.getBytes(StandardCharsets.UTF_8), codec.encode(record)));
                lineOfOffset.get(partition).add(number);
                records++;
            }
            producer.flush();
        }
        if (lineOfOffset.stream().allMatch(List::isEmpty)) {
            throw new IllegalArgumentException(history + " holds no record the job reads"
                    + (unreadable.isEmpty() ? "" : "; line " + unreadable.get(0).line() + ": " + unreadable.get(0).reason()));
        }
        return new Loaded(records, borrowers.size(), LocalDate.ofInstant(Instant.ofEpochMilli(first), ZoneOffset.UTC),
                LocalDate.ofInstant(Instant.ofEpochMilli(last), ZoneOffset.UTC), Instant.ofEpochMilli(last), ruleLines, fxRateLines,
                lineOfOffset, unreadable, decisions, decisionLines);
    }

    private static BufferedReader open(Path history) throws IOException {
        InputStream in = Files.newInputStream(history);
        if (history.getFileName().toString().endsWith(".gz")) {
            in = new GZIPInputStream(in, 1 << 16);
        }
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
    }

    /** Every committed record of the topic, up to its end (read_committed, as the desk reads it). */
    static void readAll(EmbeddedKafka kafka, String topic, java.util.function.Consumer<SpecificRecordBase> each) {
        Properties properties = new Properties();
        properties.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrapServers());
        properties.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        properties.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        WireCodec codec = new WireCodec();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(properties, new ByteArrayDeserializer(),
                new ByteArrayDeserializer())) {
            List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                    .map(p -> new TopicPartition(topic, p.partition())).toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            while (partitions.stream().anyMatch(p -> consumer.position(p) < end.get(p))) {
                for (ConsumerRecord<byte[], byte[]> record : consumer.poll(Duration.ofMillis(200))) {
                    each.accept(codec.decode(record.value()).record());
                }
            }
        }
    }

    static void writeLines(List<? extends SpecificRecordBase> records, Path file) {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (SpecificRecordBase record : records) {
                writer.write(JsonLines.write(record));
                writer.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The refused lines as CSV: line, reason code, reason. */
    static void writeRefusals(List<Refusal> refused, Path file) {
        try (BufferedWriter writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            writer.write("line,reasonCode,reason");
            writer.newLine();
            for (Refusal refusal : refused) {
                writer.write(refusal.line() + "," + refusal.reasonCode() + ",\"" + refusal.reason().replace("\"", "\"\"") + "\"");
                writer.newLine();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The episodes each pack raises that the other does not, by rule, and then one line each. */
    static String shadowReport(Result current, Result candidate) {
        Map<String, Alert> ours = current.episodes();
        Map<String, Alert> theirs = candidate.episodes();
        StringBuilder out = new StringBuilder("Shadow run: current pack against the candidate\n");
        section(out, "Only the current pack raises", ours, theirs);
        section(out, "Only the candidate raises", theirs, ours);
        return out.toString();
    }

    private static void section(StringBuilder out, String title, Map<String, Alert> these, Map<String, Alert> others) {
        List<Alert> only = these.values().stream().filter(a -> !others.containsKey(a.getAlertId())).toList();
        out.append(String.format(Locale.ROOT, "%n%s: %,d episodes%n", title, only.size()));
        for (Alert alert : only) {
            out.append(String.format(Locale.ROOT, "  %s  %-10s %-24s %-8s %s%n",
                    LocalDate.ofInstant(alert.getEpisodeStartedAt(), ZoneOffset.UTC), alert.getBorrowerId(),
                    alert.getRuleId(), alert.getSeverity(), alert.getExplanation().getSummary()));
        }
    }

    private static Map<String, String> options(String[] args) {
        return CommandOptions.parse(args, Set.of("history", "alerts-out", "outcomes", "candidate", "rules", "horizon-days", "until",
                "regimes", "dead-letters-out", "snapshots-out", "parallelism"), Replay::usage);
    }

    private static String required(Map<String, String> options, String name) {
        return CommandOptions.required(options, name, Replay::usage);
    }

    private static void usage(String problem) {
        System.err.println("replay: " + problem);
        System.err.println("""
                Usage: ./kestrel replay --history FILE [--outcomes FILE] [--candidate FILE] [--alerts-out FILE] [--until DATE] [--regimes EU,CN,IN]
                  --history FILE       JSON lines as in docs/events.md (.gz is read too); rule lines take effect at their publishedAt,
                                       FxRate lines convert from their own day
                  --until DATE         age every borrower through this day (yyyy-mm-dd) after the input; default: to the last event
                  --regimes LIST       the regulatory regimes to classify under (EU, CN, IN; comma-separated), default CN
                  --outcomes FILE      borrowerId,defaultDate per defaulted borrower: prints the backtest report
                  --candidate FILE     a rule pack (JSON lines of Rule), or a scorecard (as ./kestrel calibrate writes), to run
                                       as well: prints what each raises alone
                  --rules PACK         the pack to replay with, default the shipped one
                  --alerts-out FILE    where to write the alerts, default alerts.jsonl
                  --horizon-days N     how far ahead an alert may foretell a default, default 365
                  --dead-letters-out FILE  every refused line as CSV: line number, reason code, reason
                  --snapshots-out FILE     the borrower risk snapshots, as JSON lines
                  --parallelism N      tasks per operator, the history split by borrower; default 1 (above 1 not yet trusted)""");
        System.exit(64);
    }
}
