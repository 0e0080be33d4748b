package transfuse.it;

import java.util.function.BooleanSupplier;

/** Waits for a condition that becomes true asynchronously (bundle events, FileInstall polls). */
final class Polling {
    private Polling() {
    }

    /** @return milliseconds until the condition held, or -1 when it did not within the limit */
    static long waitFor(BooleanSupplier condition, long limitMillis) throws InterruptedException {
        long start = System.nanoTime();
        while (true) {
            long elapsed = (System.nanoTime() - start) / 1_000_000;
            if (condition.getAsBoolean()) {
                return elapsed;
            }
            if (elapsed > limitMillis) {
                return -1;
            }
            Thread.sleep(25);
        }
    }
}
