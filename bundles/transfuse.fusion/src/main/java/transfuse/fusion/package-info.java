/**
 * The fusion engine: aligns models of any registered architecture through their neuron-space
 * declarations and averages them ({@link transfuse.fusion.FusionEngine}), and measures loss
 * barriers ({@link transfuse.fusion.LossBarrier}). Nothing here names an architecture or a solver.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package transfuse.fusion;
