package transfuse.init.sws.internal;

import java.util.Map;

import transfuse.api.arch.LayerReindexing;
import transfuse.api.init.InitRequest;
import transfuse.api.tensor.Tensor;
import transfuse.init.sws.Learngene;

/** What the re-indexing initializers share: the target's layers copied from chosen source layers. */
final class Reindexing {
    private Reindexing() {
    }

    /** The target's tensors, layer i a copy of source layer {@code layers[i]}. */
    static Map<String, Tensor> apply(InitRequest r, int[] layers) {
        return LayerReindexing.apply(r.architecture(), Learngene.withoutField(r.source()), r.weights(), layers)
                .weights();
    }

    /** The target's depth. */
    static int depth(InitRequest r) {
        return r.target().getInt(LayerReindexing.DEPTH_FIELD);
    }
}
