package transfuse.arch.bert.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

/**
 * A minimal protocol-buffers wire-format reader over a byte buffer: enough to walk ONNX's
 * messages field by field without generated classes or a protobuf library (so the bundle
 * imports nothing for it). Length-delimited fields are returned as zero-copy slices.
 */
final class ProtoReader {
    static final int VARINT = 0;
    static final int FIXED64 = 1;
    static final int LENGTH_DELIMITED = 2;
    static final int FIXED32 = 5;

    private final ByteBuffer buf;
    private final String what;
    private int tag;

    ProtoReader(ByteBuffer buf, String what) {
        this.buf = buf.slice().order(ByteOrder.LITTLE_ENDIAN);
        this.what = what;
    }

    /** Advances to the next field; false at the end of the message. */
    boolean next() {
        if (!buf.hasRemaining()) {
            return false;
        }
        tag = (int) varint();
        return true;
    }

    int field() {
        return tag >>> 3;
    }

    int wireType() {
        return tag & 7;
    }

    long varint() {
        long result = 0;
        for (int shift = 0; shift < 64; shift += 7) {
            byte b = get();
            result |= (long) (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return result;
            }
        }
        throw malformed("varint longer than 10 bytes");
    }

    float fixed32AsFloat() {
        need(4);
        return buf.getFloat();
    }

    ByteBuffer bytes() {
        long len = varint();
        if (len < 0 || len > buf.remaining()) {
            throw malformed("field of " + len + " bytes overruns the message (" + buf.remaining() + " left)");
        }
        ByteBuffer slice = buf.slice(buf.position(), (int) len).order(ByteOrder.LITTLE_ENDIAN);
        buf.position(buf.position() + (int) len);
        return slice;
    }

    String string() {
        ByteBuffer b = bytes();
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return new String(a, StandardCharsets.UTF_8);
    }

    ProtoReader message(String name) {
        return new ProtoReader(bytes(), name);
    }

    /** Reads a repeated int64 field given either packed or one value per tag. */
    void int64s(java.util.function.LongConsumer out) {
        if (wireType() == LENGTH_DELIMITED) {
            ProtoReader packed = new ProtoReader(bytes(), what);
            while (packed.buf.hasRemaining()) {
                out.accept(packed.varint());
            }
        } else {
            out.accept(varint());
        }
    }

    void skip() {
        switch (wireType()) {
            case VARINT -> varint();
            case FIXED64 -> advance(8);
            case LENGTH_DELIMITED -> bytes();
            case FIXED32 -> advance(4);
            default -> throw malformed("unsupported wire type " + wireType() + " in field " + field());
        }
    }

    private void advance(int n) {
        need(n);
        buf.position(buf.position() + n);
    }

    private byte get() {
        need(1);
        return buf.get();
    }

    private void need(int n) {
        if (buf.remaining() < n) {
            throw malformed("truncated");
        }
    }

    OnnxFormatException malformed(String why) {
        return new OnnxFormatException("malformed " + what + ": " + why);
    }
}
