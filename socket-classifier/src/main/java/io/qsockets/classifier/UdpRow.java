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
        List<UdpRow> rows = new ArrayList<>();
        int start = text.indexOf('\n') + 1; // skip the header
        while (start > 0 && start < text.length()) {
            int end = text.indexOf('\n', start);
            if (end < 0) {
                end = text.length();
            }
            if (end > start && !text.substring(start, end).isBlank()) {
                rows.add(parseRow(text, start, end, ipv6));
            }
            start = end + 1;
        }
        return rows;
    }

    /** Columns: sl, local, remote, st, tx:rx, tr:when, retrnsmt, uid, timeout, inode, ... */
    private static UdpRow parseRow(String text, int from, int to, boolean ipv6) {
        String[] fields = new String[10];
        int n = 0;
        int i = from;
        while (n < fields.length && i < to) {
            while (i < to && text.charAt(i) == ' ') {
                i++;
            }
            int tokenStart = i;
            while (i < to && text.charAt(i) != ' ') {
                i++;
            }
            if (i > tokenStart) {
                fields[n++] = text.substring(tokenStart, i);
            }
        }
        if (n < fields.length) {
            throw malformed(text, from, to, "fewer than 10 columns");
        }
        try {
            int colon = fields[1].indexOf(':');
            int remoteColon = fields[2].indexOf(':');
            return new UdpRow(address(fields[1].substring(0, colon)), Integer.parseInt(fields[1].substring(colon + 1), 16),
                    address(fields[2].substring(0, remoteColon)),
                    Integer.parseInt(fields[2].substring(remoteColon + 1), 16), Long.parseLong(fields[9]), ipv6);
        } catch (RuntimeException e) {
            throw malformed(text, from, to, e.toString());
        }
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
