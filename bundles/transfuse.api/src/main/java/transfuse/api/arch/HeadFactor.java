package transfuse.api.arch;

/**
 * One factor of the neurons inside a head of a {@link HeadGroup} member: a head of size
 * {@code s} is the row-major product of its factors' sizes (the first factor varies slowest).
 * A factor with a {@code symmetry} name may be permuted; members of one group that name the same
 * symmetry share one permutation of it per head. A {@link #fixed} factor never moves.
 * <p>
 * Rotary position embeddings pair dim j of a query or key head with dim j + d/2 at frequency
 * theta_j, so no dim of a Q/K head may move: Q/K heads are one fixed factor. Under grouped-query
 * attention a query "head" of the group is a KV group's query heads, the factors
 * {@code [query(r), fixed(d)]}; the output projection's columns are {@code [query(r), value(d)]},
 * tying their order to both the query heads and the value dims.
 *
 * @param symmetry the shared permutation's name, or null for a factor that never moves
 * @param size     the factor's length, positive
 */
public record HeadFactor(String symmetry, int size) {
    public HeadFactor {
        if (size <= 0) {
            throw new IllegalArgumentException("head factor " + symmetry + ": size " + size + " must be positive");
        }
    }

    /** A factor that may be permuted, shared by every member naming the same symmetry. */
    public static HeadFactor free(String symmetry, int size) {
        if (symmetry == null || symmetry.isEmpty()) {
            throw new IllegalArgumentException("a free head factor needs a symmetry name");
        }
        return new HeadFactor(symmetry, size);
    }

    /** A factor whose order is part of the function (rotary dims). */
    public static HeadFactor fixed(int size) {
        return new HeadFactor(null, size);
    }

    public boolean isFixed() {
        return symmetry == null;
    }
}
