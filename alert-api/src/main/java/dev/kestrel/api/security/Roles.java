package dev.kestrel.api.security;

import io.micronaut.security.authentication.Authentication;
import java.util.List;
import java.util.Set;

/** The desk's roles. A user may hold several; what each allows is stated on each endpoint with {@code @Secured}. */
public final class Roles {
    /** Sees masked personal data; works on alerts. */
    public static final String ANALYST = "analyst";
    /** Everything an analyst does, plus assigning alerts and seeing personal data unmasked. */
    public static final String SUPERVISOR = "supervisor";
    /** Reads everything, changes nothing; reads the audit log. */
    public static final String AUDITOR = "auditor";
    /** Manages rules and users. */
    public static final String ADMIN = "admin";
    /** A metrics scraper: reads /prometheus, with HTTP basic authentication, and nothing else. */
    public static final String METRICS = "metrics";

    public static final List<String> ALL = List.of(ANALYST, SUPERVISOR, AUDITOR, ADMIN, METRICS);

    private Roles() {}

    public static boolean has(Authentication user, String role) {
        return user.getRoles().contains(role);
    }

    public static boolean mayWorkAlerts(Set<String> roles) {
        return roles.contains(ANALYST) || roles.contains(SUPERVISOR);
    }
}
