package io.qsockets.classifier;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;

/**
 * One row of {@code /proc/net/udp} or {@code /proc/net/udp6}: a bound UDP socket of the network
 * namespace. IPv4-mapped IPv6 addresses come out as IPv4 ones, as Java reports them. Immutable.
 *
 * @param local the local address
 * @param localPort the local port
 * @param remote the connected peer's address, or a wildcard
 * @param remotePort the connected peer's port, or 0
 * @param inode the socket's inode
 * @param ipv6 whether the row came from {@code udp6}
 */
record UdpRow(InetAddress local, int localPort, InetAddress remote, int remotePort, long inode, boolean ipv6) {
    private static final boolean LITTLE_ENDIAN = ByteOrder.nativeOrder() == ByteOrder.LITTLE_ENDIAN;
    private static final int COLUMNS = 10;

    /** @return whether the socket is connected */
    boolean connected() {
        return remotePort != 0;
    }

    /**
     * Parses a whole table.
     *
     * @param text the file's content, header line included
     * @param ipv6 whether it is {@code udp6}
     * @throws IllegalArgumentException naming the line if a row is malformed
     */
    static List<UdpRow> parseTable(String text, boolean ipv6) {
        return parseTable(text, ipv6, -1);
    }

    /**
     * Parses the rows of one local port, or all rows; other rows are only tokenized.
     *
     * @param port the local port wanted, or -1 for every row
     */
    static List<UdpRow> parseTable(String text, boolean ipv6, int port) {
        List<UdpRow> rows = new ArrayList<>();
        int[] bounds = new int[2 * COLUMNS];
        int start = text.indexOf('\n') + 1; // skip the header
        while (start > 0 && start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (tokenize(text, start, end, bounds) > 0) {
                try {
                    int localColon = text.indexOf(':', bounds[2]);
                    if (port < 0 || Integer.parseInt(text, localColon + 1, bounds[3], 16) == port) {
                        rows.add(row(text, bounds, ipv6));
                    }
                } catch (RuntimeException e) {
                    throw malformed(text, start, end, e.toString());
                }
            }
            start = end + 1;
        }
        return rows;
    }

    /**
     * Finds the first {@value #COLUMNS} columns of a row: sl, local, remote, st, tx:rx, tr:when,
     * retrnsmt, uid, timeout, inode.
     *
     * @return the number of columns found (0 for a blank line)
     * @throws IllegalArgumentException if the row has some columns but fewer than needed
     */
    private static int tokenize(String text, int from, int to, int[] bounds) {
        int n = 0;
        int i = from;
        while (n < COLUMNS && i < to) {
            while (i < to && text.charAt(i) == ' ') {
                i++;
            }
            int tokenStart = i;
            while (i < to && text.charAt(i) != ' ') {
                i++;
            }
            if (i > tokenStart) {
                bounds[2 * n] = tokenStart;
                bounds[2 * n + 1] = i;
                n++;
            }
        }
        if (n > 0 && n < COLUMNS) {
            throw malformed(text, from, to, "fewer than " + COLUMNS + " columns");
        }
        return n;
    }

    private static UdpRow row(String text, int[] b, boolean ipv6) {
        int localColon = text.indexOf(':', b[2]);
        int remoteColon = text.indexOf(':', b[4]);
        if (localColon < 0 || localColon >= b[3] || remoteColon < 0 || remoteColon >= b[5]) {
            throw new IllegalArgumentException("an address lacks its ':port'");
        }
        return new UdpRow(address(text.substring(b[2], localColon)), Integer.parseInt(text, localColon + 1, b[3], 16),
                address(text.substring(b[4], remoteColon)), Integer.parseInt(text, remoteColon + 1, b[5], 16),
                Long.parseLong(text, b[18], b[19], 10), ipv6);
    }

    /** The kernel prints each 32-bit word of the address in host byte order. */
    private static InetAddress address(String hex) {
        if (hex.length() != 8 && hex.length() != 32) {
            throw new IllegalArgumentException("address '" + hex + "' must have 8 or 32 hex digits");
        }
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            int value = Integer.parseUnsignedInt(hex.substring(word * 8, word * 8 + 8), 16);
            for (int b = 0; b < 4; b++) {
                int shift = LITTLE_ENDIAN ? 8 * b : 8 * (3 - b);
                bytes[word * 4 + b] = (byte) (value >>> shift);
            }
        }
        try {
            return InetAddress.getByAddress(bytes); // an IPv4-mapped address becomes an Inet4Address
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException(e);
        }
    }

    private static IllegalArgumentException malformed(String text, int from, int to, String why) {
        return new IllegalArgumentException("malformed /proc/net/udp row '" + text.substring(from, to).trim() + "': "
                + why);
    }
}
