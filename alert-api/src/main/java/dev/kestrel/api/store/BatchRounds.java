package dev.kestrel.api.store;

import java.util.function.IntSupplier;
import org.slf4j.Logger;

/**
 * One round of a watch that works through a table a batch at a time (SLA breaches, reviews and collection steps
 * coming due): batches until one comes back short, since a full one may have left more. A failure ends the round; the
 * next round starts again where the committed batches left off.
 */
public final class BatchRounds {
    private BatchRounds() {}

    /**
     * @param batch     the most rows one batch takes
     * @param oneBatch  works one batch in its own transaction and says how many rows it found
     * @param what      what the round does, for the log, e.g. "Checking SLA breaches"
     */
    public static void run(int batch, IntSupplier oneBatch, Logger log, String what) {
        try {
            int found;
            do {
                found = oneBatch.getAsInt();
            } while (found == batch);
        } catch (RuntimeException e) {
            log.warn("{} failed; the next round tries again", what, e);
        }
    }
}
