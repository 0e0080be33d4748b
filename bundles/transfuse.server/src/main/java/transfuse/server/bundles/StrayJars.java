package transfuse.server.bundles;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;

/**
 * Jars in the deploy folder that are not installed bundles. FileInstall skips a jar without a
 * Bundle-SymbolicName silently and logs a rejected one only to its own log, so the folder is checked
 * here: once FileInstall has had time to act, each such jar is one problem line saying why.
 */
final class StrayJars {
    private record Verdict(long size, long modified, String reason) {
    }

    private final BundleContext context;
    private final DeployFolder deploy;
    private final long graceMillis;
    private final Map<Path, Verdict> verdicts = new ConcurrentHashMap<>();

    /** @param graceMillis how long a new jar is FileInstall's alone (a few of its polls) */
    StrayJars(BundleContext context, DeployFolder deploy, long graceMillis) {
        this.context = context;
        this.deploy = deploy;
        this.graceMillis = graceMillis;
    }

    List<String> lines(List<Bundle> bundles) {
        Set<Path> installed = new HashSet<>();
        for (Bundle b : bundles) {
            Path jar = deploy.jarOf(b);
            if (jar != null) {
                installed.add(jar);
            }
        }
        List<Path> jars = deploy.jars();
        verdicts.keySet().retainAll(jars);
        List<String> lines = new ArrayList<>();
        for (Path jar : jars) {
            if (!installed.contains(jar)) {
                String reason = reason(jar, bundles);
                if (reason != null) {
                    lines.add("deploy/" + jar.getFileName() + ": " + reason);
                }
            }
        }
        return lines;
    }

    /** Why the jar is not installed, or null while it is too new to tell. */
    private String reason(Path jar, List<Bundle> bundles) {
        long size;
        long modified;
        try {
            size = Files.size(jar);
            modified = Files.getLastModifiedTime(jar).toMillis();
        } catch (IOException e) {
            return null; // deleted meanwhile
        }
        if (System.currentTimeMillis() - modified < graceMillis) {
            return null;
        }
        BundleJar identity;
        try {
            identity = BundleJar.read(jar);
        } catch (BundleJar.NotABundle e) {
            return "not an OSGi bundle: " + e.getMessage();
        }
        for (Bundle b : bundles) {
            if (identity.symbolicName().equals(b.getSymbolicName()) && identity.version().equals(b.getVersion())) {
                return "not installed: " + BundleJson.label(b) + " has the same symbolic name and version"
                        + " (FileInstall updates that bundle from this jar instead)";
            }
        }
        Verdict cached = verdicts.get(jar);
        if (cached == null || cached.size() != size || cached.modified() != modified) {
            String rejection = BundleOps.installRejection(context, jar);
            cached = new Verdict(size, modified, rejection == null ? "not installed by FileInstall" : "rejected: " + rejection);
            verdicts.put(jar, cached);
        }
        return cached.reason();
    }
}
