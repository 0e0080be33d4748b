/** The aligner services {@code ot}, {@code perm} and {@code vanilla}. Not exported: found by name in the registry. */
package transfuse.fusion.align;
