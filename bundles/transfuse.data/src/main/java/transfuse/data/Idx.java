package transfuse.data;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;

import transfuse.api.TransfuseException;

/** The IDX format of (Fashion-)MNIST: big-endian magic, counts, then unsigned bytes. */
final class Idx {
    private Idx() {
    }

    record Images(int count, int rows, int cols, byte[] pixels) {
    }

    static Images readImages(InputStream in, String source) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int magic = d.readInt();
        if (magic != 0x00000803) {
            throw new TransfuseException(source + ": not an IDX image file (magic " + Integer.toHexString(magic) + ")");
        }
        int count = d.readInt();
        int rows = d.readInt();
        int cols = d.readInt();
        byte[] pixels = new byte[Math.multiplyExact(Math.multiplyExact(count, rows), cols)];
        d.readFully(pixels);
        return new Images(count, rows, cols, pixels);
    }

    static int[] readLabels(InputStream in, String source) throws IOException {
        DataInputStream d = new DataInputStream(in);
        int magic = d.readInt();
        if (magic != 0x00000801) {
            throw new TransfuseException(source + ": not an IDX label file (magic " + Integer.toHexString(magic) + ")");
        }
        int count = d.readInt();
        byte[] raw = new byte[count];
        d.readFully(raw);
        int[] labels = new int[count];
        for (int i = 0; i < count; i++) {
            labels[i] = raw[i] & 0xff;
        }
        return labels;
    }
}
