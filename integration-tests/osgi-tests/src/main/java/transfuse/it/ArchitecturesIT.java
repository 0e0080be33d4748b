package transfuse.it;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.osgi.test.common.annotation.InjectService;
import org.osgi.test.junit5.service.ServiceExtension;

import transfuse.api.arch.Architecture;
import transfuse.api.arch.ForwardRequest;
import transfuse.api.arch.ForwardResult;
import transfuse.api.arch.TokenWindow;
import transfuse.api.data.Dataset;
import transfuse.api.data.DatasetProvider;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.api.model.ModelGraph;
import transfuse.api.model.Tap;
import transfuse.api.tensor.Tensor;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;

/**
 * An architecture bundle works inside the framework as the engine uses it: found by name,
 * fed by the data bundle, running DJL through the DJL bundle, answering taps its graph declares.
 */
@ExtendWith(ServiceExtension.class)
class ArchitecturesIT {
    @InjectService
    PluginCatalog catalog;

    @InjectService(timeout = 10000)
    DatasetProvider data;

    @Test
    void vitForwardsBundledImagesAndAnswersEveryDeclaredTap() {
        Dataset digits = data.open("digits:12", Split.TEST);
        try (PluginHandle<Architecture> vit = catalog.open(Architecture.class, "vit")) {
            Architecture arch = vit.get();
            ModelConfig config = arch.defaultConfig(digits);
            Map<String, Tensor> weights = arch.initialize(config, 7);
            arch.validate(config, weights);
            ModelGraph graph = arch.graph(config);
            Set<String> taps = Set.copyOf(graph.taps().stream().map(Tap::name).toList());

            Map<String, Tensor> inputs = arch.inputs(config, digits, 0, digits.size());
            ForwardResult r = arch.forward(config, weights,
                    new ForwardRequest(inputs, true, false, taps, TokenWindow.ALL, 5));
            assertArrayEquals(new long[] {12, digits.numClasses()}, r.logits().shape());
            for (double v : r.logits().toDoubles()) {
                assertTrue(Double.isFinite(v), "non-finite logit");
            }
            assertEquals(taps, r.taps().keySet());
            for (Tap tap : graph.taps()) {
                // Each tap has one column per neuron of its space.
                assertEquals(graph.space(tap.space()).size(), r.taps().get(tap.name()).shape()[1], tap.name());
            }
            // Same seed, same weights: initialization is a pure function inside OSGi too.
            assertArrayEquals(weights.get("classifier.weight").toDoubles(),
                    arch.initialize(config, 7).get("classifier.weight").toDoubles(), 0.0);
        }
    }

    @Test
    void bertIsRegisteredWithAGraph() {
        try (PluginHandle<Architecture> bert = catalog.open(Architecture.class, "bert")) {
            assertEquals("bert", bert.get().name());
            assertTrue(bert.provider().startsWith("transfuse.arch.bert "));
        }
    }
}
