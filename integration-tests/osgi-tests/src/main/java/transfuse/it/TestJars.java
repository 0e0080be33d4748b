package transfuse.it;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import transfuse.api.Plugin;

/** Small bundle jars written by hand (manifest, a DS descriptor, class files copied from this bundle). */
final class TestJars {
    private TestJars() {
    }

    /** Bytes that are no zip at all. */
    static byte[] randomBytes(int size) {
        byte[] bytes = new byte[size];
        new Random(42).nextBytes(bytes);
        return bytes;
    }

    /** A bundle that imports a package nobody exports, so it installs and never resolves. */
    static byte[] unresolvable(String symbolicName, String missingPackage) throws IOException {
        return jar(manifest(symbolicName, missingPackage), Map.of());
    }

    /**
     * A bundle with one DS component: the given solver class under the plugin name, built from the
     * class file in this test bundle (a copy in its own class loader).
     */
    static byte[] solverPlugin(String symbolicName, Class<?> solver, String pluginName) throws IOException {
        Manifest m = manifest(symbolicName, "transfuse.api,transfuse.api.progress,transfuse.api.solver");
        m.getMainAttributes().putValue("Service-Component", "OSGI-INF/component.xml");
        String component = """
                <?xml version="1.0" encoding="UTF-8"?>
                <scr:component xmlns:scr="http://www.osgi.org/xmlns/scr/v1.4.0" name="%s">
                  <property name="%s" type="String" value="%s"/>
                  <service><provide interface="transfuse.api.solver.TransportSolver"/></service>
                  <implementation class="%s"/>
                </scr:component>
                """.formatted(solver.getName(), Plugin.NAME_PROPERTY, pluginName, solver.getName());
        Map<String, byte[]> entries = new LinkedHashMap<>();
        entries.put("OSGI-INF/component.xml", component.getBytes(java.nio.charset.StandardCharsets.UTF_8));
        String classFile = solver.getName().replace('.', '/') + ".class";
        try (InputStream in = solver.getClassLoader().getResourceAsStream(classFile)) {
            entries.put(classFile, in.readAllBytes());
        }
        return jar(m, entries);
    }

    private static Manifest manifest(String symbolicName, String imports) {
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", symbolicName);
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", imports);
        return m;
    }

    private static byte[] jar(Manifest manifest, Map<String, byte[]> entries) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            for (Map.Entry<String, byte[]> e : entries.entrySet()) {
                jar.putNextEntry(new JarEntry(e.getKey()));
                jar.write(e.getValue());
                jar.closeEntry();
            }
        }
        return bytes.toByteArray();
    }
}
