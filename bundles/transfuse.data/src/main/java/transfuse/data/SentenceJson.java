package transfuse.data;

import java.util.ArrayList;
import java.util.List;

import transfuse.api.TransfuseException;

/**
 * Reads the sentiment files' shape exactly: a JSON array of objects with a string {@code text}
 * and an integer {@code class}. A full JSON library would be the only dependency of this bundle.
 */
final class SentenceJson {
    /** label is null for the files' trailing {"text":"","class":null} placeholder entry. */
    record Sentence(String text, Integer label) {
    }

    private final String s;
    private final String source;
    private int i;

    private SentenceJson(String s, String source) {
        this.s = s;
        this.source = source;
    }

    static List<Sentence> parse(String json, String source) {
        return new SentenceJson(json, source).array();
    }

    private List<Sentence> array() {
        List<Sentence> out = new ArrayList<>();
        expect('[');
        if (peek() == ']') {
            i++;
            return out;
        }
        do {
            out.add(object());
        } while (comma());
        expect(']');
        return out;
    }

    private Sentence object() {
        expect('{');
        String text = null;
        Integer label = null;
        do {
            String key = string();
            expect(':');
            if (key.equals("text")) {
                text = string();
            } else if (key.equals("class")) {
                label = nullableInteger();
            } else {
                throw fail("unexpected field '" + key + "'");
            }
        } while (comma());
        expect('}');
        if (text == null) {
            throw fail("an entry lacks 'text'");
        }
        return new Sentence(text, label);
    }

    private boolean comma() {
        if (peek() == ',') {
            i++;
            return true;
        }
        return false;
    }

    private Integer nullableInteger() {
        if (peek() == 'n' && s.startsWith("null", i)) {
            i += 4;
            return null;
        }
        return integer();
    }

    private int integer() {
        peek();
        int start = i;
        while (i < s.length() && (Character.isDigit(s.charAt(i)) || s.charAt(i) == '-')) {
            i++;
        }
        try {
            return Integer.parseInt(s.substring(start, i));
        } catch (NumberFormatException e) {
            throw fail("expected an integer");
        }
    }

    private String string() {
        expect('"');
        StringBuilder b = new StringBuilder();
        while (i < s.length()) {
            char c = s.charAt(i++);
            if (c == '"') {
                return b.toString();
            }
            if (c != '\\') {
                b.append(c);
                continue;
            }
            char e = s.charAt(i++);
            switch (e) {
                case 'n' -> b.append('\n');
                case 't' -> b.append('\t');
                case 'r' -> b.append('\r');
                case 'b' -> b.append('\b');
                case 'f' -> b.append('\f');
                case 'u' -> {
                    b.append((char) Integer.parseInt(s.substring(i, i + 4), 16));
                    i += 4;
                }
                default -> b.append(e);
            }
        }
        throw fail("unterminated string");
    }

    private char peek() {
        while (i < s.length() && Character.isWhitespace(s.charAt(i))) {
            i++;
        }
        if (i >= s.length()) {
            throw fail("unexpected end");
        }
        return s.charAt(i);
    }

    private void expect(char c) {
        if (peek() != c) {
            throw fail("expected '" + c + "'");
        }
        i++;
    }

    private TransfuseException fail(String what) {
        return new TransfuseException(source + ": malformed JSON at offset " + i + ": " + what);
    }
}
