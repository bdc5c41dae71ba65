package io.qsockets.linkemu;

/** The two directions of an emulated link, named after its endpoints A and B. */
public enum Direction {
    /** From endpoint A to endpoint B. */
    A_TO_B,
    /** From endpoint B to endpoint A. */
    B_TO_A
}
