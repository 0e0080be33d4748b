package transfuse.server.jobs;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Function;
import java.util.stream.Stream;

import transfuse.api.TransfuseException;
import transfuse.server.store.JobRecord;
import transfuse.server.store.JobState;

/**
 * Confines the files a spec names to the server's roots ({@code HOME/models} and every
 * {@code --root}) or to an earlier job's output ({@code job:ID}, {@code job:ID/PATH}). Paths are
 * checked twice: as written (so a path outside the roots is refused whether or not it exists,
 * telling a client nothing about the rest of the disk) and with symlinks resolved (so a link
 * inside a root cannot lead outside).
 */
public final class PathGuard {
    private final List<Path> roots;
    private final Path jobsDir;
    private final Function<String, Optional<JobRecord>> jobs;

    /**
     * @param roots   the folders specs may read from; created when missing
     * @param jobsDir {@code HOME/jobs}, holding each job's {@code out/}
     * @param jobs    a job by id
     */
    public PathGuard(List<Path> roots, Path jobsDir, Function<String, Optional<JobRecord>> jobs) {
        List<Path> real = new ArrayList<>();
        for (Path r : roots) {
            try {
                Files.createDirectories(r);
                real.add(r.toRealPath());
            } catch (IOException e) {
                throw new IllegalStateException("root " + r + " is not usable: " + e.getMessage(), e);
            }
        }
        this.roots = List.copyOf(real);
        this.jobsDir = jobsDir.toAbsolutePath().normalize();
        this.jobs = jobs;
    }

    public List<Path> roots() {
        return roots;
    }

    /**
     * @param key   the spec key, for messages
     * @param given the path as the spec wrote it: absolute, relative to the first root, or {@code job:ID[/PATH]}
     * @throws PathNotAllowedException outside the roots
     * @throws TransfuseException for a {@code job:} reference to a job that has not succeeded
     */
    public Path resolve(String key, String given) {
        if (given.startsWith("job:")) {
            return jobOutput(key, given.substring(4));
        }
        Path p = Path.of(given);
        Path lexical = (p.isAbsolute() ? p : roots.get(0).resolve(p)).normalize();
        if (!inRoots(lexical)) {
            throw refused(key, given);
        }
        if (Files.exists(lexical)) {
            try {
                if (!inRoots(lexical.toRealPath())) {
                    throw refused(key, given);
                }
            } catch (IOException e) {
                throw new TransfuseException("spec key '" + key + "': " + given + " cannot be read (" + e.getMessage() + ")");
            }
        }
        return lexical;
    }

    private boolean inRoots(Path p) {
        for (Path r : roots) {
            if (p.startsWith(r)) {
                return true;
            }
        }
        return false;
    }

    private PathNotAllowedException refused(String key, String given) {
        return new PathNotAllowedException("spec key '" + key + "': " + given + " is outside the server's roots "
                + roots + " (use a path inside them or job:ID)");
    }

    /**
     * {@code job:ID} is the job's output: the one file or folder it wrote (a model directory, a
     * plan), or its output folder when it wrote several; {@code job:ID/PATH} a path inside that folder.
     */
    private Path jobOutput(String key, String ref) {
        int slash = ref.indexOf('/');
        String id = slash < 0 ? ref : ref.substring(0, slash);
        JobRecord job = jobs.apply(id).orElseThrow(() -> new TransfuseException("spec key '" + key
                + "': no job " + id));
        if (job.state() != JobState.SUCCEEDED) {
            throw new TransfuseException("spec key '" + key + "': job " + id + " is " + job.state().label()
                    + ", its output is not there (only succeeded jobs can be referenced)");
        }
        Path out = jobsDir.resolve(id).resolve("out");
        if (slash >= 0) {
            Path p = out.resolve(ref.substring(slash + 1)).normalize();
            if (!p.startsWith(out)) {
                throw new PathNotAllowedException("spec key '" + key + "': job:" + ref + " leaves the job's output");
            }
            return p;
        }
        try (Stream<Path> entries = Files.list(out)) {
            List<Path> all = entries.toList();
            return all.size() == 1 ? all.get(0) : out;
        } catch (IOException e) {
            throw new TransfuseException("spec key '" + key + "': job " + id + " has no output");
        }
    }
}
