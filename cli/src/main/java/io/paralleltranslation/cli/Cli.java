package io.paralleltranslation.cli;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.time.Duration;
import picocli.CommandLine;

/**
 * The conventions of every command-line tool: {@code --help} lists every flag, a mistake is one
 * line naming the fix (no stack trace) and exit status {@value #USAGE_ERROR}, durations use
 * {@link Durations}. Options are a picocli {@code @Command} object; the tool's work is an
 * {@link Action} on the parsed object, so it stays callable as a library.
 */
public final class Cli {
    /** Exit status of a command-line mistake (picocli's and the shell's convention). */
    public static final int USAGE_ERROR = 2;

    /** Exit status of a failure the tool did not foresee. */
    public static final int FAILED = 1;
    /** Set by the scripts' {@code --verbose} (bin/lib/common.sh): stack traces on the console. */
    public static final String VERBOSE_PROPERTY = "cli.verbose";

    /** The tool's work on its parsed options; returns the exit status. */
    @FunctionalInterface
    public interface Action<T> {
        int run(T options) throws Exception;
    }

    /** Checks across flags that picocli cannot express; throws {@link IllegalArgumentException} naming the fix. */
    public interface Validated {
        void validate();
    }

    private Cli() {}

    /**
     * The picocli model of an options object, with the shared converters: what --help prints and
     * tests inspect. Every flag must have a description, so --help explains each one.
     */
    public static CommandLine commandLine(Object options) {
        CommandLine commandLine = new CommandLine(options);
        commandLine.registerConverter(Duration.class, new DurationConverter());
        commandLine.setUsageHelpWidth(100);
        for (CommandLine.Model.OptionSpec option : commandLine.getCommandSpec().options()) {
            if (option.hidden() || String.join("", option.description()).trim().isEmpty()) {
                throw new IllegalStateException(commandLine.getCommandName() + ": " + option.longestName()
                        + " needs a description and must show in --help");
            }
        }
        return commandLine;
    }

    /**
     * Parses {@code args} into {@code options} and checks them, for tools called as a library
     * (no {@code --help}); a mistake throws {@link IllegalArgumentException} with the one-line
     * message the command line would print.
     */
    public static <T> T parse(T options, String... args) {
        try {
            commandLine(options).parseArgs(args);
        } catch (CommandLine.ParameterException e) {
            throw new IllegalArgumentException(e.getMessage(), e);
        }
        if (options instanceof Validated) {
            ((Validated) options).validate();
        }
        return options;
    }

    /**
     * Parses {@code args} into {@code options} and runs {@code action}. Returns 0 after
     * {@code --help}, {@value #USAGE_ERROR} after a mistake (one line on {@code err}), else the
     * action's status. An exception from the action is one line on {@code err} and status
     * {@value #FAILED}; its stack trace only with {@code --verbose}.
     */
    public static <T> int run(T options, String[] args, PrintStream out, PrintStream err,
            Action<? super T> action) {
        CommandLine commandLine = commandLine(options);
        String name = commandLine.getCommandName();
        try {
            commandLine.parseArgs(args);
            if (commandLine.isUsageHelpRequested()) {
                PrintWriter writer = new PrintWriter(out, true);
                commandLine.usage(writer);
                writer.flush();
                return 0;
            }
            if (options instanceof Validated) {
                ((Validated) options).validate();
            }
        } catch (CommandLine.ParameterException | IllegalArgumentException e) {
            err.println(name + ": " + e.getMessage() + " (" + name + " --help lists every option)");
            return USAGE_ERROR;
        }
        try {
            return action.run(options);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            err.println(name + ": interrupted");
            return FAILED;
        } catch (Exception e) {
            // Unforeseen (an endpoint unreachable, the job failing): one line, the trace on request.
            boolean verbose = Boolean.getBoolean(VERBOSE_PROPERTY);
            if (verbose) {
                e.printStackTrace(err);
            }
            err.println(name + ": failed: " + rootCause(e) + (verbose ? "" : " (bin/" + name
                    + " --verbose shows the stack trace)"));
            return FAILED;
        }
    }

    /** The innermost cause, as one line: Flink and the AWS SDK wrap a failure in several layers. */
    public static String rootCause(Throwable t) {
        Throwable root = t;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        String message = root.getMessage() == null ? "" : root.getMessage().replaceAll("\\s*\\R\\s*", " ");
        return root.getClass().getSimpleName() + (message.isEmpty() ? "" : ": " + message);
    }

}
