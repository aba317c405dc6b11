package dev.kestrel.api.ownership;

import dev.kestrel.api.security.Roles;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
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
import jakarta.validation.Valid;
import java.util.List;

/** Supervisors widen an analyst's portfolio, for a reason and optionally until a time, and revoke it. */
@Controller("/api/portfolio-grants")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Ownership")
class PortfolioGrantController {
    private final PortfolioGrants grants;

    PortfolioGrantController(PortfolioGrants grants) {
        this.grants = grants;
    }

    @Operation(summary = "Grants, newest first; an analyst sees only their own")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<PortfolioGrant> list(@Nullable @QueryValue String grantee, @QueryValue(defaultValue = "false") boolean active,
                              Authentication user) {
        boolean seesAll = Roles.has(user, Roles.SUPERVISOR) || Roles.has(user, Roles.AUDITOR) || Roles.has(user, Roles.ADMIN);
        String who = !seesAll || "me".equals(grantee) ? user.getName() : grantee;
        return grants.list(who, active);
    }

    @Operation(summary = "Let an analyst act on a borrower, a group, an officer's or a team's borrowers, or the whole book "
            + "(supervisors only; audited)")
    @Post
    @Secured(Roles.SUPERVISOR)
    HttpResponse<PortfolioGrant> grant(@Body @Valid PortfolioGrant.Request request, Authentication user) {
        PortfolioGrant granted = grants.grant(request, user.getName());
        return HttpResponse.created(granted).header("Location", "/api/portfolio-grants/" + granted.grantId());
    }

    @Operation(summary = "Revoke a grant (supervisors only; audited)")
    @Delete("/{grantId}")
    @Secured(Roles.SUPERVISOR)
    PortfolioGrant revoke(@PathVariable long grantId, Authentication user) {
        return grants.revoke(grantId, user.getName());
    }
}
