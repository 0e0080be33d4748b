package transfuse.arch.common;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.tensor.Tensor;

class TokenInputsTest {
    private static final long[] SHAPE = {2, 3};
    private static final Tensor IDS = Tensor.ofLongs(SHAPE, new long[] {1, 2, 3, 4, 5, 0});

    @Test
    void maskDefaultsToOnesAndIsReadAsGiven() {
        assertArrayEquals(new float[] {1, 1, 1, 1, 1, 1}, TokenInputs.attentionMask(Map.of("input_ids", IDS), SHAPE));
        Tensor m = Tensor.ofLongs(SHAPE, new long[] {1, 1, 0, 1, 0, 0});
        assertArrayEquals(new float[] {1, 1, 0, 1, 0, 0},
                TokenInputs.attentionMask(Map.of("input_ids", IDS, "attention_mask", m), SHAPE));
    }

    @Test
    void errorsNameTheInputAndThePosition() {
        TransfuseException absent = assertThrows(TransfuseException.class,
                () -> TokenInputs.inputIds(Map.of(), "bert", false, 8));
        assertEquals("the bert architecture needs input 'input_ids' (int64 [N, T]), got []", absent.getMessage());
        Map<String, Tensor> noRows = Map.of("input_ids", Tensor.ofLongs(new long[] {0, 3}, new long[0]));
        assertEquals(0, TokenInputs.inputIds(noRows, "bert", false, 8).shape()[0]);
        assertEquals("input_ids must be [N, T] with N, T > 0, found shape [0, 3]", assertThrows(TransfuseException.class,
                () -> TokenInputs.inputIds(noRows, "llama", true, 8)).getMessage());
        assertEquals("input_ids has sequences of 3 tokens but max_position_embeddings is 2",
                assertThrows(TransfuseException.class,
                        () -> TokenInputs.inputIds(Map.of("input_ids", IDS), "bert", false, 2)).getMessage());
        assertEquals("input_ids holds id 5 at [1, 1] but vocab_size is 5", assertThrows(TransfuseException.class,
                () -> TokenInputs.checkRange(IDS.toLongs(), 3, 5, "input_ids", "vocab_size")).getMessage());
        Tensor bad = Tensor.ofLongs(SHAPE, new long[] {1, 1, 1, 1, 2, 1});
        assertEquals("attention_mask must hold 0 or 1, found 2.0 at [1, 1]", assertThrows(TransfuseException.class,
                () -> TokenInputs.attentionMask(Map.of("attention_mask", bad), SHAPE)).getMessage());
    }

    @Test
    void textsArePaddedOnTheRightToTheLongestOfTheBatch() {
        long[][] texts = {{2, 7, 3}, {2, 3}, {2, 9, 9, 9, 3}};
        Map<String, Tensor> in = TokenInputs.tensors(texts, 0, 2, 0);
        assertEquals(java.util.List.of("input_ids", "attention_mask"), java.util.List.copyOf(in.keySet()));
        assertArrayEquals(new long[] {2, 3}, in.get("input_ids").shape());
        assertArrayEquals(new long[] {2, 7, 3, 2, 3, 0}, in.get("input_ids").toLongs());
        assertArrayEquals(new long[] {1, 1, 1, 1, 1, 0}, in.get("attention_mask").toLongs());
        assertEquals(5, TokenInputs.longest(texts, new int[] {1, 2}));
        assertArrayEquals(new long[] {2, 3, 1, 1}, TokenInputs.padded(texts, new int[] {1}, 4, 1));
    }
}
