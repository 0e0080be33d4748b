package transfuse.io.safetensors;

import static transfuse.io.internal.Messages.quote;
import static transfuse.io.internal.Messages.show;

import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.DType;
import transfuse.api.tensor.Tensor;
import transfuse.io.internal.Json;

/**
 * The header of a safetensors file: an unsigned 64-bit little-endian length n, then n bytes of
 * UTF-8 JSON mapping each tensor name to {@code {"dtype", "shape", "data_offsets"}}, with an
 * optional {@code "__metadata__"} object of strings; the data region follows.
 *
 * <p>Validation refuses every range that is inverted, outside the data region, overlapping
 * another or of the wrong size for its type and shape. It tolerates gaps between tensors and
 * bytes after the last one, which HF's reader refuses: they cannot make a tensor read wrongly.
 */
final class SafetensorsHeader {
    /** HF's reference implementation refuses larger headers; so do we, before allocating them. */
    static final long MAX_HEADER_BYTES = 100_000_000L;
    static final String METADATA_KEY = "__metadata__";
    /** Data starts at a multiple of this, as in HF's writer (its padding makes n a multiple of 8). */
    static final int ALIGNMENT = 8;

    private static final String SUPPORTED = Arrays.stream(DType.values()).map(DType::safetensorsName)
            .collect(Collectors.joining(", "));

    final List<SafetensorsEntry> entries;
    final Map<String, String> metadata;
    final long dataStart;

    private SafetensorsHeader(List<SafetensorsEntry> entries, Map<String, String> metadata, long dataStart) {
        this.entries = entries;
        this.metadata = metadata;
        this.dataStart = dataStart;
    }

    /**
     * Reads and validates the header; touches no tensor data.
     *
     * @param file names the file in messages
     * @throws TransfuseException one line naming the file and the first defect found
     */
    static SafetensorsHeader read(FileChannel channel, String file) throws IOException {
        long size = channel.size();
        if (size < 8) {
            throw new TransfuseException(file + ": file is " + size
                    + " bytes, shorter than the 8-byte header length");
        }
        ByteBuffer lengthBytes = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
        readFully(channel, lengthBytes, 0);
        long n = lengthBytes.getLong(0);
        if (Long.compareUnsigned(n, size - 8) > 0) {
            throw new TransfuseException(file + ": header length " + Long.toUnsignedString(n)
                    + " is larger than the rest of the file (" + (size - 8) + " bytes)");
        }
        if (n > MAX_HEADER_BYTES) {
            throw new TransfuseException(file + ": header length " + n + " exceeds the limit of "
                    + MAX_HEADER_BYTES + " bytes");
        }
        ByteBuffer json = ByteBuffer.allocate((int) n);
        readFully(channel, json, 8);
        Object tree = Json.parse(json.array(), file + ": header");
        if (!(tree instanceof Map<?, ?> fields)) {
            throw new TransfuseException(file + ": header is " + Json.typeName(tree) + ", not a JSON object");
        }
        long dataStart = 8 + n;
        long dataLength = size - dataStart;
        Map<String, String> metadata = Map.of();
        List<SafetensorsEntry> entries = new ArrayList<>();
        for (Map.Entry<?, ?> field : fields.entrySet()) {
            String name = (String) field.getKey();
            if (name.equals(METADATA_KEY)) {
                metadata = metadata(file, field.getValue());
            } else {
                entries.add(entry(file, name, field.getValue(), dataLength));
            }
        }
        // File order is data order; a stable sort keeps header order among empty tensors.
        entries.sort(Comparator.comparingLong(SafetensorsEntry::begin).thenComparingLong(SafetensorsEntry::end));
        checkNoOverlap(file, entries);
        return new SafetensorsHeader(List.copyOf(entries), metadata, dataStart);
    }

    private static SafetensorsEntry entry(String file, String name, Object value, long dataLength) {
        String where = file + ": tensor " + quote(name) + ": ";
        if (!(value instanceof Map<?, ?> info)) {
            throw new TransfuseException(where + "expected an object with dtype, shape and data_offsets, found "
                    + show(value));
        }
        Object dtypeName = required(info, "dtype", where);
        if (!(dtypeName instanceof String dtypeText)) {
            throw new TransfuseException(where + "field 'dtype' must be a string, found " + show(dtypeName));
        }
        DType dtype = DType.fromSafetensors(dtypeText);
        if (dtype == null) {
            throw new TransfuseException(where + "unknown dtype " + quote(dtypeText) + " (supported: " + SUPPORTED + ")");
        }
        Object shapeValue = required(info, "shape", where);
        long[] shape = naturals(shapeValue, -1);
        if (shape == null) {
            throw new TransfuseException(where + "field 'shape' must be an array of non-negative integers, found "
                    + show(shapeValue));
        }
        Object offsetsValue = required(info, "data_offsets", where);
        long[] offsets = naturals(offsetsValue, 2);
        if (offsets == null) {
            throw new TransfuseException(where + "field 'data_offsets' must be [begin, end] with non-negative integers, found "
                    + show(offsetsValue));
        }
        long begin = offsets[0];
        long end = offsets[1];
        String range = "data_offsets [" + begin + ", " + end + "]";
        if (end < begin) {
            throw new TransfuseException(where + range + " end before they begin");
        }
        if (end > dataLength) {
            throw new TransfuseException(where + range + " reach past the end of the data region ("
                    + dataLength + " bytes)");
        }
        String typeAndShape = dtype + SafetensorsEntry.shapeText(shape);
        long needed;
        try {
            needed = Math.multiplyExact(Tensor.numel(shape), (long) dtype.bytes());
        } catch (ArithmeticException e) {
            throw new TransfuseException(where + typeAndShape + " has more bytes than a file can hold");
        }
        if (end - begin != needed) {
            throw new TransfuseException(where + range + " hold " + (end - begin) + " bytes but "
                    + typeAndShape + " needs " + needed);
        }
        return new SafetensorsEntry(name, dtype, shape, begin, end);
    }

    private static Object required(Map<?, ?> info, String field, String where) {
        if (!info.containsKey(field)) {
            throw new TransfuseException(where + "missing field '" + field + "'");
        }
        return info.get(field);
    }

    /** The array as longs if every element is a non-negative integer (and the length fits), else null. */
    private static long[] naturals(Object value, int length) {
        if (!(value instanceof List<?> list) || (length >= 0 && list.size() != length)) {
            return null;
        }
        long[] out = new long[list.size()];
        for (int i = 0; i < out.length; i++) {
            Object v = list.get(i);
            if (!(v instanceof Integer || v instanceof Long) || ((Number) v).longValue() < 0) {
                return null;
            }
            out[i] = ((Number) v).longValue();
        }
        return out;
    }

    private static Map<String, String> metadata(String file, Object value) {
        if (value == null) {
            // HF's reader treats a null __metadata__ as absent.
            return Map.of();
        }
        if (!(value instanceof Map<?, ?> fields)) {
            throw new TransfuseException(file + ": '" + METADATA_KEY + "' must be an object of strings, found "
                    + Json.typeName(value));
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        for (Map.Entry<?, ?> e : fields.entrySet()) {
            if (!(e.getValue() instanceof String s)) {
                throw new TransfuseException(file + ": '" + METADATA_KEY + "' entry " + quote((String) e.getKey())
                        + " must be a string, found " + show(e.getValue()));
            }
            metadata.put((String) e.getKey(), s);
        }
        return Collections.unmodifiableMap(metadata);
    }

    /** Entries sorted by range; an empty range overlaps nothing. */
    private static void checkNoOverlap(String file, List<SafetensorsEntry> sorted) {
        SafetensorsEntry previous = null;
        for (SafetensorsEntry e : sorted) {
            if (e.byteSize() == 0) {
                continue;
            }
            if (previous != null && e.begin() < previous.end()) {
                throw new TransfuseException(file + ": tensors " + quote(previous.name()) + " [" + previous.begin()
                        + ", " + previous.end() + "] and " + quote(e.name()) + " [" + e.begin() + ", " + e.end()
                        + "] overlap");
            }
            if (previous == null || e.end() > previous.end()) {
                previous = e;
            }
        }
    }

    /**
     * The bytes before the data region: the length, the compact JSON header in the given order
     * (metadata first when not empty) and spaces up to the alignment, as HF's writer pads.
     */
    static ByteBuffer encode(List<TensorSource> tensors, Map<String, String> metadata) {
        Map<String, Object> header = new LinkedHashMap<>();
        if (!metadata.isEmpty()) {
            header.put(METADATA_KEY, metadata);
        }
        long offset = 0;
        for (TensorSource t : tensors) {
            Map<String, Object> info = new LinkedHashMap<>();
            info.put("dtype", t.dtype().safetensorsName());
            info.put("shape", t.shape());
            long end = offset + t.byteSize();
            info.put("data_offsets", new long[] {offset, end});
            offset = end;
            if (header.put(t.name(), info) != null || t.name().equals(METADATA_KEY)) {
                throw new IllegalArgumentException("tensor name " + quote(t.name()) + " is used twice or reserved");
            }
        }
        byte[] json = Json.compact(header);
        int padding = (ALIGNMENT - json.length % ALIGNMENT) % ALIGNMENT;
        long n = (long) json.length + padding;
        if (n > MAX_HEADER_BYTES) {
            throw new IllegalArgumentException("safetensors header of " + n + " bytes exceeds the limit of "
                    + MAX_HEADER_BYTES);
        }
        ByteBuffer out = ByteBuffer.allocate(8 + (int) n).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(n).put(json);
        while (out.hasRemaining()) {
            out.put((byte) ' ');
        }
        return out.flip();
    }

    private static void readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
        while (buffer.hasRemaining()) {
            if (channel.read(buffer, position + buffer.position()) < 0) {
                throw new EOFException("file ended while reading its header");
            }
        }
    }
}
