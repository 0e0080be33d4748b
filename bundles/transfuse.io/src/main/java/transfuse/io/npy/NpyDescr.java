package transfuse.io.npy;

import java.util.LinkedHashMap;
import java.util.Map;

import transfuse.api.tensor.DType;

/** NumPy type strings ({@code descr}) of the element types Transfuse has; bfloat16 has none. */
final class NpyDescr {
    private static final Map<DType, String> DESCR = new LinkedHashMap<>();

    static {
        DESCR.put(DType.F64, "<f8");
        DESCR.put(DType.F32, "<f4");
        DESCR.put(DType.F16, "<f2");
        DESCR.put(DType.I64, "<i8");
        DESCR.put(DType.I32, "<i4");
        DESCR.put(DType.I16, "<i2");
        DESCR.put(DType.I8, "|i1");
        DESCR.put(DType.U8, "|u1");
        DESCR.put(DType.BOOL, "|b1");
    }

    private NpyDescr() {
    }

    /** The descr NumPy writes for a type, or null if NumPy has no such type. */
    static String descr(DType dtype) {
        return DESCR.get(dtype);
    }

    /** The type of a little-endian or byte-order-free descr; single bytes may be marked either way. */
    static DType dtype(String descr) {
        for (Map.Entry<DType, String> e : DESCR.entrySet()) {
            String d = e.getValue();
            if (d.equals(descr) || (e.getKey().bytes() == 1 && descr.length() == 3
                    && "<|".indexOf(descr.charAt(0)) >= 0 && descr.substring(1).equals(d.substring(1)))) {
                return e.getKey();
            }
        }
        return null;
    }

    static String supported() {
        return String.join(", ", DESCR.values());
    }
}
