package transfuse.data;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

import transfuse.api.TransfuseException;

/** Where a data set's files are read from: the bundle's resources or a directory/file given by the user. */
abstract class DataSource {
    /** A short description for error messages and {@code Dataset.attribution()}. */
    abstract String describe();

    /** Opens {@code name}, or {@code name.gz} decompressed; null when neither exists. */
    abstract InputStream openOrNull(String name) throws IOException;

    final InputStream open(String name) throws IOException {
        InputStream in = openOrNull(name);
        if (in == null) {
            throw new TransfuseException(describe() + ": missing file " + name + " (or " + name + ".gz)");
        }
        return in;
    }

    static DataSource bundled(String folder) {
        return new DataSource() {
            @Override
            String describe() {
                return "bundled " + folder;
            }

            @Override
            InputStream openOrNull(String name) throws IOException {
                for (String n : new String[] {name + ".gz", name}) {
                    InputStream in = DataSource.class.getResourceAsStream("/transfuse/data/" + folder + "/" + n);
                    if (in != null) {
                        return wrap(in, n);
                    }
                }
                return null;
            }
        };
    }

    /** A directory holding the files, or a single file (then every name resolves to it). */
    static DataSource path(Path path) {
        return new DataSource() {
            @Override
            String describe() {
                return path.toString();
            }

            @Override
            InputStream openOrNull(String name) throws IOException {
                if (Files.isRegularFile(path)) {
                    return wrap(Files.newInputStream(path), path.getFileName().toString());
                }
                for (String n : new String[] {name + ".gz", name}) {
                    Path p = path.resolve(n);
                    if (Files.isRegularFile(p)) {
                        return wrap(Files.newInputStream(p), n);
                    }
                }
                return null;
            }
        };
    }

    private static InputStream wrap(InputStream in, String name) throws IOException {
        InputStream buffered = new BufferedInputStream(in, 1 << 16);
        return name.endsWith(".gz") ? new GZIPInputStream(buffered, 1 << 16) : buffered;
    }
}
