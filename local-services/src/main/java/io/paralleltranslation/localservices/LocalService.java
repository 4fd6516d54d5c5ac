package io.paralleltranslation.localservices;

import java.net.URI;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A stand-in server process this JVM started. Closing it stops exactly that process (and its
 * children), first politely, then with SIGKILL: kinesis-local sometimes ignores SIGTERM.
 */
public final class LocalService implements AutoCloseable {
    private static final Logger LOG = LoggerFactory.getLogger(LocalService.class);
    private static final long GRACE_MILLIS = 3_000;

    private final String name;
    private final Process process;
    private final URI endpoint;
    private final Path log;
    private final Thread shutdownHook;

    LocalService(String name, Process process, URI endpoint, Path log) {
        this.name = name;
        this.process = process;
        this.endpoint = endpoint;
        this.log = log;
        this.shutdownHook = new Thread(this::stopProcess, "stop-" + name);
        Runtime.getRuntime().addShutdownHook(shutdownHook);
    }

    public String name() {
        return name;
    }

    /** Plain-HTTP endpoint on 127.0.0.1, e.g. {@code http://127.0.0.1:41234}. */
    public URI endpoint() {
        return endpoint;
    }

    public int port() {
        return endpoint.getPort();
    }

    public long pid() {
        return process.pid();
    }

    public boolean isAlive() {
        return process.isAlive();
    }

    /** The process's stdout and stderr. */
    public Path log() {
        return log;
    }

    /**
     * Throws when the process has exited: a stand-in that died (dynalite 4.0.0 exits on a request
     * its client aborted) would otherwise show only as "Connection refused" much later.
     */
    public void checkAlive() {
        if (!process.isAlive()) {
            throw new ServiceDiedException(name + " (pid " + process.pid() + ") died with exit code "
                    + process.exitValue() + "; its log: " + log);
        }
    }

    /** A stand-in process that exited while it was needed; the message is one line naming its log. */
    public static final class ServiceDiedException extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        ServiceDiedException(String message) {
            super(message);
        }
    }

    @Override
    public void close() {
        try {
            Runtime.getRuntime().removeShutdownHook(shutdownHook);
        } catch (IllegalStateException shuttingDown) {
            // The hook is already running or about to: it stops the process.
        }
        stopProcess();
    }

    private void stopProcess() {
        if (!process.isAlive()) {
            return;
        }
        process.descendants().forEach(ProcessHandle::destroy);
        process.destroy();
        try {
            if (!process.waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS)) {
                LOG.warn("{} (pid {}) ignored SIGTERM for {} ms; killing it", name, process.pid(), GRACE_MILLIS);
                process.descendants().forEach(ProcessHandle::destroyForcibly);
                process.destroyForcibly().waitFor(GRACE_MILLIS, TimeUnit.MILLISECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public String toString() {
        return name + "@" + endpoint;
    }
}
