package dev.kestrel.api.security;

import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.security.rules.SecurityRule;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;

/** Signing out: the token's session ends, on every instance within seconds. */
@Controller
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Log in")
class SessionController {
    private final DeskSessions sessions;

    SessionController(DeskSessions sessions) {
        this.sessions = sessions;
    }

    @Operation(summary = "Sign out: the token used ends and no longer authenticates")
    @Post("/logout")
    @Secured(SecurityRule.IS_AUTHENTICATED)
    HttpResponse<Void> logout(Authentication user) {
        Object session = user.getAttributes().get(DeskSessions.CLAIM);
        if (session instanceof String id) {
            sessions.end(id, "logout");
        }
        return HttpResponse.noContent();
    }
}
