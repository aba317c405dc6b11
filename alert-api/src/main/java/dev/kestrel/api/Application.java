package dev.kestrel.api;

import io.micronaut.context.annotation.Factory;
import io.micronaut.runtime.Micronaut;
import io.swagger.v3.oas.annotations.OpenAPIDefinition;
import io.swagger.v3.oas.annotations.enums.SecuritySchemeType;
import io.swagger.v3.oas.annotations.info.Info;
import io.swagger.v3.oas.annotations.security.SecurityRequirement;
import io.swagger.v3.oas.annotations.security.SecurityScheme;
import jakarta.inject.Singleton;
import java.time.Clock;

/** The alert API: the monitoring desk's service. */
@OpenAPIDefinition(
        info = @Info(title = "Kestrel alert API", version = "0.1",
                description = "Early-warning alerts for the credit-risk monitoring desk: list, explain, work and "
                        + "audit alerts; customer 360 and group views; rules admin. Log in at POST /login."),
        security = @SecurityRequirement(name = "bearer"))
@SecurityScheme(name = "bearer", type = SecuritySchemeType.HTTP, scheme = "bearer", bearerFormat = "JWT")
public final class Application {
    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }

    /** One clock for the whole service, so tests and SLA arithmetic agree on "now". */
    @Factory
    static final class Clocks {
        @Singleton
        Clock clock() {
            return Clock.systemUTC();
        }
    }
}
