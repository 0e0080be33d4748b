package transfuse.fusion;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import transfuse.api.TransfuseException;
import transfuse.api.align.Aligner;
import transfuse.api.align.MapPolicy;
import transfuse.api.align.SpaceMap;
import transfuse.api.align.SpaceMatch;
import transfuse.api.option.OptionDecl;
import transfuse.api.progress.ProgressListener;

/**
 * Fusion options are checked when parsed, before any model is opened: every key must be the
 * engine's or the chosen aligner's, and apply to the chosen evidence; the record they produce is
 * the one fusions have always written.
 */
class FusionOptionsTest {
    private static final List<String> SAMPLING = List.of("data=digits", "samples=100", "tokens=cls", "seed=3");

    private static Map<String, String> spec(String s) {
        Map<String, String> o = new LinkedHashMap<>();
        String key = null;
        for (String kv : s.split(",")) {
            String[] p = kv.split("=", 2);
            if (p.length == 1) {
                o.put(key, o.get(key) + "," + p[0]); // alpha=0.25,0.75
            } else {
                key = p[0];
                o.put(key, p[1]);
            }
        }
        return o;
    }

    private static String refused(String s) {
        TransfuseException e = assertThrows(TransfuseException.class, () -> TestModels.options(spec(s), 2), s);
        assertFalse(e.getMessage().contains("\n"), "one line: " + e.getMessage());
        return e.getMessage();
    }

    @Test
    void vanillaRefusesEveryKeyOfActivationSampling() {
        for (String kv : SAMPLING) {
            String key = kv.substring(0, kv.indexOf('='));
            String msg = refused("method=vanilla," + kv);
            assertTrue(msg.startsWith("option " + key + ": does not apply: method vanilla"), msg);
        }
    }

    @Test
    void weightEvidenceRefusesEveryKeyOfActivationSampling() {
        for (String kv : SAMPLING) {
            String key = kv.substring(0, kv.indexOf('='));
            String msg = refused("method=ot,align=weights," + kv);
            assertTrue(msg.startsWith("option " + key + ": does not apply") && msg.contains("align weights"), msg);
        }
    }

    @Test
    void depthAlignmentMakesTheSamplingKeysApplyToAnyMethod() {
        FusionOptions o = TestModels.options(spec("method=vanilla,depth-align=true,data=digits,samples=100,tokens=cls,"
                + "seed=3"), 2);
        assertEquals(100, o.toMap().get("samples"));
        assertEquals("cls", o.toMap().get("tokens"));
    }

    @Test
    void anExactSolverRefusesReg() {
        assertTrue(refused("method=ot,solver=emd,reg=0.1,data=digits").startsWith("option reg: solver emd is exact"));
        assertEquals(0.1, TestModels.options(spec("method=ot,solver=sinkhorn,reg=0.1,data=digits"), 2).toMap().get("reg"));
    }

    @Test
    void anUnknownMethodIsNamedWithTheAvailableOnesBeforeAnythingElse() {
        String msg = refused("method=ties");
        assertTrue(msg.startsWith("option method: unknown aligner 'ties'") && msg.contains("ot, perm, vanilla"), msg);
        assertFalse(msg.contains("data"), msg);
    }

    @Test
    void anUnknownSolverIsRefusedWhenParsed() {
        String msg = refused("method=ot,solver=magic,data=digits");
        assertTrue(msg.startsWith("option solver: unknown solver 'magic'") && msg.contains("sinkhorn"), msg);
    }

    @Test
    void anotherAlignersOptionIsNotAnOptionOfThisOne() {
        String msg = refused("method=ot,residual-perm=all,data=digits");
        assertTrue(msg.startsWith("option residual-perm: not an option of method ot") && msg.contains("solver"), msg);
        assertTrue(refused("method=vanilla,residual=mean").startsWith("option residual: not an option of method vanilla"));
    }

    @Test
    void evidenceTheAlignerCannotUseIsRefused() {
        assertEquals("option align: method perm takes align acts, not weights", refused("method=perm,align=weights"));
        assertEquals("option align: method vanilla takes align none, not acts", refused("method=vanilla,align=acts"));
        assertTrue(refused("method=ot,align=weights,residual=weighted-scalar").startsWith("option residual:"));
    }

    /** The keys, their order and the defaults' values: what config.json and the safetensors metadata held before. */
    @Test
    void theRecordKeepsItsShape() {
        Map<String, Object> ot = TestModels.options(spec("method=ot,data=digits"), 2).toMap();
        assertEquals(List.of("method", "align", "solver", "reg", "qk", "residual", "tokens", "samples", "data", "seed",
                "alpha"), new ArrayList<>(ot.keySet()));
        assertEquals(List.of("ot", "acts", "sinkhorn", 0.08, "separate", "mean", "all", 500, "digits", 0L,
                List.of(0.5, 0.5)), new ArrayList<>(ot.values()));
        Map<String, Object> weights = TestModels.options(spec("method=ot,solver=emd,align=weights"), 2).toMap();
        assertEquals(0.06, weights.get("reg"), "recorded for an exact solver too, as before");
        Map<String, Object> perm = TestModels.options(spec("method=perm,data=digits"), 2).toMap();
        assertEquals(List.of("method", "align", "heads", "residual-perm", "tokens", "samples", "data", "seed", "alpha"),
                new ArrayList<>(perm.keySet()));
        Map<String, Object> vanilla = TestModels.options(spec("method=vanilla,alpha=0.25,0.75"), 2).toMap();
        assertEquals(List.of("vanilla", "none", "mean", List.of(0.25, 0.75)), new ArrayList<>(vanilla.values()));
    }

    @Test
    void theAlignersMapPolicyComesFromItsOwnOptions() {
        FusionOptions ot = TestModels.options(spec("method=ot,qk=shared,residual=skip-only,data=digits"), 2);
        assertEquals(new MapPolicy(MapPolicy.Qk.SHARED, MapPolicy.Residual.SKIP_ONLY, null), ot.policy());
        FusionOptions perm = TestModels.options(spec("method=perm,residual-perm=separate,data=digits"), 2);
        assertEquals(MapPolicy.ResidualStream.SEPARATE, perm.policy().stream());
        assertFalse(perm.functionPreserving());
        assertEquals(MapPolicy.DEFAULT, TestModels.options(spec("method=vanilla"), 2).policy());
    }

    @Test
    void everyAlignersOptionsAreListedForHelpTexts() {
        TestServices s = TestServices.get();
        Map<String, List<OptionDecl>> byAligner = FusionOptions.alignerOptions(
                List.of(s.aligner("vanilla"), s.aligner("perm"), s.aligner("ot")));
        assertEquals(List.of("ot", "perm", "vanilla"), new ArrayList<>(byAligner.keySet()));
        assertEquals(List.of("solver", "reg", "qk", "residual", "heads"), names(byAligner.get("ot")));
        assertEquals(List.of("heads", "residual-perm"), names(byAligner.get("perm")));
        assertEquals(List.of(), names(byAligner.get("vanilla")));
        assertEquals(List.of("method", "align", "data", "samples", "seed", "tokens", "alpha", "depth-align"),
                names(FusionOptions.engineOptions()));
    }

    /** A plugin's own option is parsed, validated and recorded though the engine has never heard of it. */
    @Test
    void aThirdPartyAlignerDeclaresItsOwnOptions() {
        Aligner tempered = new Tempered();
        Map<String, Object> given = new LinkedHashMap<>(Map.of("method", "tempered", "temperature", 2, "data", "digits"));
        FusionOptions o = FusionOptions.parse(given, 2, name -> name.equals("tempered") ? tempered : null);
        assertEquals(2.0, o.toMap().get("temperature"));
        given.put("temperature", -1);
        TransfuseException e = assertThrows(TransfuseException.class,
                () -> FusionOptions.parse(given, 2, name -> name.equals("tempered") ? tempered : null));
        assertTrue(e.getMessage().startsWith("option temperature: must be a finite number above 0"), e.getMessage());
        assertTrue(refused("method=ot,temperature=2,data=digits").startsWith("option temperature: not an option"));
    }

    private static List<String> names(List<OptionDecl> decls) {
        return decls.stream().map(OptionDecl::name).toList();
    }

    /** A stand-in plugin with one option of its own. */
    private static final class Tempered implements Aligner {
        @Override
        public String name() {
            return "tempered";
        }

        @Override
        public String description() {
            return "test aligner";
        }

        @Override
        public List<OptionDecl> options() {
            return List.of(OptionDecl.number("temperature", 1.0, Double.MIN_VALUE, Double.MAX_VALUE, "softness"));
        }

        /** The identity, whatever the temperature: only its option matters here. */
        @Override
        public SpaceMap align(SpaceMatch match, ProgressListener progress) {
            int n = match.spaceA().size();
            double[] t = new double[n * n];
            for (int i = 0; i < n; i++) {
                t[i * n + i] = 1;
            }
            return new SpaceMap(match.spaceA().name(), n, n, t, Map.of());
        }
    }
}
