package dev.kestrel.jobs.risk;

/** A recent input event, kept so that an alert raised later (say, when a day passes) can still cite what led to it. */
record EventRef(String eventId, String eventType, long eventTime) {}
