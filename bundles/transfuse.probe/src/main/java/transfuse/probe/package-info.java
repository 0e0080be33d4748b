/**
 * Linear-probe evaluation ({@link transfuse.probe.LinearProbe}): how much of a labelled task a
 * frozen model's pooled last hidden state separates linearly. Uses only the architecture contract,
 * so it serves any registered architecture, and any caller (command line, server).
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package transfuse.probe;
