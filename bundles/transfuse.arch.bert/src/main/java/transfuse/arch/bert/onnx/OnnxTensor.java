package transfuse.arch.bert.onnx;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

/**
 * An ONNX TensorProto's values widened to float (weights are FLOAT; shapes and indices INT64 fit
 * a float exactly at the sizes used here, and {@link #longs} keeps them exact).
 */
record OnnxTensor(String name, long[] dims, int dataType, float[] values, long[] longs) {
    static final int FLOAT = 1;
    static final int INT32 = 6;
    static final int INT64 = 7;
    static final int DOUBLE = 11;

    long numel() {
        long n = 1;
        for (long d : dims) {
            n *= d;
        }
        return n;
    }

    String shapeString() {
        return Arrays.toString(dims);
    }

    /** Parses a TensorProto; raw data is little-endian by the ONNX spec. */
    static OnnxTensor parse(ProtoReader r) {
        String name = "";
        LongList dims = new LongList();
        int type = 0;
        ByteBuffer raw = null;
        FloatList floatData = new FloatList();
        LongList intData = new LongList();
        boolean external = false;
        while (r.next()) {
            switch (r.field()) {
                case 1 -> r.int64s(dims::add);
                case 2 -> type = (int) r.varint();
                case 4 -> {
                    if (r.wireType() == ProtoReader.LENGTH_DELIMITED) {
                        ByteBuffer b = r.bytes();
                        while (b.hasRemaining()) {
                            floatData.add(b.getFloat());
                        }
                    } else {
                        floatData.add(r.fixed32AsFloat());
                    }
                }
                case 5, 7 -> r.int64s(intData::add);
                case 8 -> name = r.string();
                case 9 -> raw = r.bytes();
                case 13 -> {
                    external = true;
                    r.skip();
                }
                default -> r.skip();
            }
        }
        if (external) {
            throw r.malformed("tensor " + name + " stores its data in an external file, which is not supported");
        }
        long[] shape = dims.toArray();
        long n = 1;
        for (long d : shape) {
            n *= d;
        }
        int count = Math.toIntExact(n);
        float[] values = new float[count];
        long[] longs = null;
        if (raw != null) {
            raw.order(ByteOrder.LITTLE_ENDIAN);
            int width = switch (type) {
                case FLOAT, INT32 -> 4;
                case INT64, DOUBLE -> 8;
                default -> 0;
            };
            if (width == 0) {
                // Other element types (bool, float16) do not carry weights of these models; keep the shape only.
                return new OnnxTensor(name, shape, type, new float[0], null);
            }
            if (raw.remaining() != (long) count * width) {
                throw r.malformed("tensor " + name + " has " + raw.remaining() + " bytes of data for shape "
                        + Arrays.toString(shape));
            }
            if (type == INT64 || type == INT32) {
                longs = new long[count];
            }
            for (int i = 0; i < count; i++) {
                switch (type) {
                    case FLOAT -> values[i] = raw.getFloat();
                    case DOUBLE -> values[i] = (float) raw.getDouble();
                    case INT32 -> {
                        longs[i] = raw.getInt();
                        values[i] = longs[i];
                    }
                    default -> {
                        longs[i] = raw.getLong();
                        values[i] = longs[i];
                    }
                }
            }
        } else if (type == FLOAT && floatData.size() == count) {
            values = floatData.toArray();
        } else if ((type == INT64 || type == INT32) && intData.size() == count) {
            longs = intData.toArray();
            for (int i = 0; i < count; i++) {
                values[i] = longs[i];
            }
        } else if (count > 0) {
            return new OnnxTensor(name, shape, type, new float[0], null);
        }
        return new OnnxTensor(name, shape, type, values, longs);
    }

    /** A growable long array (dims and int data arrive one by one). */
    static final class LongList {
        private long[] a = new long[8];
        private int n;

        void add(long v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        long[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }

    /** A growable float array. */
    static final class FloatList {
        private float[] a = new float[8];
        private int n;

        void add(float v) {
            if (n == a.length) {
                a = Arrays.copyOf(a, n * 2);
            }
            a[n++] = v;
        }

        int size() {
            return n;
        }

        float[] toArray() {
            return Arrays.copyOf(a, n);
        }
    }
}
