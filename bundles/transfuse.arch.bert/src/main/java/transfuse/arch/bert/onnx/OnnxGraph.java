package transfuse.arch.bert.onnx;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The parts of an ONNX ModelProto the importer needs: the main graph's nodes, initializers,
 * input and output names. Constant nodes' tensors are indexed like initializers.
 */
final class OnnxGraph {
    private final List<OnnxNode> nodes;
    private final Map<String, OnnxTensor> initializers;
    private final List<String> inputs;
    private final List<String> outputs;
    private final Map<String, List<OnnxNode>> consumers = new HashMap<>();
    private final Map<String, OnnxNode> producers = new HashMap<>();

    private OnnxGraph(List<OnnxNode> nodes, Map<String, OnnxTensor> initializers, List<String> inputs,
                      List<String> outputs) {
        this.nodes = List.copyOf(nodes);
        this.initializers = initializers;
        this.inputs = List.copyOf(inputs);
        this.outputs = List.copyOf(outputs);
        for (OnnxNode n : nodes) {
            for (String in : n.inputs()) {
                consumers.computeIfAbsent(in, k -> new ArrayList<>()).add(n);
            }
            for (String out : n.outputs()) {
                producers.put(out, n);
            }
            if (n.opType().equals("Constant") && n.tensor() != null) {
                initializers.putIfAbsent(n.output(), n.tensor());
            }
        }
    }

    /** Parses a ModelProto. */
    static OnnxGraph parse(ByteBuffer model) {
        ProtoReader r = new ProtoReader(model, "ModelProto");
        ByteBuffer graph = null;
        while (r.next()) {
            if (r.field() == 7 && r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                graph = r.bytes();
            } else {
                r.skip();
            }
        }
        if (graph == null) {
            throw new OnnxFormatException("not an ONNX model (no graph)");
        }
        List<OnnxNode> nodes = new ArrayList<>();
        Map<String, OnnxTensor> init = new LinkedHashMap<>();
        List<String> inputs = new ArrayList<>();
        List<String> outputs = new ArrayList<>();
        ProtoReader g = new ProtoReader(graph, "GraphProto");
        while (g.next()) {
            switch (g.field()) {
                case 1 -> nodes.add(node(g.message("NodeProto")));
                case 5 -> {
                    OnnxTensor t = OnnxTensor.parse(g.message("TensorProto"));
                    init.put(t.name(), t);
                }
                case 11 -> inputs.add(valueInfoName(g.message("ValueInfoProto")));
                case 12 -> outputs.add(valueInfoName(g.message("ValueInfoProto")));
                default -> g.skip();
            }
        }
        if (nodes.isEmpty()) {
            throw new OnnxFormatException("not an ONNX model (the graph has no nodes)");
        }
        // Initializers that are also listed as graph inputs are weights, not model inputs.
        inputs.removeIf(init::containsKey);
        return new OnnxGraph(nodes, init, inputs, outputs);
    }

    private static String valueInfoName(ProtoReader r) {
        String name = "";
        while (r.next()) {
            if (r.field() == 1) {
                name = r.string();
            } else {
                r.skip();
            }
        }
        return name;
    }

    private static OnnxNode node(ProtoReader r) {
        List<String> in = new ArrayList<>();
        List<String> out = new ArrayList<>();
        String name = "", op = "";
        Map<String, Float> floats = new HashMap<>();
        Map<String, Long> ints = new HashMap<>();
        OnnxTensor tensor = null;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> in.add(r.string());
                case 2 -> out.add(r.string());
                case 3 -> name = r.string();
                case 4 -> op = r.string();
                case 5 -> {
                    ProtoReader a = r.message("AttributeProto");
                    String an = "";
                    Float f = null;
                    Long i = null;
                    OnnxTensor t = null;
                    while (a.next()) {
                        switch (a.field()) {
                            case 1 -> an = a.string();
                            case 2 -> f = a.fixed32AsFloat();
                            case 3 -> i = a.varint();
                            case 5 -> t = OnnxTensor.parse(a.message("TensorProto"));
                            default -> a.skip();
                        }
                    }
                    if (f != null) {
                        floats.put(an, f);
                    }
                    if (i != null) {
                        ints.put(an, i);
                    }
                    if (t != null && an.equals("value")) {
                        tensor = t;
                    }
                }
                default -> r.skip();
            }
        }
        return new OnnxNode(name, op, in, out, floats, ints, tensor);
    }

    List<OnnxNode> nodes() {
        return nodes;
    }

    List<String> inputs() {
        return inputs;
    }

    List<String> outputs() {
        return outputs;
    }

    /** The initializer or constant of that name, or null for a computed value. */
    OnnxTensor constant(String name) {
        return initializers.get(name);
    }

    Map<String, OnnxTensor> initializers() {
        return initializers;
    }

    List<OnnxNode> consumers(String value) {
        return consumers.getOrDefault(value, List.of());
    }

    OnnxNode producer(String value) {
        return producers.get(value);
    }
}
