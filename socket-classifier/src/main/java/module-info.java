/**
 * Socket identity (the inode and descriptor behind a Java socket, from {@code /proc}), the
 * inode-keyed classifier, socket options through JNA, and the Linux kernel path: an HTB root
 * qdisc whose classes the sockets select with {@code SO_PRIORITY}.
 */
module io.qsockets.classifier {
    requires io.qsockets.api;
    requires com.sun.jna;

    exports io.qsockets.classifier;
    exports io.qsockets.classifier.linux;

    provides io.qsockets.spi.SocketClassifierProvider with io.qsockets.classifier.InodeClassifierProvider;
    provides io.qsockets.spi.KernelPathProvider with io.qsockets.classifier.htb.HtbKernelPathProvider;
}
