package io.paralleltranslation.job.submit;

import java.io.PrintStream;
import java.time.Duration;

/**
 * {@code submit --start}: makes sure the Managed Flink application runs before records are put,
 * so an application stopped while idle (the deployment's auto-stop) translates them. Starts it from
 * its latest snapshot (the one taken when it stopped) when it has one, waits while it stops or
 * starts, and returns once it is RUNNING.
 */
final class ApplicationStarter {
    static final Duration DEFAULT_POLL_INTERVAL = Duration.ofSeconds(10);
    /** Managed Flink takes a few minutes to start an application; this is well beyond. */
    static final Duration DEFAULT_TIMEOUT = Duration.ofMinutes(15);

    /** Waits between polls; tests pass one that does not sleep. */
    interface Sleeper {
        void sleep(Duration duration) throws InterruptedException;
    }

    private final ManagedFlinkApi api;
    private final PrintStream err;
    private final Sleeper sleeper;
    private final Duration pollInterval;
    private final Duration timeout;

    ApplicationStarter(ManagedFlinkApi api, PrintStream err, Sleeper sleeper, Duration pollInterval, Duration timeout) {
        this.api = api;
        this.err = err;
        this.sleeper = sleeper;
        this.pollInterval = pollInterval;
        this.timeout = timeout;
    }

    /** Returns 0 once the application is RUNNING, else 1 after one line on stderr saying why. */
    int ensureRunning(String application) {
        long polls = Math.max(1, timeout.toMillis() / pollInterval.toMillis());
        String last = null;
        boolean startRequested = false;
        boolean movedSinceStart = false;
        try {
            for (long poll = 0; poll <= polls; poll++) {
                String status = api.applicationStatus(application);
                if (!status.equals(last)) {
                    err.println("submit: application " + application + " is " + status);
                    last = status;
                }
                if (startRequested && !status.equals("READY")) {
                    movedSinceStart = true;
                }
                switch (status) {
                    case "RUNNING":
                        return 0;
                    case "READY":
                        if (startRequested && !movedSinceStart) {
                            // The service may not have left READY yet: look again.
                            break;
                        }
                        if (startRequested) {
                            // It went back to READY after our start: the start failed.
                            err.println("submit: application " + application + " did not start (it is READY again);"
                                    + " see its logs, then start it with aws kinesisanalyticsv2 start-application");
                            return 1;
                        }
                        boolean restore = api.hasSnapshots(application);
                        api.startApplication(application, restore);
                        startRequested = true;
                        err.println("submit: starting " + application
                                + (restore ? " from its latest snapshot" : " without state (it has no snapshot)"));
                        break;
                    case "DELETING":
                        err.println("submit: application " + application + " is being deleted; nothing put");
                        return 1;
                    default:
                        // STARTING, STOPPING, FORCE_STOPPING, UPDATING, AUTOSCALING, ROLLING_BACK, MAINTENANCE:
                        // a transition the service finishes by itself.
                        break;
                }
                sleeper.sleep(pollInterval);
            }
        } catch (ManagedFlinkApi.ApiException e) {
            err.println("submit: cannot start application " + application + ": " + e.getMessage()
                    + (e.type.equals("ResourceNotFoundException") ? " (check --start and --region)" : ""));
            return 1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println("submit: interrupted while waiting for " + application);
            return 1;
        }
        err.println("submit: application " + application + " is still " + last + " after " + timeout.toMinutes()
                + " min; nothing put");
        return 1;
    }
}
