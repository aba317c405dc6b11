package dev.kestrel.api.security;

import dev.kestrel.api.audit.AuditLog;
import dev.kestrel.api.errors.ApiException;
import dev.kestrel.api.store.Database;
import io.micronaut.core.annotation.Nullable;
import io.micronaut.http.HttpResponse;
import io.micronaut.http.HttpStatus;
import io.micronaut.http.annotation.Body;
import io.micronaut.http.annotation.Controller;
import io.micronaut.http.annotation.Get;
import io.micronaut.http.annotation.Patch;
import io.micronaut.http.annotation.PathVariable;
import io.micronaut.http.annotation.Post;
import io.micronaut.scheduling.TaskExecutors;
import io.micronaut.scheduling.annotation.ExecuteOn;
import io.micronaut.security.annotation.Secured;
import io.micronaut.security.authentication.Authentication;
import io.micronaut.serde.annotation.Serdeable;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.Valid;
import jakarta.validation.constraints.Email;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotEmpty;
import jakarta.validation.constraints.Pattern;
import jakarta.validation.constraints.Size;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

/** User administration (admins only); every change is audited, without the password hashes. */
@Controller("/api/users")
@ExecuteOn(TaskExecutors.BLOCKING)
@Secured(Roles.ADMIN)
@Tag(name = "Users")
class UserController {
    private final UserRepository users;
    private final DeskSessions sessions;
    private final Database database;
    private final AuditLog audit;
    private final Clock clock;

    UserController(UserRepository users, DeskSessions sessions, Database database, AuditLog audit, Clock clock) {
        this.users = users;
        this.sessions = sessions;
        this.database = database;
        this.audit = audit;
        this.clock = clock;
    }

    @Serdeable
    // The API's own audit rows (SLA breaches, publications) carry AuditLog.SYSTEM: no person may sign them.
    record NewUser(@NotBlank @Pattern(regexp = "(?!" + AuditLog.SYSTEM + "$)[a-z][a-z0-9._-]{1,39}", message = "lower-case letters, digits, '.', '_' "
            + "or '-', 2 to 40 characters, starting with a letter; not 'system', which the API's own audit rows carry") String username,
                   @NotBlank @Size(max = 100) String displayName,
                   @Nullable @Email @Size(max = 254) String email,
                   @NotBlank @Size(min = 12, max = 200, message = "a password needs 12 to 200 characters") String password,
                   @NotEmpty List<@NotBlank String> roles) {
    }

    @Serdeable
    record UserChange(@Nullable @Size(min = 1, max = 100) String displayName,
                      /* An empty string removes the address. */
                      @Nullable @Size(max = 254) @Pattern(regexp = "|[^@\\s]+@[^@\\s]+\\.[^@\\s]+",
                              message = "must be an e-mail address, or empty to remove it") String email,
                      @Nullable @Size(min = 12, max = 200, message = "a password needs 12 to 200 characters") String password,
                      @Nullable @Size(min = 1) List<@NotBlank String> roles,
                      @Nullable Boolean enabled) {
    }

    @Get
    List<DeskUser> list() {
        return users.all();
    }

    @Post
    HttpResponse<DeskUser> create(@Body @Valid NewUser request, Authentication admin) {
        checkRoles(request.roles());
        checkPassword(request.password(), request.username());
        Instant now = clock.instant();
        String hash = PasswordHasher.hash(request.password());
        DeskUser created = database.inTransaction(connection -> {
            if (!users.insert(connection, request.username(), request.displayName(), blankToNull(request.email()), hash,
                    request.roles(), now)) {
                throw new ApiException(HttpStatus.CONFLICT, "user '" + request.username() + "' exists");
            }
            DeskUser user = users.find(connection, request.username()).orElseThrow();
            audit.record(connection, now, admin.getName(), "USER_CREATE", "user", user.username(), null, user);
            return user;
        });
        return HttpResponse.created(created);
    }

    @Patch("/{username}")
    DeskUser change(@PathVariable String username, @Body @Valid UserChange request, Authentication admin) {
        if (request.roles() != null) {
            checkRoles(request.roles());
        }
        if (request.password() != null) {
            checkPassword(request.password(), username);
        }
        if (username.equals(admin.getName()) && (Boolean.FALSE.equals(request.enabled())
                || request.roles() != null && !request.roles().contains(Roles.ADMIN))) {
            throw new ApiException(HttpStatus.CONFLICT, "admins cannot disable themselves or drop their own admin role; "
                    + "ask another admin");
        }
        Instant now = clock.instant();
        String hash = request.password() == null ? null : PasswordHasher.hash(request.password());
        return database.inTransaction(connection -> {
            DeskUser before = users.find(connection, username).orElseThrow(() -> ApiException.notFound("user " + username));
            DeskUser changed = new DeskUser(username,
                    request.displayName() != null ? request.displayName() : before.displayName(),
                    request.email() != null ? blankToNull(request.email()) : before.email(),
                    request.roles() != null ? List.copyOf(request.roles()) : before.roles(),
                    request.enabled() != null ? request.enabled() : before.enabled(), before.createdAt(), now);
            users.update(connection, changed, hash, now);
            DeskUser after = users.find(connection, username).orElseThrow();
            // What a token grants is fixed when it is issued: a user disabled, given other roles or another password
            // signs in again, or not at all.
            String reason = !after.enabled() ? "user disabled" : !after.roles().equals(before.roles()) ? "roles changed"
                    : hash != null ? "password changed" : null;
            if (reason != null) {
                sessions.endAll(connection, username, reason);
            }
            audit.record(connection, now, admin.getName(), hash != null ? "USER_CHANGE_WITH_PASSWORD" : "USER_CHANGE",
                    "user", username, before, after);
            return after;
        });
    }

    private static String blankToNull(String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }

    private static void checkPassword(String password, String username) {
        String problem = PasswordPolicy.problem(password, username);
        if (problem != null) {
            throw ApiException.badRequest("password: " + problem);
        }
    }

    private static void checkRoles(List<String> roles) {
        List<String> unknown = roles.stream().filter(role -> !Roles.ALL.contains(role)).toList();
        if (!unknown.isEmpty()) {
            throw ApiException.badRequest("unknown roles " + unknown + "; roles are " + Roles.ALL);
        }
    }
}
