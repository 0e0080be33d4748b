package transfuse.io.safetensors;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/** Seeded random tensors, names and metadata for the property tests. */
final class RandomTensors {
    private static final String[] NAME_PARTS = {"encoder", "layer", "0", "7", "attention", "query", "weight",
        "bias", "LayerNorm", "é", "层", "a b", "x\"y", "back\\slash"};

    private RandomTensors() {
    }

    /** 0 to 5 dimensions, each 0 to 4 (so zero-size tensors occur), or a scalar. */
    static long[] shape(Random random) {
        long[] shape = new long[random.nextInt(5)];
        for (int i = 0; i < shape.length; i++) {
            shape[i] = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(4);
        }
        return shape;
    }

    /** Random raw bytes; BOOL holds only 0 and 1, as the format requires. */
    static Tensor tensor(Random random, DType dtype, long[] shape) {
        byte[] bytes = new byte[Math.toIntExact(Tensor.numel(shape) * dtype.bytes())];
        random.nextBytes(bytes);
        if (dtype == DType.BOOL) {
            for (int i = 0; i < bytes.length; i++) {
                bytes[i] &= 1;
            }
        }
        return new Tensor(dtype, shape, ByteBuffer.wrap(bytes));
    }

    /** 0 to 6 tensors of random types and shapes under distinct names, in insertion order. */
    static Map<String, Tensor> tensors(Random random) {
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        int count = random.nextInt(7);
        while (tensors.size() < count) {
            DType dtype = DType.values()[random.nextInt(DType.values().length)];
            tensors.put(name(random), tensor(random, dtype, shape(random)));
        }
        return tensors;
    }

    static String name(Random random) {
        List<String> parts = new ArrayList<>();
        int n = 1 + random.nextInt(4);
        for (int i = 0; i < n; i++) {
            parts.add(NAME_PARTS[random.nextInt(NAME_PARTS.length)]);
        }
        return String.join(".", parts) + "." + random.nextInt(1000);
    }

    /** Empty half of the time, else a few string pairs. */
    static Map<String, String> metadata(Random random) {
        Map<String, String> metadata = new LinkedHashMap<>();
        if (random.nextBoolean()) {
            int n = 1 + random.nextInt(3);
            for (int i = 0; i < n; i++) {
                metadata.put(name(random), name(random));
            }
        }
        return metadata;
    }

    static byte[] bytes(Tensor t) {
        ByteBuffer b = t.data();
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
