package dev.kestrel.api.ownership;

import dev.kestrel.api.security.Roles;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Delete;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Put;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Size;

/** Who is responsible for a borrower: supervisors set and release it; the watch list and borrower page show it. */
@Controller("/api/borrowers/{borrowerId}/owner")
@ExecuteOn(TaskExecutors.BLOCKING)
@Tag(name = "Ownership")
class OwnerController {
    private final OwnerStore owners;

    OwnerController(OwnerStore owners) {
        this.owners = owners;
    }

    @Operation(summary = "Make an enabled analyst or supervisor responsible for the borrower, in a team (supervisors only; audited)")
    @Put
    @Secured(Roles.SUPERVISOR)
    Owner assign(@PathVariable @Size(max = 100) String borrowerId, @Body @Valid Owner.Request request, Authentication user) {
        return owners.assign(borrowerId, request, user.getName());
    }

    @Operation(summary = "Leave the borrower without an owner (supervisors only; audited)")
    @Delete
    @Secured(Roles.SUPERVISOR)
    HttpResponse<Void> release(@PathVariable @Size(max = 100) String borrowerId, Authentication user) {
        owners.release(borrowerId, user.getName());
        return HttpResponse.noContent();
    }
}
