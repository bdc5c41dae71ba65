/** The qsockets example programs and the demo. */
module io.qsockets.examples {
    requires io.qsockets.api;
    requires info.picocli;

    opens io.qsockets.examples to info.picocli;
}
