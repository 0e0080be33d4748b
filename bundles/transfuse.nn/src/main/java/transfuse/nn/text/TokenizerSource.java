package transfuse.nn.text;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Function;

import transfuse.api.TransfuseException;
import transfuse.api.model.ModelConfig;

/**
 * The bytes of a {@code tokenizer.json} and the name they are reported under.
 *
 * @param json the tokenizer.json bytes
 * @param name the file or bundled vocabulary, for messages
 */
public record TokenizerSource(byte[] json, String name) {
    /** The tokenizer's file name in a model directory, beside config.json. */
    public static final String TOKENIZER_FILE = "tokenizer.json";

    /**
     * The tokenizer of a config: the {@code tokenizer.json} beside its {@code config.json} (a model
     * directory), else the bundled vocabulary the config names (configs built by a recipe, before
     * any model directory exists).
     *
     * @param vocabulary      the bundled vocabulary the config names, or null
     * @param vocabularyField the config field that names it, for the message when neither is there
     * @param bundled         opens a bundled vocabulary by name (the architecture bundle's own resources)
     */
    public static TokenizerSource of(ModelConfig config, String vocabulary, String vocabularyField,
                                     Function<String, TokenizerSource> bundled) {
        String src = config.source();
        if (src != null && src.endsWith(".json")) {
            Path beside = Path.of(src).resolveSibling(TOKENIZER_FILE);
            if (Files.isRegularFile(beside)) {
                try {
                    return new TokenizerSource(Files.readAllBytes(beside), beside.toString());
                } catch (IOException e) {
                    throw new TransfuseException(beside + ": unreadable tokenizer (" + e.getMessage() + ")", e);
                }
            }
        }
        if (vocabulary != null) {
            return bundled.apply(vocabulary);
        }
        throw new TransfuseException(src + ": no " + TOKENIZER_FILE + " beside the config and no '"
                + vocabularyField + "' field naming a bundled vocabulary");
    }

    /**
     * The vocabulary {@code vocab/NAME.tokenizer.json} beside {@code owner} in owner's bundle: each
     * architecture bundle carries its own files, so a bundle added alone still finds them.
     *
     * @param available the names the bundle carries, for the message when name is not one
     */
    public static TokenizerSource bundled(Class<?> owner, String name, String available) {
        String resource = "vocab/" + name + ".tokenizer.json";
        try (InputStream in = owner.getResourceAsStream(resource)) {
            if (in == null) {
                throw new TransfuseException("unknown bundled vocabulary '" + name + "' (available: " + available + ")");
            }
            return new TokenizerSource(in.readAllBytes(), "bundled vocabulary " + name);
        } catch (IOException e) {
            throw new TransfuseException("bundled vocabulary " + name + ": " + e.getMessage(), e);
        }
    }
}
