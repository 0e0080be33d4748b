package transfuse.io.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;

/** Channel helpers. */
public final class Channels {
    /** The JDK copies each write of a heap buffer through a temporary direct buffer of the same
     *  size and caches it per thread; slices of this size keep that copy small. */
    private static final int WRITE_CHUNK = 1 << 20;

    private Channels() {
    }

    /** Writes all remaining bytes of the buffer, advancing its position to its limit. */
    public static void writeFully(WritableByteChannel out, ByteBuffer data) throws IOException {
        while (data.hasRemaining()) {
            int n = Math.min(WRITE_CHUNK, data.remaining());
            ByteBuffer chunk = data.slice(data.position(), n);
            while (chunk.hasRemaining()) {
                out.write(chunk);
            }
            data.position(data.position() + n);
        }
    }
}
