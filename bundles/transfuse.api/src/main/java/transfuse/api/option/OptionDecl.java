package transfuse.api.option;

import java.util.List;
import java.util.Locale;

/**
 * One declared option of a job or an aligner. The same declaration drives the command line's
 * parser and {@code --help}, the validation of spec files and HTTP bodies, the server's path
 * confinement and its OpenAPI document.
 *
 * @param name         the key: a command-line long option without the dashes, a spec key
 * @param type         what kind of value it takes
 * @param defaultValue the value when absent (a String, Long, Double, Boolean or List), or null for none
 * @param doc          one line for help texts
 * @param choices      the allowed values of a {@link OptionType#CHOICE}, else empty
 * @param min          the smallest allowed {@link OptionType#INTEGER} or {@link OptionType#NUMBER}
 * @param max          the largest allowed one
 */
public record OptionDecl(String name, OptionType type, Object defaultValue, String doc, List<String> choices,
                         double min, double max) {
    public OptionDecl {
        if (name == null || name.isEmpty() || name.startsWith("-")) {
            throw new IllegalArgumentException("option name '" + name + "' must be a bare key");
        }
        choices = List.copyOf(choices);
        if ((type == OptionType.CHOICE) == choices.isEmpty()) {
            throw new IllegalArgumentException("option " + name + ": choices go with type CHOICE only");
        }
    }

    public static OptionDecl flag(String name, String doc) {
        return new OptionDecl(name, OptionType.FLAG, false, doc, List.of(), 0, 0);
    }

    public static OptionDecl text(String name, String defaultValue, String doc) {
        return new OptionDecl(name, OptionType.TEXT, defaultValue, doc, List.of(), 0, 0);
    }

    /** A whole number in {@code [min, max]}; {@code defaultValue} null when there is none. */
    public static OptionDecl integer(String name, Long defaultValue, long min, long max, String doc) {
        return new OptionDecl(name, OptionType.INTEGER, defaultValue, doc, List.of(), min, max);
    }

    /** A finite number in {@code [min, max]}; {@code defaultValue} null when there is none. */
    public static OptionDecl number(String name, Double defaultValue, double min, double max, String doc) {
        return new OptionDecl(name, OptionType.NUMBER, defaultValue, doc, List.of(), min, max);
    }

    public static OptionDecl choice(String name, String defaultValue, List<String> choices, String doc) {
        return new OptionDecl(name, OptionType.CHOICE, defaultValue, doc, choices, 0, 0);
    }

    public static OptionDecl list(String name, String doc) {
        return new OptionDecl(name, OptionType.LIST, null, doc, List.of(), 0, 0);
    }

    public static OptionDecl input(String name, String doc) {
        return new OptionDecl(name, OptionType.INPUT, null, doc, List.of(), 0, 0);
    }

    public static OptionDecl inputs(String name, String doc) {
        return new OptionDecl(name, OptionType.INPUTS, null, doc, List.of(), 0, 0);
    }

    public static OptionDecl data(String name, String doc) {
        return new OptionDecl(name, OptionType.DATA, null, doc, List.of(), 0, 0);
    }

    public static OptionDecl output(String name, String doc) {
        return new OptionDecl(name, OptionType.OUTPUT, null, doc, List.of(), 0, 0);
    }

    /** The same option with another default (e.g. a job's recipe default filled in at run time). */
    public OptionDecl withDefault(Object value) {
        return new OptionDecl(name, type, value, doc, choices, min, max);
    }

    /** How the option is written in a usage line: {@code --name VALUE}, {@code --name a|b}, {@code --name}. */
    public String synopsis() {
        return switch (type) {
            case FLAG -> "--" + name;
            case CHOICE -> "--" + name + " " + String.join("|", choices);
            case LIST, INPUTS -> "--" + name + " " + metavar() + " ...";
            default -> "--" + name + " " + metavar();
        };
    }

    private String metavar() {
        return switch (type) {
            case INTEGER -> "N";
            case NUMBER -> "X";
            case DATA -> "NAME[:N]";
            case INPUT, INPUTS, OUTPUT -> "PATH";
            default -> name.toUpperCase(Locale.ROOT).replace('-', '_');
        };
    }
}
