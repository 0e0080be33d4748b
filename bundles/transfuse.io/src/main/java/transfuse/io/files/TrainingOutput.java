package transfuse.io.files;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * What a training run found before it started, so that a failed or cancelled run that started
 * afresh (no checkpoint yet) leaves nothing: no checkpoint and no output folder made for it. A run
 * that resumed keeps its checkpoint for the next try.
 */
public final class TrainingOutput {
    private final Path out;
    private final Path checkpoint;
    private final boolean fresh;
    private final boolean outExisted;

    private TrainingOutput(Path out, Path checkpoint) {
        this.out = out;
        this.checkpoint = checkpoint;
        this.fresh = !Files.exists(checkpoint);
        this.outExisted = Files.exists(out);
    }

    /** Looks at the output and its checkpoint folder now, before any training step. */
    public static TrainingOutput before(Path out, Path checkpoint) {
        return new TrainingOutput(out, checkpoint);
    }

    /** After a failure: removes what a fresh run wrote; a resumed run's checkpoint stays. */
    public void discardIfFresh() throws IOException {
        if (fresh) {
            AtomicDirectory.deleteTree(checkpoint);
            if (!outExisted) {
                AtomicDirectory.deleteTree(out);
            }
        }
    }
}
