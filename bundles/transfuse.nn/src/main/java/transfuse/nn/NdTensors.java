package transfuse.nn;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;

/** Converts between the API's tensors and NDArrays, once at the bundle edge. */
public final class NdTensors {
    private NdTensors() {
    }

    /** A float32 NDArray holding the tensor's values (any floating or integer dtype is converted). */
    public static NDArray toFloat32(NDManager manager, Tensor t) {
        ByteBuffer direct = ByteBuffer.allocateDirect(Math.toIntExact(t.numel() * 4)).order(ByteOrder.nativeOrder());
        if (t.dtype() == DType.F32) {
            ByteBuffer src = t.data();
            for (int i = 0, n = (int) t.numel(); i < n; i++) {
                direct.putFloat(src.getFloat(i * 4));
            }
        } else {
            for (float v : t.toFloats()) {
                direct.putFloat(v);
            }
        }
        direct.rewind();
        return manager.create(direct, new Shape(t.shape()), DataType.FLOAT32);
    }

    /** A float32 NDArray from Java floats. */
    public static NDArray fromFloats(NDManager manager, float[] values, Shape shape) {
        ByteBuffer direct = ByteBuffer.allocateDirect(values.length * 4).order(ByteOrder.nativeOrder());
        direct.asFloatBuffer().put(values);
        return manager.create(direct, shape, DataType.FLOAT32);
    }

    /** An int64 NDArray (labels, indices). */
    public static NDArray fromLongs(NDManager manager, long[] values, Shape shape) {
        ByteBuffer direct = ByteBuffer.allocateDirect(values.length * 8).order(ByteOrder.nativeOrder());
        direct.asLongBuffer().put(values);
        return manager.create(direct, shape, DataType.INT64);
    }

    /** The NDArray's values as a float32 tensor of the same shape. */
    public static Tensor toTensor(NDArray a) {
        NDArray f = a.getDataType() == DataType.FLOAT32 ? a : a.toType(DataType.FLOAT32, false);
        return Tensor.ofFloats(f.getShape().getShape(), f.toFloatArray());
    }
}
