package dev.kestrel.registry;

import io.apicurio.common.apps.config.DynamicConfigPropertyList;
import java.util.List;
import javax.enterprise.context.ApplicationScoped;
import javax.enterprise.inject.Produces;

/**
 * The list of settings changeable at run time, which the registry's config-index build extension would generate;
 * that extension's deployment half is not on Maven Central, and the tests change no setting at run time.
 */
public class DynamicSettings {
    @Produces
    @ApplicationScoped
    DynamicConfigPropertyList none() {
        return new DynamicConfigPropertyList(List.of());
    }
}
