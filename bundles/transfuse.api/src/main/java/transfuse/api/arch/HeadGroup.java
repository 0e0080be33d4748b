package transfuse.api.arch;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Headed spaces whose heads must move together: attention head h reads q_h, k_h and v_h as one
 * unit, so a function-preserving map permutes the heads of every space in the group by one
 * common head permutation. Inside each head a member's neurons may move freely and independently
 * of every other member and head, unless {@code inside} gives the member's {@link HeadFactor}s:
 * then only its named factors move, each by the permutation it shares with the members naming it
 * (one per head), and its fixed factors never move (rotary embeddings, grouped-query attention).
 * Aligners may ignore {@code inside} (the default {@link transfuse.api.align.Aligner#alignHeads} does); the
 * engine's perm and ot honour it (docs/fusion.md, "Head factors").
 *
 * @param name   e.g. {@code layer.3.attn}
 * @param heads  number of heads of every member space
 * @param spaces the member spaces, e.g. {@code layer.3.attn.qk} and {@code layer.3.attn.v}
 * @param inside per member space, the factors of its heads (their sizes multiply to the head
 *               size); members left out are free inside their heads
 */
public record HeadGroup(String name, int heads, List<String> spaces, Map<String, List<HeadFactor>> inside) {
    public HeadGroup {
        spaces = List.copyOf(spaces);
        Map<String, List<HeadFactor>> copy = new LinkedHashMap<>();
        for (String space : spaces) {
            if (inside.containsKey(space)) {
                copy.put(space, List.copyOf(inside.get(space)));
            }
        }
        for (String space : inside.keySet()) {
            if (!copy.containsKey(space)) {
                throw new IllegalArgumentException("head group " + name + ": factors given for " + space
                        + ", which is not a member");
            }
        }
        inside = java.util.Collections.unmodifiableMap(copy);
    }

    /** A group whose members are free inside their heads (ViT, BERT). */
    public HeadGroup(String name, int heads, List<String> spaces) {
        this(name, heads, spaces, Map.of());
    }

    /**
     * The factors of one member's heads: the declared ones, or a single free factor of the
     * member's own (named after the space) when none were declared.
     *
     * @throws IllegalArgumentException when the declared sizes do not multiply to {@code headDim}
     */
    public List<HeadFactor> factorsOf(String space, int headDim) {
        List<HeadFactor> f = inside.get(space);
        if (f == null) {
            return List.of(HeadFactor.free(space, headDim));
        }
        long product = 1;
        for (HeadFactor x : f) {
            product *= x.size();
        }
        if (product != headDim) {
            throw new IllegalArgumentException("head group " + name + ": the factors of " + space + " multiply to "
                    + product + " but its heads hold " + headDim + " neurons");
        }
        return f;
    }
}
