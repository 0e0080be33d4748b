package transfuse.cli;

import java.nio.ByteBuffer;
import java.util.LinkedHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

import transfuse.api.TransfuseException;
import transfuse.api.data.Dataset;
import transfuse.api.data.DatasetProvider;
import transfuse.api.data.Split;
import transfuse.api.tensor.Tensor;
import transfuse.io.config.ModelDir;
import transfuse.io.safetensors.SafetensorsEntry;

/** What train, eval and forward share: weights read from a model directory and data sets by name. */
final class ModelFiles {
    private ModelFiles() {
    }

    /** Every tensor of the directory, copied to the heap so it outlives the open file. */
    static Map<String, Tensor> weights(ModelDir dir) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (SafetensorsEntry e : dir.tensors()) {
            Tensor t = dir.weights().tensor(e.name());
            ByteBuffer heap = ByteBuffer.allocate(Math.toIntExact(t.byteSize()));
            heap.put(t.data()).flip();
            out.put(e.name(), new Tensor(t.dtype(), t.shape(), heap));
        }
        return out;
    }

    /** Opens a data set split through whichever DatasetProvider is registered. */
    static Dataset dataset(BundleContext context, String spec, Split split) {
        ServiceReference<DatasetProvider> ref = context.getServiceReference(DatasetProvider.class);
        DatasetProvider provider = ref == null ? null : context.getService(ref);
        if (provider == null) {
            throw new TransfuseException("no data set provider is installed (the transfuse.data bundle)");
        }
        try {
            return provider.open(spec, split);
        } finally {
            context.ungetService(ref);
        }
    }
}
