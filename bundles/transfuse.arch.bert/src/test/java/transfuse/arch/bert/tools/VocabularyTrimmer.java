package transfuse.arch.bert.tools;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import transfuse.api.data.Dataset;
import transfuse.api.data.Split;
import transfuse.api.model.ModelConfig;
import transfuse.data.DatasetCatalog;
import transfuse.djl.DjlRuntime;
import transfuse.io.config.ConfigJson;

/**
 * Builds the bundled {@code kjv-wordpiece} vocabulary (run once; its output is checked in):
 * {@code VocabularyTrimmer SOURCE_TOKENIZER.json OUT.json}. From the BERT-uncased WordPiece
 * vocabulary of bge-small-en-v1.5 (the tokenizer.json in the langchain4j jar) it keeps the
 * special tokens, every printable ASCII character (alone and as a ## continuation, so any ASCII
 * word still tokenizes without [UNK]) and every token that the training splits of kjv and
 * sentiment use; ids are renumbered in the original order. Texts tokenize exactly as with the
 * full vocabulary whenever all their pieces were kept, which holds for all training texts.
 */
public final class VocabularyTrimmer {
    private VocabularyTrimmer() {
    }

    public static void main(String[] args) throws Exception {
        DjlRuntime.initialize(DjlRuntime.class);
        Path source = Path.of(args[0]);
        byte[] json = Files.readAllBytes(source);
        ModelConfig tree = ConfigJson.parse(json, source.toString());
        Map<String, Object> model = cast(tree.fields().get("model"));
        Map<String, Object> vocab = cast(model.get("vocab"));
        String[] byId = new String[vocab.size()];
        vocab.forEach((tok, id) -> byId[((Number) id).intValue()] = tok);

        TreeSet<Integer> keep = new TreeSet<>();
        for (Object a : (List<?>) tree.fields().get("added_tokens")) {
            keep.add(((Number) ((Map<?, ?>) a).get("id")).intValue());
        }
        for (int id = 0; id < byId.length; id++) {
            String t = byId[id];
            String bare = t.startsWith("##") ? t.substring(2) : t;
            if (bare.length() == 1 && bare.charAt(0) >= 0x21 && bare.charAt(0) <= 0x7e) {
                keep.add(id);
            }
        }
        DatasetCatalog data = new DatasetCatalog();
        try (HuggingFaceTokenizer tok = HuggingFaceTokenizer.newInstance(source, Map.of("addSpecialTokens", "false",
                "truncation", "false", "padding", "false"))) {
            for (String name : List.of("kjv", "sentiment")) {
                Dataset d = data.open(name, Split.TRAIN);
                List<String> texts = d.texts(0, d.size());
                for (int from = 0; from < texts.size(); from += 512) {
                    for (Encoding e : tok.batchEncode(texts.subList(from, Math.min(texts.size(), from + 512)))) {
                        for (long id : e.getIds()) {
                            keep.add((int) id);
                        }
                    }
                }
            }
        }
        Map<Integer, Integer> newId = new LinkedHashMap<>();
        Map<String, Object> newVocab = new LinkedHashMap<>();
        for (int id : keep) {
            newId.put(id, newId.size());
            newVocab.put(byId[id], newId.get(id));
        }
        model.put("vocab", newVocab);
        List<Object> added = new ArrayList<>();
        for (Object a : (List<?>) tree.fields().get("added_tokens")) {
            Map<String, Object> m = new LinkedHashMap<>(cast(a));
            m.put("id", newId.get(((Number) m.get("id")).intValue()));
            added.add(m);
        }
        Map<String, Object> fields = new LinkedHashMap<>(tree.fields());
        fields.put("added_tokens", added);
        fields.put("truncation", null);
        fields.put("padding", null);
        Map<String, Object> post = cast(fields.get("post_processor"));
        Map<String, Object> specials = cast(post.get("special_tokens"));
        specials.forEach((k, v) -> {
            Map<String, Object> s = cast(v);
            List<Object> ids = new ArrayList<>();
            for (Object id : (List<?>) s.get("ids")) {
                ids.add(newId.get(((Number) id).intValue()));
            }
            s.put("ids", ids);
        });
        Path out = Path.of(args[1]);
        Files.createDirectories(out.getParent());
        Files.write(out, ConfigJson.format(new ModelConfig(fields, out.toString())));
        System.out.println("kept " + keep.size() + " of " + byId.length + " tokens -> " + out);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }
}
