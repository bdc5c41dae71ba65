package io.qsockets.examples.sensor;

/** How the sensor sends its readings. */
public enum SensorMode {
    /** EDF on per-reading deadlines; a reading that can no longer arrive in time is dropped at the source. */
    LOSSY_EDF("lossy EDF"),
    /** EDF on per-reading deadlines; late readings are still sent. */
    LOSSLESS_EDF("lossless EDF"),
    /** No deadlines: first come, first served, as a plain DatagramSocket. */
    PLAIN("plain socket");

    private final String label;

    SensorMode(String label) {
        this.label = label;
    }

    /** @return how tables and charts name the mode */
    public String label() {
        return label;
    }
}
