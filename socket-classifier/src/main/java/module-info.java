/** Socket identity, classification and the Linux kernel path; its content lands with the classifier issue. */
module io.qsockets.classifier {
    requires io.qsockets.api;
}
