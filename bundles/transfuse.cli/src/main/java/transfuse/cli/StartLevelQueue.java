package transfuse.cli;

import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * The framework carries out start-level changes (of the framework and of single bundles) later,
 * on its start-level thread, one request at a time in the order they were made. A request for the
 * level already aimed at completes only after every earlier request, and its
 * {@code STARTLEVEL_CHANGED} event is the signal that they are all done.
 */
final class StartLevelQueue {
    private StartLevelQueue() {
    }

    /** Waits (at most the limit) until the framework is at {@code level} or above and every earlier request is done. */
    static void await(FrameworkStartLevel framework, int level, long limitSeconds) {
        CountDownLatch done = new CountDownLatch(1);
        framework.setStartLevel(Math.max(level, framework.getStartLevel()), event -> done.countDown());
        try {
            done.await(limitSeconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
