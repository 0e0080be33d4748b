package transfuse.hotadd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.fasterxml.jackson.databind.ObjectMapper;

import transfuse.testkit.server.Transfuse;

/**
 * One-shot commands of the same distribution pick the Llama bundle up from {@code HOME/deploy}:
 * without the jar {@code plugins} lists no llama and {@code train --arch llama} exits 2 naming the
 * architecture; with it copied in, {@code plugins} lists llama from its bundle, and two trainings,
 * an OT fuse of the two and an eval of the fused model run as commands.
 */
class DeployedCommandsTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path work;

    @Test
    void oneShotCommandsUseTheBundleInHomeDeploy() throws Exception {
        Path home = Files.createDirectories(work.resolve("home"));
        Path config = LlamaJobs.writeTinyConfig(home);
        assertFalse(LlamaBundle.listed(lastJson(Transfuse.run(home, "plugins", "--json"))));
        Object[] refused = Transfuse.runStatus(home, LlamaJobs.trainArgs(config, 1, home.resolve("never")));
        assertEquals(2, refused[0], (String) refused[1]);
        assertTrue(((String) refused[1]).contains("unknown architecture 'llama'"), (String) refused[1]);
        assertFalse(Files.exists(home.resolve("never")), "a refused command leaves nothing");

        LlamaBundle.deployInto(home.resolve("deploy"));
        assertTrue(LlamaBundle.listed(lastJson(Transfuse.run(home, "plugins", "--json"))), "plugins lists llama");
        Path a = home.resolve("a");
        Path b = home.resolve("b");
        for (Path out : List.of(a, b)) {
            Map<?, ?> trained = lastJson(Transfuse.run(home, LlamaJobs.trainArgs(config, out == a ? 1 : 2, out)));
            assertEquals(LlamaBundle.ARCH, trained.get("arch"), trained.toString());
            assertTrue(Files.readString(out.resolve("config.json")).contains("\"model_type\": \"llama\""));
        }
        Path fused = home.resolve("fused");
        Map<?, ?> fuse = lastJson(Transfuse.run(home, LlamaJobs.fuseArgs(a, b, fused)));
        assertTrue(Files.isRegularFile(fused.resolve("model.safetensors")), fuse.toString());
        LlamaJobs.checkEvaluation(lastJson(Transfuse.run(home, LlamaJobs.evalArgs(fused))));
    }

    /** The --json object on the command's last stdout line (stderr's progress lines come before it). */
    private static Map<?, ?> lastJson(String output) throws Exception {
        List<String> lines = output.lines().filter(l -> l.startsWith("{")).toList();
        assertFalse(lines.isEmpty(), "no JSON line in:\n" + output);
        return JSON.readValue(lines.get(lines.size() - 1), Map.class);
    }
}
