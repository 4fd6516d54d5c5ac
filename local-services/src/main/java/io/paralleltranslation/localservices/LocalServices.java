package io.paralleltranslation.localservices;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts the npm stand-ins installed by the project's {@code package.json} on 127.0.0.1, on free
 * ports, and waits until they accept connections. The one place tests and the local run use.
 */
public final class LocalServices {
    private static final Logger LOG = LoggerFactory.getLogger(LocalServices.class);

    /** Region and dummy credentials the stand-ins accept; never real ones. */
    public static final String REGION = "us-east-1";
    public static final String ACCOUNT_ID = "000000000000";
    public static final String ACCESS_KEY_ID = "local";
    public static final String SECRET_ACCESS_KEY = "local";

    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(60);
    private static final String ROOT_PROPERTY = "local.services.root";

    private LocalServices() {}

    /** dynalite with tables ACTIVE at once (SDK waiters would poll every 20 s otherwise). */
    public static LocalService startDynalite() {
        int port = freePort();
        Path root = projectRoot();
        List<String> command = nodeCommand(root.resolve("node_modules/dynalite/cli.js"));
        command.addAll(List.of("--port", Integer.toString(port), "--host", "127.0.0.1",
                "--createTableMs", "0", "--deleteTableMs", "0", "--updateTableMs", "0"));
        return start("dynalite", command, root, Map.of(), port);
    }

    /** kinesis-local; its plain-HTTP port is the endpoint (KinesisStreamsSource needs plain HTTP). */
    public static LocalService startKinesisLocal() {
        int plainPort = freePort();
        int tlsPort = freePort();
        Path packageDir = projectRoot().resolve("node_modules/kinesis-local");
        List<String> command = nodeCommand(packageDir.resolve("main.js"));
        Map<String, String> env = Map.of(
                "KINESIS_MOCK_PLAIN_PORT", Integer.toString(plainPort),
                "KINESIS_MOCK_TLS_PORT", Integer.toString(tlsPort),
                "AWS_REGION", REGION,
                "LOG_LEVEL", "WARN",
                "CREATE_STREAM_DURATION", "0ms",
                "DELETE_STREAM_DURATION", "0ms",
                "SHARD_LIMIT", "200");
        // kinesis-local reads server.json from its working directory.
        return start("kinesis-local", command, packageDir, env, plainPort);
    }

    /** Kinesis stream ARN as the stand-in names it (KinesisStreamsSource wants an ARN). */
    public static String streamArn(String streamName) {
        return "arn:aws:kinesis:" + REGION + ":" + ACCOUNT_ID + ":stream/" + streamName;
    }

    /** The directory holding {@code package.json} and the installed {@code node_modules}. */
    public static Path projectRoot() {
        String configured = System.getProperty(ROOT_PROPERTY);
        if (configured != null && isInstalledRoot(Paths.get(configured))) {
            return Paths.get(configured).toAbsolutePath();
        }
        for (Path dir = Paths.get("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (isInstalledRoot(dir)) {
                return dir;
            }
        }
        throw new IllegalStateException("the local stand-ins are not installed: run `npm ci --no-audit --no-fund` in "
                + "the project root (the directory with package.json), or set -D" + ROOT_PROPERTY + "=DIR");
    }

    private static boolean isInstalledRoot(Path dir) {
        return Files.isRegularFile(dir.resolve("package.json"))
                && Files.isDirectory(dir.resolve("node_modules/dynalite"))
                && Files.isDirectory(dir.resolve("node_modules/kinesis-local"));
    }

    private static List<String> nodeCommand(Path script) {
        List<String> command = new ArrayList<>();
        command.add("node");
        command.add("-r");
        command.add(loopbackPreload().toString());
        command.add(script.toString());
        return command;
    }

    private static synchronized Path loopbackPreload() {
        try (InputStream in = LocalServices.class.getResourceAsStream("/local-services/loopback.js")) {
            if (in == null) {
                throw new IllegalStateException("loopback.js missing from the local-services jar");
            }
            Path file = Files.createTempFile("loopback-", ".js");
            file.toFile().deleteOnExit();
            Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static LocalService start(String name, List<String> command, Path workDir,
            Map<String, String> env, int port) {
        Path log;
        Process process;
        try {
            log = Files.createTempFile(name + "-", ".log");
            ProcessBuilder builder = new ProcessBuilder(command)
                    .directory(workDir.toFile())
                    .redirectErrorStream(true)
                    .redirectOutput(log.toFile());
            builder.environment().putAll(env);
            process = builder.start();
        } catch (IOException e) {
            throw new UncheckedIOException("could not start " + name + " (is node on the PATH?)", e);
        }
        LocalService service = new LocalService(name, process, URI.create("http://127.0.0.1:" + port), log);
        long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!accepts(port)) {
            if (!process.isAlive() || System.nanoTime() > deadline) {
                service.close();
                throw new IllegalStateException(name + " did not start on port " + port + "; its log: " + tail(log));
            }
            sleepQuietly(100);
        }
        LOG.info("{} started (pid {}), log {}", service, process.pid(), log);
        return service;
    }

    private static boolean accepts(int port) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 500);
            return true;
        } catch (IOException notYet) {
            return false;
        }
    }

    /** A port free on the loopback interface right now. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            socket.setReuseAddress(true);
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static String tail(Path log) {
        try {
            String text = Files.readString(log);
            return text.length() > 2_000 ? text.substring(text.length() - 2_000) : text;
        } catch (IOException e) {
            return "(unreadable: " + e.getMessage() + ")";
        }
    }

    private static void sleepQuietly(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a stand-in", e);
        }
    }
}
