package transfuse.nn;

/**
 * The HF tensor names of one self-attention block (each {@code .weight}/{@code .bias} pair is
 * given by its prefix), so ViT and BERT share the computation.
 */
public record AttentionNames(String query, String key, String value, String output) {
}
