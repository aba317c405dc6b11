package dev.kestrel.api.alerts;

/** Where an alert is in the desk's workflow; the engine's own view of the episode is its lifecycle. */
public enum AlertStatus {
    NEW, ASSIGNED, ACKNOWLEDGED, ESCALATED, RESOLVED;

    public boolean isOpen() {
        return this != RESOLVED;
    }
}
