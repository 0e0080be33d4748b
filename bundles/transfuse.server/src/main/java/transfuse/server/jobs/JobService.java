package transfuse.server.jobs;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;

import transfuse.api.TransfuseException;
import transfuse.api.job.Job;
import transfuse.api.job.JobCancelledException;
import transfuse.api.job.JobResult;
import transfuse.api.option.OptionDecl;
import transfuse.api.option.OptionType;
import transfuse.core.PluginCatalog;
import transfuse.core.PluginHandle;
import transfuse.io.config.ModelDir;
import transfuse.io.files.AtomicDirectory;
import transfuse.io.json.JsonText;
import transfuse.jobs.JobRunner;
import transfuse.server.ServerConfig;
import transfuse.server.ServerHome;
import transfuse.server.http.HttpProblem;
import transfuse.server.store.H2JobStore;
import transfuse.server.store.JobEvent;
import transfuse.server.store.JobRecord;
import transfuse.server.store.JobState;
import transfuse.server.store.JobStore;

/**
 * The server's jobs: validated on submission with the same job layer as the command line,
 * persisted in the store, run in FIFO order — training kinds one at a time (libtorch allows one
 * gradient context per process), the others on {@code --workers} threads beside them — with
 * their events kept for replay and their files under {@code HOME/jobs/ID/}.
 */
@Component(service = JobService.class)
public final class JobService implements JobEvents {
    /** How a spec's keys are named in messages to HTTP clients. */
    static final String KEY_FORMAT = "spec key '%s'";

    private final BundleContext bundles;
    private final PluginCatalog catalog;
    private final ServerHome home;
    private final ServerConfig config;
    private final JobStore store;
    private final PathGuard guard;
    private final Path jobsDir;
    private final ExecutorService trainingLane = Executors.newSingleThreadExecutor(r -> thread(r, "transfuse-train"));
    private final ExecutorService workerLane;
    /** Running jobs by id; guarded by {@code this}. */
    private final Map<String, Running> running = new HashMap<>();
    /** Notified on every event, so event streams wake up. */
    private final Object eventSignal = new Object();
    private boolean stopping;

    private record Running(ServerJobContext context, boolean trains) {
    }

    @Activate
    public JobService(BundleContext bundles, @Reference PluginCatalog catalog, @Reference ServerHome home) {
        this.bundles = bundles;
        this.catalog = catalog;
        this.home = home;
        this.config = ServerConfig.of(bundles, home.home());
        this.jobsDir = home.home().resolve("jobs");
        this.store = new H2JobStore(home.home().resolve("store"));
        this.guard = new PathGuard(config.roots(), jobsDir, this::get);
        this.workerLane = Executors.newFixedThreadPool(Math.max(1, config.workers()), r -> thread(r, "transfuse-job"));
        recover();
        dispatch();
    }

    public ServerConfig config() {
        return config;
    }

    // ---- submission and queries ------------------------------------------------------------

    /**
     * Validates the spec as the job would before any work (unknown keys, types, ranges, inputs
     * inside the roots) and queues it.
     *
     * @throws HttpProblem 400 bad spec, 403 a path outside the roots, 429 queue full
     */
    public JobRecord submit(String kind, Map<String, Object> spec) {
        if (kind == null || kind.isBlank()) {
            throw new HttpProblem(400, "field 'kind': required (a job kind, see GET /api/plugins)");
        }
        if (!catalog.names(Job.class).contains(kind)) {
            throw new HttpProblem(400, "field 'kind': unknown job kind '" + kind + "' (available: "
                    + String.join(", ", catalog.names(Job.class)) + ")");
        }
        try (PluginHandle<Job> handle = catalog.open(Job.class, kind)) {
            Job<?> job = handle.get();
            for (OptionDecl d : job.options()) {
                if (d.type() == OptionType.OUTPUT && spec.containsKey(d.name())) {
                    throw new HttpProblem(400, String.format(KEY_FORMAT, d.name()) + ": outputs are the server's to"
                            + " place (HOME/jobs/ID/out); fetch them from the job's artifacts");
                }
            }
            validate(job, spec);
        }
        synchronized (this) {
            if (stopping) {
                throw new HttpProblem(503, "the server is shutting down");
            }
            if (store.counts().getOrDefault(JobState.QUEUED, 0) >= config.maxQueued()) {
                throw new HttpProblem(429, "the queue is full (" + config.maxQueued() + " jobs waiting; --max-queued)");
            }
            JobRecord r = store.create(kind, spec);
            stateEvent(r.id(), JobState.QUEUED, null);
            home.log("job " + r.id() + " queued: " + kind + " " + JsonText.line(spec));
            dispatch();
            return store.get(r.id()).orElseThrow();
        }
    }

    private void validate(Job<?> job, Map<String, Object> spec) {
        Path scratch = jobsDir.resolve(".validate");
        try (ServerJobContext check = new ServerJobContext(catalog, bundles, home.home(), "validate",
                scratch.resolve("out"), guard, new JobEvents() {
                    @Override
                    public void progress(String jobId, Map<String, Object> progress) {
                    }

                    @Override
                    public void log(String jobId, String line) {
                    }
                })) {
            JobRunner.validate(job, spec, KEY_FORMAT, check);
        } catch (PathNotAllowedException e) {
            throw new HttpProblem(403, e.getMessage());
        } catch (TransfuseException e) {
            throw new HttpProblem(400, oneLine(e.getMessage()));
        }
    }

    public Optional<JobRecord> get(String id) {
        return store.get(id);
    }

    public List<JobRecord> list(JobState state) {
        return store.list(state);
    }

    public Map<JobState, Integer> counts() {
        return store.counts();
    }

    /** The events after {@code afterSeq}; waits up to {@code waitMillis} for one when there is none yet. */
    public List<JobEvent> events(String id, long afterSeq, long waitMillis) throws InterruptedException {
        synchronized (eventSignal) {
            List<JobEvent> events = store.events(id, afterSeq);
            if (events.isEmpty() && waitMillis > 0) {
                eventSignal.wait(waitMillis);
                events = store.events(id, afterSeq);
            }
            return events;
        }
    }

    /** The job's output folder ({@code HOME/jobs/ID/out}). */
    public Path outputOf(String id) {
        return jobsDir.resolve(id).resolve("out");
    }

    public Path logOf(String id) {
        return jobsDir.resolve(id).resolve("job.log");
    }

    /**
     * Cancels a queued or running job, or forgets a finished one with its files.
     *
     * @return the job after the request (a running one stays running until it stops)
     */
    public synchronized JobRecord cancelOrForget(String id) {
        JobRecord job = store.get(id).orElseThrow(() -> new HttpProblem(404, "no job " + id));
        switch (job.state()) {
            case QUEUED -> {
                finish(id, JobState.CANCELLED, "cancelled before it started");
                return store.get(id).orElseThrow();
            }
            case RUNNING -> {
                Running r = running.get(id);
                if (r != null) {
                    r.context().cancel();
                }
                home.log("job " + id + " cancel requested");
                return job;
            }
            default -> {
                store.delete(id);
                deleteQuietly(jobsDir.resolve(id));
                home.log("job " + id + " forgotten");
                return job;
            }
        }
    }

    // ---- scheduling ---------------------------------------------------------------------------

    /** Starts the oldest queued jobs whose lane has room. */
    private synchronized void dispatch() {
        if (stopping) {
            return;
        }
        boolean trainingBusy = running.values().stream().anyMatch(Running::trains);
        long workersBusy = running.values().stream().filter(r -> !r.trains()).count();
        for (JobRecord job : store.queued()) {
            boolean trains = trains(job.kind());
            if (trains ? trainingBusy : workersBusy >= config.workers()) {
                continue;
            }
            start(job, trains);
            if (trains) {
                trainingBusy = true;
            } else {
                workersBusy++;
            }
        }
    }

    private boolean trains(String kind) {
        try (PluginHandle<Job> h = catalog.open(Job.class, kind)) {
            return h.get().trains();
        } catch (TransfuseException e) {
            return false; // its bundle is gone: it fails as soon as it starts
        }
    }

    private void start(JobRecord job, boolean trains) {
        Path dir = jobsDir.resolve(job.id());
        ServerJobContext context = new ServerJobContext(catalog, bundles, home.home(), job.id(), dir.resolve("out"),
                guard, this);
        running.put(job.id(), new Running(context, trains));
        store.setState(job.id(), JobState.RUNNING, null);
        stateEvent(job.id(), JobState.RUNNING, null);
        (trains ? trainingLane : workerLane).execute(() -> run(job, context));
    }

    private void run(JobRecord job, ServerJobContext context) {
        JobState end;
        String error = null;
        try {
            Files.createDirectories(context.out());
            JobResult result = runJob(job, context);
            store.setResult(job.id(), result.json());
            end = JobState.SUCCEEDED;
        } catch (JobCancelledException e) {
            end = context.failure() != null ? JobState.FAILED : JobState.CANCELLED;
            error = context.failure();
        } catch (TransfuseException e) {
            end = JobState.FAILED;
            error = oneLine(e.getMessage());
        } catch (Exception | Error e) {
            // A failure of the run, not of the input; a removed bundle shows up as whatever its
            // last call threw, so its reason wins.
            end = JobState.FAILED;
            error = context.failure() != null ? context.failure() : "internal error: " + oneLine(e.toString());
        } finally {
            context.close();
        }
        synchronized (this) {
            running.remove(job.id());
            if (stopping) {
                return; // shutdown queued this job again; its checkpoint stays for the resume
            }
        }
        if (end != JobState.SUCCEEDED) {
            deleteQuietly(context.out()); // no partial artifact is ever served
        }
        synchronized (this) {
            finish(job.id(), end, error);
            dispatch();
        }
    }

    /** Runs the job; a training job that was interrupted resumes from its checkpoint when it has one. */
    private JobResult runJob(JobRecord job, ServerJobContext context) throws Exception {
        try (PluginHandle<Job> handle = catalog.open(Job.class, job.kind())) {
            Job<?> kind = handle.get();
            Map<String, Object> spec = new LinkedHashMap<>(job.spec());
            if (resumable(kind) && job.started() != null && hasCheckpoint(context.out())) {
                spec.put("resume", true);
                context.log("resuming from the checkpoint of the interrupted run");
            }
            return JobRunner.run(kind, spec, KEY_FORMAT, context);
        }
    }

    /**
     * Whether one of the job's outputs (train's {@code model}, learngene's {@code learngene}, ...)
     * holds the checkpoint a training run writes after every epoch.
     */
    private static boolean hasCheckpoint(Path jobOut) throws IOException {
        if (!Files.isDirectory(jobOut)) {
            return false;
        }
        try (Stream<Path> outputs = Files.list(jobOut)) {
            return outputs.anyMatch(o -> Files.isDirectory(o.resolve(ModelDir.CHECKPOINT)));
        }
    }

    /** Kinds that train and declare a {@code resume} flag continue from their checkpoint after a restart. */
    private boolean resumable(JobRecord job) {
        try (PluginHandle<Job> h = catalog.open(Job.class, job.kind())) {
            return resumable(h.get());
        } catch (TransfuseException e) {
            return false;
        }
    }

    private static boolean resumable(Job<?> kind) {
        return kind.trains() && kind.options().stream().anyMatch(o -> o.name().equals("resume")
                && o.type() == OptionType.FLAG);
    }

    private void finish(String id, JobState state, String error) {
        store.setState(id, state, error);
        stateEvent(id, state, error);
        home.log("job " + id + " " + state.label() + (error == null ? "" : ": " + error));
    }

    /**
     * After a crash: jobs that were running resume (training with a checkpoint, by queueing them
     * again) or fail with the reason; queued jobs stay queued and run.
     */
    private void recover() {
        for (JobRecord job : store.list(JobState.RUNNING)) {
            if (resumable(job)) {
                store.setState(job.id(), JobState.QUEUED, null);
                stateEvent(job.id(), JobState.QUEUED, null);
                log(job.id(), "server restarted: the job is queued again and resumes from its checkpoint");
                home.log("job " + job.id() + " queued again after a restart (resumable)");
            } else {
                deleteQuietly(outputOf(job.id()));
                finish(job.id(), JobState.FAILED, "interrupted by server restart");
            }
        }
    }

    /**
     * Graceful shutdown: running jobs stop at their next check and are queued again, so the next
     * start resumes training jobs from their checkpoint and runs the others afresh.
     */
    @Deactivate
    void deactivate() {
        List<Running> stopped;
        synchronized (this) {
            stopping = true;
            stopped = new ArrayList<>(running.values());
            for (String id : running.keySet()) {
                store.setState(id, JobState.QUEUED, null);
                stateEvent(id, JobState.QUEUED, null);
                home.log("job " + id + " queued again: the server is shutting down");
            }
            stopped.forEach(r -> r.context().fail("the server is shutting down"));
        }
        trainingLane.shutdown();
        workerLane.shutdown();
        try {
            trainingLane.awaitTermination(20, TimeUnit.SECONDS);
            workerLane.awaitTermination(20, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        store.close();
    }

    // ---- events -----------------------------------------------------------------------------

    @Override
    public void progress(String jobId, Map<String, Object> progress) {
        store.setProgress(jobId, progress);
        append(jobId, "progress", progress);
    }

    @Override
    public void log(String jobId, String line) {
        appendToLog(jobId, line);
        append(jobId, "log", Map.of("line", line));
    }

    /** The job's log file holds its log lines and its state changes, with times. */
    private void appendToLog(String jobId, String line) {
        try {
            Path log = logOf(jobId);
            Files.createDirectories(log.getParent());
            Files.writeString(log, Instant.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        } catch (IOException e) {
            home.log("job " + jobId + ": cannot write its log: " + e.getMessage());
        }
    }

    private void stateEvent(String id, JobState state, String error) {
        appendToLog(id, "state " + state.label() + (error == null ? "" : ": " + error));
        Map<String, Object> data = new LinkedHashMap<>();
        data.put("state", state.label());
        if (error != null) {
            data.put("error", error);
        }
        append(id, "state", data);
    }

    private void append(String jobId, String type, Map<String, Object> data) {
        store.appendEvent(jobId, type, data);
        synchronized (eventSignal) {
            eventSignal.notifyAll();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------

    private static Thread thread(Runnable r, String name) {
        Thread t = new Thread(r, name);
        t.setDaemon(true);
        return t;
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ').replace('\r', ' ');
    }

    private void deleteQuietly(Path p) {
        try {
            AtomicDirectory.deleteTree(p);
        } catch (IOException | RuntimeException e) {
            home.log("cannot delete " + p + ": " + e.getMessage());
        }
    }
}
