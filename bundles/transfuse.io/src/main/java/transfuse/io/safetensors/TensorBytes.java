package transfuse.io.safetensors;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

/**
 * Produces one tensor's raw little-endian bytes, when the writer reaches it. It must write
 * exactly the tensor's byte size, sequentially, and leave the channel open; that lets a
 * tensor be generated or copied in pieces without holding it in memory.
 */
@FunctionalInterface
public interface TensorBytes {
    void writeTo(WritableByteChannel out) throws IOException;
}
