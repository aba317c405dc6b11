package dev.kestrel.api.rules;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.Roles;
import dev.kestrel.api.store.Database;
import dev.kestrel.api.store.JsonColumns;
import dev.kestrel.api.store.Sql;
import dev.kestrel.contract.Decoded;
import dev.kestrel.contract.InvalidRuleException;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.RuleCheck;
import dev.kestrel.events.Rule;
import io.micronaut.context.annotation.Value;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.MediaType;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Consumes;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
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
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

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
    private final RulePublisher publisher;
    private final AuditLog audit;
    private final JsonColumns json;
    private final Clock clock;

    RuleController(@Value("${kestrel.rules.shipped-pack:rules/default-rules.jsonl}") String shippedPack, Database database,
                   RulePublisher publisher, AuditLog audit, JsonColumns json, Clock clock) {
        this.shipped = readPack(shippedPack);
        this.database = database;
        this.publisher = publisher;
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

    private record Change(String ruleId, int version, String status, String ruleJson, String proposedBy, Instant proposedAt,
                          String publishedBy, Instant publishedAt) {
        Rule rule() {
            return (Rule) JsonLines.read(ruleJson).record();
        }
    }

    private List<Change> changes(String ruleId) {
        return database.read(connection -> {
            List<Change> changes = new ArrayList<>();
            try (PreparedStatement select = connection.prepareStatement("""
                    SELECT rule_id, version, status, rule_json::text AS rule_json, proposed_by, proposed_at, published_by,
                        published_at FROM rule_change WHERE ? IS NULL OR rule_id = ? ORDER BY rule_id, version""")) {
                select.setString(1, ruleId);
                select.setString(2, ruleId);
                try (ResultSet row = select.executeQuery()) {
                    while (row.next()) {
                        changes.add(new Change(row.getString("rule_id"), row.getInt("version"), row.getString("status"),
                                row.getString("rule_json"), row.getString("proposed_by"), Sql.instant(row, "proposed_at"),
                                row.getString("published_by"), Sql.instant(row, "published_at")));
                    }
                }
            }
            return changes;
        });
    }

    @Operation(summary = "Every rule, with the version the job runs and all known versions")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<RuleViews.RuleSummary> list() {
        Map<String, List<Change>> byRule = new LinkedHashMap<>();
        for (Change change : changes(null)) {
            byRule.computeIfAbsent(change.ruleId(), id -> new ArrayList<>()).add(change);
        }
        List<String> ids = new ArrayList<>(shipped.keySet());
        byRule.keySet().stream().filter(id -> !shipped.containsKey(id)).forEach(ids::add);
        ids.sort(Comparator.naturalOrder());
        return ids.stream().map(id -> summary(id, byRule.getOrDefault(id, List.of()))).toList();
    }

    @Operation(summary = "One rule with every version in full")
    @Get("/{ruleId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    RuleViews.RuleSummary rule(@PathVariable String ruleId) {
        List<Change> changes = changes(ruleId);
        if (!shipped.containsKey(ruleId) && changes.isEmpty()) {
            throw ApiException.notFound("rule " + ruleId);
        }
        return summary(ruleId, changes);
    }

    private RuleViews.RuleSummary summary(String ruleId, List<Change> changes) {
        List<RuleViews.RuleVersion> versions = new ArrayList<>();
        Rule active = shipped.get(ruleId);
        String activeSource = active == null ? "NONE" : "SHIPPED";
        if (active != null) {
            versions.add(new RuleViews.RuleVersion(active.getVersion(), "SHIPPED", null, null, null, null,
                    json.tree(JsonLines.write(active))));
        }
        for (Change change : changes) {
            versions.add(new RuleViews.RuleVersion(change.version(), change.status(), change.proposedBy(), change.proposedAt(),
                    change.publishedBy(), change.publishedAt(), json.tree(change.ruleJson())));
            // The job runs the highest version it has seen: shipped or published.
            if (change.status().equals("PUBLISHED") && (active == null || change.version() > active.getVersion())) {
                active = change.rule();
                activeSource = "PUBLISHED";
            }
        }
        versions.sort(Comparator.comparingInt(RuleViews.RuleVersion::version));
        Rule shown = active != null ? active : changes.get(changes.size() - 1).rule();
        return new RuleViews.RuleSummary(ruleId, shown.getTitle(), shown.getSeverity().name(), shown.getCategory().name(),
                active != null && active.getEnabled(), active == null ? 0 : active.getVersion(), activeSource, versions);
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
                changes(rule.getRuleId()).stream().mapToInt(Change::version).max().orElse(0));
        if (rule.getVersion() <= highest) {
            throw new ApiException(HttpStatus.CONFLICT, rule.getRuleId() + " is at version " + highest
                    + "; propose version " + (highest + 1) + " or later");
        }
        String stored = JsonLines.write(rule);
        database.inTransaction(connection -> {
            try (PreparedStatement insert = connection.prepareStatement("""
                    INSERT INTO rule_change (rule_id, version, status, rule_json, proposed_by, proposed_at)
                    VALUES (?, ?, 'PROPOSED', ?::jsonb, ?, ?) ON CONFLICT DO NOTHING""")) {
                insert.setString(1, rule.getRuleId());
                insert.setInt(2, rule.getVersion());
                insert.setString(3, stored);
                insert.setString(4, user.getName());
                insert.setTimestamp(5, Sql.timestamp(now));
                if (insert.executeUpdate() == 0) {
                    throw new ApiException(HttpStatus.CONFLICT, rule.getRuleId() + " v" + rule.getVersion() + " exists");
                }
            }
            audit.record(connection, now, user.getName(), "RULE_PROPOSE", "rule", rule.getRuleId() + "@" + rule.getVersion(),
                    null, json.tree(stored));
            return null;
        });
        return HttpResponse.created(rule(rule.getRuleId()));
    }

    @Operation(summary = "Publish a proposed version to the rules topic; the running job applies it without a restart. "
            + "The publisher must not be the proposer.")
    @Post("/{ruleId}/versions/{version}/publish")
    @Secured(Roles.ADMIN)
    RuleViews.RuleSummary publish(@PathVariable String ruleId, @PathVariable int version, Authentication user) {
        Change proposal = changes(ruleId).stream().filter(c -> c.version() == version).findFirst()
                .orElseThrow(() -> ApiException.notFound("rule " + ruleId + " v" + version));
        if (!proposal.status().equals("PROPOSED")) {
            throw new ApiException(HttpStatus.CONFLICT, ruleId + " v" + version + " is " + proposal.status()
                    + "; only a proposal can be published");
        }
        if (proposal.proposedBy().equals(user.getName())) {
            throw new ApiException(HttpStatus.FORBIDDEN, "four eyes: " + user.getName()
                    + " proposed this version, so someone else must publish it");
        }
        RuleViews.RuleSummary before = rule(ruleId);
        Instant now = clock.instant();
        Rule rule = proposal.rule();
        rule.setPublishedBy(user.getName());
        rule.setPublishedAt(now);
        publisher.publish(rule); // on the topic first: the feed marks it published even if the update below fails
        database.inTransaction(connection -> {
            try (PreparedStatement update = connection.prepareStatement("""
                    UPDATE rule_change SET status = 'PUBLISHED', rule_json = ?::jsonb, published_by = ?, published_at = ?
                    WHERE rule_id = ? AND version = ?""")) {
                update.setString(1, JsonLines.write(rule));
                update.setString(2, user.getName());
                update.setTimestamp(3, Sql.timestamp(now));
                update.setString(4, ruleId);
                update.setInt(5, version);
                update.executeUpdate();
            }
            audit.record(connection, now, user.getName(), "RULE_PUBLISH", "rule", ruleId + "@" + version,
                    Map.of("activeVersion", before.activeVersion(), "activeSource", before.activeSource()),
                    json.tree(JsonLines.write(rule)));
            return null;
        });
        return rule(ruleId);
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
