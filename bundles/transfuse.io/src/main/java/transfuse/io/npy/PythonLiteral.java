package transfuse.io.npy;

import static transfuse.io.internal.Messages.quote;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses the Python literal that an .npy header holds, e.g.
 * {@code {'descr': '<f8', 'fortran_order': False, 'shape': (3, 4), }}: dicts, tuples, lists,
 * strings, integers, True, False and None. NumPy reads it with {@code ast.literal_eval}; this is
 * the subset its writer produces. Dicts become maps, tuples and lists become lists, integers
 * longs.
 */
final class PythonLiteral {
    private final String text;
    private int pos;

    private PythonLiteral(String text) {
        this.text = text;
    }

    /**
     * @throws IllegalArgumentException with a short description of the first syntax error
     */
    static Object parse(String text) {
        PythonLiteral p = new PythonLiteral(text);
        Object value = p.value();
        p.skipSpace();
        if (p.pos != text.length()) {
            throw p.error("unexpected text after the literal");
        }
        return value;
    }

    private Object value() {
        skipSpace();
        if (pos >= text.length()) {
            throw error("unexpected end");
        }
        char c = text.charAt(pos);
        if (c == '{') {
            return dict();
        }
        if (c == '(' || c == '[') {
            return sequence(c == '(' ? ')' : ']');
        }
        if (c == '\'' || c == '"') {
            return string();
        }
        if (c == '-' || Character.isDigit(c)) {
            return integer();
        }
        if (Character.isLetter(c)) {
            return constant();
        }
        throw error("unexpected character " + quote(String.valueOf(c)));
    }

    private Map<String, Object> dict() {
        pos++;
        Map<String, Object> map = new LinkedHashMap<>();
        while (true) {
            skipSpace();
            if (peek('}')) {
                pos++;
                return map;
            }
            Object key = value();
            if (!(key instanceof String k)) {
                throw error("dict keys must be strings");
            }
            skipSpace();
            expect(':');
            if (map.put(k, value()) != null) {
                throw error("key " + quote(k) + " repeated");
            }
            skipSpace();
            if (peek(',')) {
                pos++;
            } else if (!peek('}')) {
                throw error("expected ',' or '}'");
            }
        }
    }

    private List<Object> sequence(char close) {
        pos++;
        List<Object> items = new ArrayList<>();
        while (true) {
            skipSpace();
            if (peek(close)) {
                pos++;
                return items;
            }
            items.add(value());
            skipSpace();
            if (peek(',')) {
                pos++;
            } else if (!peek(close)) {
                throw error("expected ',' or '" + close + "'");
            }
        }
    }

    private String string() {
        char closing = text.charAt(pos++);
        StringBuilder b = new StringBuilder();
        while (pos < text.length()) {
            char c = text.charAt(pos++);
            if (c == closing) {
                return b.toString();
            }
            if (c == '\\' && pos < text.length()) {
                c = text.charAt(pos++);
            }
            b.append(c);
        }
        throw error("unterminated string");
    }

    private Long integer() {
        int start = pos;
        if (peek('-')) {
            pos++;
        }
        while (pos < text.length() && Character.isDigit(text.charAt(pos))) {
            pos++;
        }
        String digits = text.substring(start, pos);
        // Python 2's NumPy wrote long dimensions as 3L.
        if (peek('L')) {
            pos++;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            throw error("bad integer " + quote(digits));
        }
    }

    private Object constant() {
        int start = pos;
        while (pos < text.length() && Character.isLetterOrDigit(text.charAt(pos))) {
            pos++;
        }
        String word = text.substring(start, pos);
        return switch (word) {
            case "True" -> Boolean.TRUE;
            case "False" -> Boolean.FALSE;
            case "None" -> null;
            default -> throw error("unknown name " + quote(word));
        };
    }

    private void skipSpace() {
        while (pos < text.length() && Character.isWhitespace(text.charAt(pos))) {
            pos++;
        }
    }

    private boolean peek(char c) {
        return pos < text.length() && text.charAt(pos) == c;
    }

    private void expect(char c) {
        if (!peek(c)) {
            throw error("expected '" + c + "'");
        }
        pos++;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException(what + " at character " + pos);
    }
}
