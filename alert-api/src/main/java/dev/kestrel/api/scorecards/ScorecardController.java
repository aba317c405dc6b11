package dev.kestrel.api.scorecards;

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
import dev.kestrel.contract.InvalidScorecardException;
import dev.kestrel.contract.JsonLines;
import dev.kestrel.contract.ScorecardCheck;
import dev.kestrel.events.Scorecard;
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
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * Scorecards admin: the scorecard the job scores with and its versions; propose a new version, publish it to the
 * scorecards topic. Proposing and publishing are separate steps by separate people (maker and checker), both audited,
 * and a proposal is checked as the job checks it ({@link ScorecardCheck}), so what the desk publishes the job uses.
 */
@Controller("/api/scorecards")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Scorecards")
class ScorecardController {
    private final Scorecard shipped;
    private final Database database;
    private final ScorecardChanges changes;
    private final VersionsInForce versionsInForce;
    private final ApprovalSigner signer;
    private final Optional<PublicationOutbox> outbox;
    private final AuditLog audit;
    private final JsonColumns json;
    private final Clock clock;

    ScorecardController(@Value("${kestrel.scorecards.shipped:scorecards/default-scorecard.jsonl}") String shippedCard,
                        Database database, ScorecardChanges changes, VersionsInForce versionsInForce, ApprovalSigner signer,
                        Optional<PublicationOutbox> outbox, AuditLog audit, JsonColumns json, Clock clock) {
        this.shipped = read(shippedCard);
        this.database = database;
        this.changes = changes;
        this.versionsInForce = versionsInForce;
        this.signer = signer;
        this.outbox = outbox;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** The scorecard the job starts with, from the classpath (the same file the job reads). */
    private static Scorecard read(String resource) {
        try (InputStream in = ScorecardController.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("scorecard " + resource + " is not on the classpath");
            }
            Decoded decoded = JsonLines.read(new String(in.readAllBytes(), StandardCharsets.UTF_8).strip());
            if (decoded.isRejected() || !(decoded.record() instanceof Scorecard card)) {
                throw new IllegalStateException("scorecard " + resource + " is not a Scorecard: " + decoded);
            }
            return card;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Operation(summary = "The scorecard the job reports it scores with, and every version: shipped, proposed, published")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    ScorecardViews.ScorecardSummary scorecard() {
        record Known(List<ScorecardChanges.Change> changes, VersionsInForce.Reported reported) {}
        Known known = database.read(connection -> new Known(changes.all(connection),
                versionsInForce.of(connection, VersionedKind.SCORECARD, shipped.getScorecardId())));
        List<ScorecardViews.ScorecardVersion> versions = new ArrayList<>();
        versions.add(new ScorecardViews.ScorecardVersion(shipped.getVersion(), "SHIPPED", null, null, null, null, null, null,
                json.tree(JsonLines.write(shipped)), known.reported().of(shipped.getVersion())));
        TreeMap<Integer, Scorecard> content = new TreeMap<>(Map.of(shipped.getVersion(), shipped));
        for (ScorecardChanges.Change change : known.changes()) {
            VersionTable.Row row = change.row();
            if (!row.id().equals(shipped.getScorecardId())) {
                continue;
            }
            versions.add(new ScorecardViews.ScorecardVersion(row.version(), row.status(), row.proposedBy(), row.proposedAt(),
                    row.publishedBy(), row.publishedAt(), row.signedWith(), row.contentSha256(), json.tree(row.json()),
                    known.reported().of(row.version())));
            content.put(row.version(), change.scorecard());
        }
        versions.sort(Comparator.comparingInt(ScorecardViews.ScorecardVersion::version));
        // The job scores with the version its latest report names, from its publishedAt on; none until it reports.
        VersionsInForce.Reported reported = known.reported();
        Scorecard shown = content.getOrDefault(reported.activeVersion(), content.lastEntry().getValue());
        return new ScorecardViews.ScorecardSummary(shipped.getScorecardId(), shown.getTitle(), reported.activeVersion(),
                reported.activeSource(), reported.activeFrom(), versions);
    }

    @Operation(summary = "Propose a new version of the scorecard, in the JSON-lines form of docs/events.md; it is checked "
            + "as the job checks it (422 with the field and the value otherwise), and must be above every version known")
    @Post(value = "/proposals", consumes = MediaType.APPLICATION_JSON)
    @Consumes(MediaType.APPLICATION_JSON)
    @Secured({Roles.SUPERVISOR, Roles.ADMIN})
    HttpResponse<ScorecardViews.ScorecardSummary> propose(@Body String scorecardJson, Authentication user) {
        Scorecard card = parse(scorecardJson);
        if (!card.getScorecardId().equals(shipped.getScorecardId())) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, "scorecardId: the job scores with "
                    + shipped.getScorecardId() + " and its later versions; a scorecard '" + card.getScorecardId()
                    + "' would never be used");
        }
        Instant now = clock.instant();
        card.setPublishedBy(null);
        card.setPublishedAt(now);
        int highest = scorecard().versions().stream().mapToInt(ScorecardViews.ScorecardVersion::version).max().orElse(0);
        if (card.getVersion() <= highest) {
            throw new ApiException(HttpStatus.CONFLICT, card.getScorecardId() + " is at version " + highest
                    + "; propose version " + (highest + 1) + " or later");
        }
        database.inTransaction(connection -> {
            if (!changes.propose(connection, card, user.getName(), now)) {
                throw new ApiException(HttpStatus.CONFLICT, card.getScorecardId() + " v" + card.getVersion() + " exists");
            }
            audit.record(connection, now, user.getName(), "SCORECARD_PROPOSE", "scorecard",
                    card.getScorecardId() + "@" + card.getVersion(), null, json.tree(JsonLines.write(card)));
            return null;
        });
        return HttpResponse.created(scorecard());
    }

    @Operation(summary = "Approve a proposed version: it is signed, audited and then sent to the scorecards topic, and the "
            + "running job scores with it from its publishedAt, without a restart. The publisher must not be the proposer. "
            + "The checker names the version they reviewed by its contentSha256. 200 when the topic took it, 202 when it "
            + "waits in the outbox for the broker.")
    @Post("/versions/{version}/publish")
    @Secured(Roles.ADMIN)
    HttpResponse<ScorecardViews.ScorecardSummary> publish(@PathVariable int version, @Nullable @QueryValue String reviewed,
                                                          Authentication user) {
        ScorecardChanges.Change proposal = database.read(changes::all).stream()
                .filter(c -> c.row().id().equals(shipped.getScorecardId()) && c.row().version() == version).findFirst()
                .orElseThrow(() -> ApiException.notFound("scorecard " + shipped.getScorecardId() + " v" + version));
        Checker.mayApprove(proposal.row(), user.getName(), reviewed);
        ScorecardViews.ScorecardSummary before = scorecard();
        Instant now = clock.instant();
        Scorecard card = proposal.scorecard();
        card.setPublishedBy(user.getName());
        card.setPublishedAt(now);
        Scorecard signed = signer.sign(card);
        // Audit first: the approval, its signature and the audit row commit together; the outbox sends it after.
        database.inTransaction(connection -> {
            if (!changes.approve(connection, signed)) {
                throw new ApiException(HttpStatus.CONFLICT, card.getScorecardId() + " v" + version + " was published meanwhile");
            }
            audit.record(connection, now, user.getName(), "SCORECARD_PUBLISH", "scorecard", card.getScorecardId() + "@" + version,
                    Map.of("activeVersion", before.activeVersion(), "activeSource", before.activeSource()),
                    json.tree(JsonLines.write(Scorecard.newBuilder(signed).setSignature(null).build())));
            return null;
        });
        outbox.ifPresent(PublicationOutbox::sendApproved);
        ScorecardViews.ScorecardSummary after = scorecard();
        boolean onTopic = after.versions().stream().anyMatch(v -> v.version() == version && v.status().equals("PUBLISHED"));
        return onTopic ? HttpResponse.ok(after) : HttpResponse.accepted().body(after);
    }

    private static Scorecard parse(String body) {
        String line = body.strip();
        if (!line.contains("\"type\"")) {
            line = line.startsWith("{") ? "{\"type\":\"Scorecard\"," + line.substring(1) : line;
        }
        Decoded decoded = JsonLines.read(line.replace('\n', ' '));
        if (decoded.isRejected()) {
            throw ApiException.badRequest(decoded.reason());
        }
        if (!(decoded.record() instanceof Scorecard card)) {
            throw ApiException.badRequest("the body is a " + decoded.record().getSchema().getName() + ", not a Scorecard");
        }
        try {
            ScorecardCheck.check(card);
        } catch (InvalidScorecardException e) {
            throw new ApiException(HttpStatus.UNPROCESSABLE_ENTITY, e.getMessage());
        }
        return card;
    }
}
