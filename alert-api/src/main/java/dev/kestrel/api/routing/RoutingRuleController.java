package dev.kestrel.api.routing;

import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.security.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Pattern;
import java.util.List;

/** The desk's routing rules: everyone on the desk reads them; supervisors write them. */
@Controller("/api/routing-rules")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Routing")
class RoutingRuleController {
    private final RoutingRules rules;

    RoutingRuleController(RoutingRules rules) {
        this.rules = rules;
    }

    @Operation(summary = "The routing rules in the order they are tried")
    @Get
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<RoutingRule> list() {
        return rules.list();
    }

    @Operation(summary = "One routing rule")
    @Get("/{ruleId}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    RoutingRule rule(@PathVariable String ruleId) {
        return rules.find(ruleId).orElseThrow(() -> ApiException.notFound("routing rule " + ruleId));
    }

    @Operation(summary = "Create or replace a routing rule (supervisors only; audited); it routes alerts that arrive after")
    @Put("/{ruleId}")
    @Secured(Roles.SUPERVISOR)
    HttpResponse<RoutingRule> save(@PathVariable @Pattern(regexp = "[A-Z0-9][A-Z0-9_-]{1,59}",
            message = "upper-case letters, digits, '_' and '-', 2 to 60 characters") String ruleId,
                                   @Body @Valid RoutingRule.Request request, Authentication user) {
        return HttpResponse.ok(rules.save(ruleId, request, user.getName()));
    }

    @Operation(summary = "Delete a routing rule (supervisors only; audited)")
    @Delete("/{ruleId}")
    @Secured(Roles.SUPERVISOR)
    HttpResponse<Void> delete(@PathVariable String ruleId, Authentication user) {
        rules.delete(ruleId, user.getName());
        return HttpResponse.noContent();
    }
}
