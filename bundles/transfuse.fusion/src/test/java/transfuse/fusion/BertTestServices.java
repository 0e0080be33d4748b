package transfuse.fusion;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.arch.Architecture;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.arch.bert.BertArchitecture;
import transfuse.djl.DjlRuntime;

/**
 * {@link FusionServices} for BERT outside OSGi: the real BERT architecture beside the aligners,
 * solvers and bundled data of {@link TestServices} (which also initializes DJL and ND4J). A
 * separate class so the ViT fixtures stay as they are and the engine is still handed exactly one
 * architecture by name, as in the framework.
 */
final class BertTestServices implements FusionServices {
    private static BertTestServices instance;

    private final TestServices shared = TestServices.get();
    private final BertArchitecture bert = new BertArchitecture(new DjlRuntime());

    private BertTestServices() {
    }

    static synchronized BertTestServices get() {
        if (instance == null) {
            instance = new BertTestServices();
        }
        return instance;
    }

    BertArchitecture bert() {
        return bert;
    }

    @Override
    public Architecture architecture(String modelType) {
        if (!modelType.equals(BertArchitecture.NAME)) {
            throw new TransfuseException("unknown architecture '" + modelType + "' (available: bert)");
        }
        return bert;
    }

    @Override
    public Aligner aligner(String name) {
        return shared.aligner(name);
    }

    @Override
    public Dataset dataset(String spec, Split split) {
        return shared.dataset(spec, split);
    }
}
