/** The qsockets example programs and the demo. */
module io.qsockets.examples {
    requires io.qsockets.api;
    requires io.qsockets.impl;
    requires io.qsockets.linkemu;
    requires io.qsockets.classifier;
    requires com.sun.jna;
    requires info.picocli;
    requires org.knowm.xchart;
    requires java.desktop;

    exports io.qsockets.examples.stream;
    exports io.qsockets.examples.control;
    exports io.qsockets.examples.kernel;

    opens io.qsockets.examples to info.picocli;
    opens io.qsockets.examples.demo to info.picocli;
    opens io.qsockets.examples.video to info.picocli;
    opens io.qsockets.examples.sensor to info.picocli;
    opens io.qsockets.examples.qperf to info.picocli;
}
