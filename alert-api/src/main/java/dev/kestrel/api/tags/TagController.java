package dev.kestrel.api.tags;

import dev.kestrel.api.security.Roles;
import io.micronaut.http.HttpResponse;
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
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.util.List;

/** Tags (标签) on borrowers: set and removed by the desk, listed for its filters. */
@Controller("/api")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Tags")
class TagController {
    private final BorrowerTags tags;

    TagController(BorrowerTags tags) {
        this.tags = tags;
    }

    @Operation(summary = "Every tag in use, with how many borrowers carry it")
    @Get("/tags")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR, Roles.AUDITOR, Roles.ADMIN})
    List<BorrowerTag.Count> inUse() {
        return tags.inUse();
    }

    @Operation(summary = "Tag a borrower of your portfolio (supervisors: any); audited")
    @Put("/borrowers/{borrowerId}/tags/{tag}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    BorrowerTag set(@PathVariable @Size(max = 100) String borrowerId,
                                 @PathVariable @Pattern(regexp = BorrowerTag.PATTERN, message = "1 to 40 letters, "
                                         + "digits, spaces, dots, dashes or underscores, starting with a letter or digit") String tag,
                                 Authentication user) {
        return tags.set(borrowerId, tag, user);
    }

    @Operation(summary = "Remove a tag from a borrower of your portfolio (supervisors: any); audited")
    @Delete("/borrowers/{borrowerId}/tags/{tag}")
    @Secured({Roles.ANALYST, Roles.SUPERVISOR})
    HttpResponse<Void> remove(@PathVariable @Size(max = 100) String borrowerId, @PathVariable @Size(max = 40) String tag,
                              Authentication user) {
        tags.remove(borrowerId, tag, user);
        return HttpResponse.noContent();
    }
}
