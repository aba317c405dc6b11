package dev.kestrel.api.store;

/**
 * Migrates the store and exits: run as the tables' owner before the API starts (the Kubernetes init container), so
 * the API's own process never holds the owner's password. Reads KESTREL_DB_URL, KESTREL_DB_USER (the API's role, to
 * grant), KESTREL_DB_OWNER_USER and KESTREL_DB_OWNER_PASSWORD.
 */
public final class MigrateStore {
    private MigrateStore() {}

    public static void main(String[] args) {
        String url = required("KESTREL_DB_URL");
        String owner = required("KESTREL_DB_OWNER_USER");
        String apiRole = required("KESTREL_DB_USER");
        StoreMigration.migrate(url, owner, System.getenv().getOrDefault("KESTREL_DB_OWNER_PASSWORD", ""), apiRole);
        System.out.println("store at " + url + " migrated as " + owner + "; " + apiRole + " granted its rights");
    }

    private static String required(String name) {
        String value = System.getenv(name);
        if (value == null || value.isBlank()) {
            System.err.println("MigrateStore: set " + name);
            System.exit(2);
        }
        return value;
    }
}
