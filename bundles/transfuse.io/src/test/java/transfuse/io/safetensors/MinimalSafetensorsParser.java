package transfuse.io.safetensors;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * A reader written from the format description alone, sharing no code with the bundle's reader:
 * u64 little-endian header length, JSON header, data region. Used to show that written files
 * are plain safetensors.
 */
final class MinimalSafetensorsParser {
    record Tensor(String name, String dtype, long[] shape, long begin, long end, byte[] bytes) {
    }

    final long headerLength;
    final String headerText;
    final JsonNode metadata;
    final List<Tensor> tensors = new ArrayList<>();

    MinimalSafetensorsParser(Path file) throws IOException {
        byte[] all = Files.readAllBytes(file);
        headerLength = ByteBuffer.wrap(all, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        headerText = new String(all, 8, (int) headerLength, StandardCharsets.UTF_8);
        JsonNode header = new ObjectMapper().readTree(headerText);
        metadata = header.get("__metadata__");
        int dataStart = 8 + (int) headerLength;
        Iterator<Map.Entry<String, JsonNode>> fields = header.fields();
        while (fields.hasNext()) {
            Map.Entry<String, JsonNode> f = fields.next();
            if (f.getKey().equals("__metadata__")) {
                continue;
            }
            JsonNode info = f.getValue();
            long[] shape = new long[info.get("shape").size()];
            for (int i = 0; i < shape.length; i++) {
                shape[i] = info.get("shape").get(i).asLong();
            }
            long begin = info.get("data_offsets").get(0).asLong();
            long end = info.get("data_offsets").get(1).asLong();
            byte[] bytes = Arrays.copyOfRange(all, dataStart + (int) begin, dataStart + (int) end);
            tensors.add(new Tensor(f.getKey(), info.get("dtype").asText(), shape, begin, end, bytes));
        }
    }
}
