package dev.kestrel.jobs.risk;

/**
 * Event ids as 64-bit hashes (FNV-1a over the UTF-16 code units): 8 bytes of state per remembered id, and a chance
 * of two of a borrower's 32 remembered ids colliding far below one in 10^17.
 */
final class EventIds {
    private static final long OFFSET = 0xcbf29ce484222325L;
    private static final long PRIME = 0x100000001b3L;

    private EventIds() {}

    static long hash(String eventId) {
        long hash = OFFSET;
        for (int i = 0; i < eventId.length(); i++) {
            char c = eventId.charAt(i);
            hash = (hash ^ (c & 0xff)) * PRIME;
            hash = (hash ^ (c >>> 8)) * PRIME;
        }
        return hash;
    }
}
