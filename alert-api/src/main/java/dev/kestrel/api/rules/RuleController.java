package dev.kestrel.api.rules;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.publication.ApprovalSigner;
import dev.kestrel.api.publication.Checker;
import dev.kestrel.api.publication.PublicationOutbox;
import dev.kestrel.api.publication.VersionTable;
import dev.kestrel.api.publication.VersionsInForce;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.RuleCheck;
import dev.kestrel.events.Rule;
import dev.kestrel.events.VersionedKind;
import io.micronaut.context.annotation.Value;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.http.annotation.QueryValue;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Rules admin: list rules and their versions, propose a new version, publish it to the rules topic. Proposing and
 * publishing are separate steps by separate people (maker and checker), and both are audited.
 */
@Controller("/api/rules")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Rules")
class RuleController {
    private final Map<String, Rule> shipped;
    private final Database database;
    private final RuleChanges changes;
    private final VersionsInForce versionsInForce;
    private final ApprovalSigner signer;
    private final Optional<PublicationOutbox> outbox;
    private final AuditLog audit;
    private final JsonColumns json;
    private final Clock clock;

    RuleController(@Value("${kestrel.rules.shipped-pack:rules/default-rules.jsonl}") String shippedPack, Database database,
                   RuleChanges changes, VersionsInForce versionsInForce, ApprovalSigner signer,
                   Optional<PublicationOutbox> outbox, AuditLog audit, JsonColumns json, Clock clock) {
        this.versionsInForce = versionsInForce;
        this.shipped = readPack(shippedPack);
        this.database = database;
        this.changes = changes;
        this.signer = signer;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** The pack the job ships with, from the classpath (the same file the job reads). */
    private static Map<String, Rule> readPack(String resource) {
        Map<String, Rule> rules = new LinkedHashMap<>();
        try (InputStream in = RuleController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("rule pack " + resource + " is not on the classpath");
            }
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                if (line.isBlank()) {
                    continue;
                }
                Decoded decoded = JsonLines.read(line);
                if (decoded.isRejected() || !(decoded.record() instanceof Rule rule)) {
                    throw new IllegalStateException("rule pack " + resource + " holds a line that is not a Rule: " + decoded);
                }
                rules.merge(rule.getRuleId(), rule, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return rules;
    }

    private List<RuleChanges.Change> changes(String ruleId) {
        return database.read(connection -> changes.all(connection, ruleId));
    }

    @Operation(summary = "Every rule, with the version the job reports it runs and all known versions")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<RuleViews.RuleSummary> list() {
        record Known(List<RuleChanges.Change> changes, Map<String, VersionsInForce.Reported> reported) {}
        Known known = database.read(connection -> new Known(changes.all(connection, null),
                versionsInForce.all(connection, VersionedKind.RULE)));
        Map<String, List<RuleChanges.Change>> byRule = new LinkedHashMap<>();
        for (RuleChanges.Change change : known.changes()) {
            byRule.computeIfAbsent(change.ruleId(), id -> new ArrayList<>()).add(change);
        }
        List<String> ids = new ArrayList<>(shipped.keySet());
        byRule.keySet().stream().filter(id -> !shipped.containsKey(id)).forEach(ids::add);
        ids.sort(Comparator.naturalOrder());
        return ids.stream().map(id -> summary(id, byRule.getOrDefault(id, List.of()),
                known.reported().getOrDefault(id, VersionsInForce.Reported.NOTHING))).toList();
    }

    @Operation(summary = "One rule with every version in full")
    @Get("/{ruleId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    RuleViews.RuleSummary rule(@PathVariable String ruleId) {
        record Known(List<RuleChanges.Change> changes, VersionsInForce.Reported reported) {}
        Known known = database.read(connection -> new Known(changes.all(connection, ruleId),
                versionsInForce.of(connection, VersionedKind.RULE, ruleId)));
        if (!shipped.containsKey(ruleId) && known.changes().isEmpty()) {
            throw ApiException.notFound("rule " + ruleId);
        }
        return summary(ruleId, known.changes(), known.reported());
    }

    /**
     * The versions the API knows (shipped, proposed, approved, published), each with what the job reported of it, and
     * the version the job runs: the one its latest report of the rule names. Until it reports, none is shown as running.
     */
    private RuleViews.RuleSummary summary(String ruleId, List<RuleChanges.Change> changes, VersionsInForce.Reported reported) {
        List<RuleViews.RuleVersion> versions = new ArrayList<>();
        TreeMap<Integer, Rule> content = new TreeMap<>();
        Rule pack = shipped.get(ruleId);
        if (pack != null) {
            versions.add(new RuleViews.RuleVersion(pack.getVersion(), "SHIPPED", null, null, null, null, null, null,
                    json.tree(JsonLines.write(pack)), reported.of(pack.getVersion())));
            content.put(pack.getVersion(), pack);
        }
        for (RuleChanges.Change change : changes) {
            VersionTable.Row row = change.row();
            versions.add(new RuleViews.RuleVersion(row.version(), row.status(), row.proposedBy(), row.proposedAt(),
                    row.publishedBy(), row.publishedAt(), row.signedWith(), row.contentSha256(), json.tree(row.json()),
                    reported.of(row.version())));
            content.put(change.version(), change.rule());
        }
        versions.sort(Comparator.comparingInt(RuleViews.RuleVersion::version));
        int activeVersion = reported.activeVersion();
        Rule active = content.get(activeVersion);
        // What the rule is about, from the version the job runs; before it reports one, from the newest the API knows.
        Rule shown = active != null ? active : content.lastEntry().getValue();
        return new RuleViews.RuleSummary(ruleId, shown.getTitle(), shown.getSeverity().name(), shown.getCategory().name(),
                active != null && active.getEnabled(), activeVersion, reported.activeSource(), reported.activeFrom(), versions);
    }

    @Operation(summary = "Propose a new version of a rule (or a new rule), in the JSON-lines form of docs/events.md; it "
            + "is checked as the job would check it, and must be above every version known")
    @Post(value = "/proposals", consumes = MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured({Roles.SUPERVISOR, Roles.ADMIN})
    HttpResponse<RuleViews.RuleSummary> propose(@Body String ruleJson, Authentication user) {
        Rule rule = parse(ruleJson);
        Instant now = clock.instant();
        rule.setPublishedBy(null);
        rule.setPublishedAt(now);
        int highest = Math.max(shipped.containsKey(rule.getRuleId()) ? shipped.get(rule.getRuleId()).getVersion() : 0,
                changes(rule.getRuleId()).stream().mapToInt(RuleChanges.Change::version).max().orElse(0));
        if (rule.getVersion() <= highest) {
            throw new ApiException(HttpStatus.CONFLICT, rule.getRuleId() + " is at version " + highest
                    + "; propose version " + (highest + 1) + " or later");
        }
        database.inTransaction(connection -> {
            if (!changes.propose(connection, rule, user.getName(), now)) {
                throw new ApiException(HttpStatus.CONFLICT, rule.getRuleId() + " v" + rule.getVersion() + " exists");
            }
            audit.record(connection, now, user.getName(), "RULE_PROPOSE", "rule", rule.getRuleId() + "@" + rule.getVersion(),
                    null, json.tree(JsonLines.write(rule)));
            return null;
        });
        return HttpResponse.created(rule(rule.getRuleId()));
    }

    @Operation(summary = "Approve a proposed version: it is signed, audited and then sent to the rules topic, and the "
            + "running job applies it without a restart. The publisher must not be the proposer, and names the version they "
            + "reviewed by its contentSha256. 200 when the topic took it, 202 when it waits in the outbox for the broker.")
    @Post("/{ruleId}/versions/{version}/publish")
    @Secured(Roles.ADMIN)
    HttpResponse<RuleViews.RuleSummary> publish(@PathVariable String ruleId, @PathVariable int version,
                                                @Nullable @QueryValue String reviewed, Authentication user) {
        RuleChanges.Change proposal = changes(ruleId).stream().filter(c -> c.version() == version).findFirst()
                .orElseThrow(() -> ApiException.notFound("rule " + ruleId + " v" + version));
        Checker.mayApprove(proposal.row(), user.getName(), reviewed);
        RuleViews.RuleSummary before = rule(ruleId);
        Instant now = clock.instant();
        Rule rule = proposal.rule();
        rule.setPublishedBy(user.getName());
        rule.setPublishedAt(now);
        Rule signed = signer.sign(rule);
        // Audit first: the approval, its signature and the audit row commit together; the outbox sends it after.
        database.inTransaction(connection -> {
            if (!changes.approve(connection, signed)) {
                throw new ApiException(HttpStatus.CONFLICT, ruleId + " v" + version + " was published meanwhile");
            }
            audit.record(connection, now, user.getName(), "RULE_PUBLISH", "rule", ruleId + "@" + version,
                    Map.of("activeVersion", before.activeVersion(), "activeSource", before.activeSource()),
                    json.tree(JsonLines.write(Rule.newBuilder(signed).setSignature(null).build())));
            return null;
        });
        outbox.ifPresent(PublicationOutbox::sendApproved);
        RuleViews.RuleSummary after = rule(ruleId);
        boolean onTopic = after.versions().stream().anyMatch(v -> v.version() == version && v.status().equals("PUBLISHED"));
        return onTopic ? HttpResponse.ok(after) : HttpResponse.accepted().body(after);
    }

    private static Rule parse(String ruleJson) {
        String line = ruleJson.strip();
        if (!line.contains("\"type\"")) {
            line = line.startsWith("{") ? "{\"type\":\"Rule\"," + line.substring(1) : line;
        }
        Decoded decoded = JsonLines.read(line.replace('\n', ' '));
        if (decoded.isRejected()) {
            throw ApiException.badRequest(decoded.reason());
        }
        if (!(decoded.record() instanceof Rule rule)) {
            throw ApiException.badRequest("the body is a " + decoded.record().getSchema().getName() + ", not a Rule");
        }
        try {
            RuleCheck.check(rule);
        } catch (InvalidRuleException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        }
        return rule;
    }
}
