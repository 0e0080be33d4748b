package transfuse.arch.bert.onnx;

import java.util.List;
import java.util.Map;

/**
 * One operator of an ONNX graph.
 *
 * @param floats float attributes by name (e.g. LayerNormalization's epsilon)
 * @param ints   integer attributes by name (e.g. Gather's axis)
 * @param tensor tensor attribute {@code value} of a Constant node, else null
 */
record OnnxNode(String name, String opType, List<String> inputs, List<String> outputs, Map<String, Float> floats,
                Map<String, Long> ints, OnnxTensor tensor) {
    String input(int i) {
        return i < inputs.size() ? inputs.get(i) : "";
    }

    String output() {
        return outputs.isEmpty() ? "" : outputs.get(0);
    }
}
