package dev.kestrel.api;

import io.micronaut.runtime.Micronaut;

/** The alert API: the monitoring desk's service. */
public final class Application {
    private Application() {}

    public static void main(String[] args) {
        Micronaut.run(Application.class, args);
    }
}
