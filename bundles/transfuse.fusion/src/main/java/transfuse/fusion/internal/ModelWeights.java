package transfuse.fusion.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.StandardOpenOption;
import java.util.Map;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;
import transfuse.io.safetensors.SafetensorsEntry;
import transfuse.io.safetensors.SafetensorsReader;

/**
 * One model's tensors, read one at a time, converted to doubles and checked for NaN and
 * infinity. With a file, values are read by positional reads into the heap rather than through
 * the memory mappings: a mapping kept alive keeps every page read resident, so fusing two large
 * models would hold both files in memory to the end.
 */
public final class ModelWeights implements AutoCloseable {
    private final String label;
    private final Map<String, Tensor> tensors;
    private final SafetensorsReader file;
    private final FileChannel channel;

    /** @param label names the model in messages, e.g. its directory */
    public ModelWeights(String label, Map<String, Tensor> tensors) {
        this.label = label;
        this.tensors = tensors;
        this.file = null;
        this.channel = null;
    }

    /** Values read from {@code file} (its tensors map still serves shapes and forward passes). */
    public ModelWeights(String label, Map<String, Tensor> tensors, SafetensorsReader file) {
        this.label = label;
        this.tensors = tensors;
        this.file = file;
        try {
            this.channel = FileChannel.open(file.file(), StandardOpenOption.READ);
        } catch (IOException e) {
            throw new TransfuseException(file.file() + ": cannot open: " + e.getMessage(), e);
        }
    }

    public String label() {
        return label;
    }

    public Map<String, Tensor> tensors() {
        return tensors;
    }

    public Tensor tensor(String name) {
        Tensor t = tensors.get(name);
        if (t == null) {
            throw new TransfuseException(label + ": missing tensor " + name);
        }
        return t;
    }

    /** The values as doubles; throws naming the model and tensor when one is not finite. */
    public double[] doubles(String name) {
        double[] v = (channel == null ? tensor(name) : read(name)).toDoubles();
        checkFinite(name, v);
        return v;
    }

    public void checkFinite(String name, double[] v) {
        for (int i = 0; i < v.length; i++) {
            if (!Double.isFinite(v[i])) {
                throw new TransfuseException(label + ": tensor " + name + " holds " + v[i] + " at index " + i
                        + " (weights must be finite)");
            }
        }
    }

    /** Reads every floating tensor once to refuse NaN or infinite weights before any work. */
    public void checkAllFinite() {
        for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
            if (e.getValue().dtype().isFloating()) {
                doubles(e.getKey());
            }
        }
    }

    private Tensor read(String name) {
        Tensor mapped = tensor(name);
        SafetensorsEntry e = file.entry(name);
        ByteBuffer b = ByteBuffer.allocate(Math.toIntExact(e.byteSize())).order(ByteOrder.LITTLE_ENDIAN);
        long position = file.dataStart() + e.begin();
        try {
            while (b.hasRemaining()) {
                if (channel.read(b, position + b.position()) < 0) {
                    throw new TransfuseException(label + ": file ends inside tensor " + name);
                }
            }
        } catch (IOException x) {
            throw new TransfuseException(label + ": cannot read tensor " + name + ": " + x.getMessage(), x);
        }
        return new Tensor(mapped.dtype(), mapped.shape(), b.flip());
    }

    @Override
    public void close() {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing is lost
            }
        }
    }
}
