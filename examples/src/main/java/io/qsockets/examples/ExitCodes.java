package io.qsockets.examples;

/** The exit codes every program of the examples uses. */
public final class ExitCodes {
    /** The run did what was asked and met its expectations. */
    public static final int OK = 0;
    /** The run completed but its results miss what was expected (nothing received, a target missed). */
    public static final int EXPECTATION_NOT_MET = 1;
    /** Bad command line, or a feature that is not available here. */
    public static final int USAGE = 2;
    /** The run failed: a socket or file error, or an unexpected exception. */
    public static final int FAILURE = 3;

    private ExitCodes() {
    }
}
