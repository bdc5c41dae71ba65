package io.qsockets.examples;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/** Parsing of the command lines' rates and addresses. */
public final class Units {

    private Units() {
    }

    /**
     * @param text a rate in bits per second, with an optional k, M or G suffix (powers of 1000): "4M", "500k"
     * @return bits per second
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static long bitsPerSecond(String text) {
        String t = text.strip();
        double factor = 1;
        char last = t.isEmpty() ? ' ' : Character.toUpperCase(t.charAt(t.length() - 1));
        if (last == 'K' || last == 'M' || last == 'G') {
            factor = last == 'K' ? 1e3 : last == 'M' ? 1e6 : 1e9;
            t = t.substring(0, t.length() - 1);
        }
        try {
            double v = Double.parseDouble(t) * factor;
            if (!(v >= 1) || v > 1e12) {
                throw new NumberFormatException();
            }
            return Math.round(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("rate '" + text
                    + "' must be a number of bits per second from 1 to 1e12, with an optional k, M or G suffix");
        }
    }

    /** @return the rate with a k/M/G suffix */
    public static String formatBits(double bitsPerSecond) {
        if (bitsPerSecond >= 1e9) {
            return String.format(Locale.ROOT, "%.2f Gbit/s", bitsPerSecond / 1e9);
        }
        if (bitsPerSecond >= 1e6) {
            return String.format(Locale.ROOT, "%.2f Mbit/s", bitsPerSecond / 1e6);
        }
        return String.format(Locale.ROOT, "%.1f kbit/s", bitsPerSecond / 1e3);
    }

    /**
     * @param text "host:port" or ":port" (all interfaces) or "port"
     * @param defaultHost the host when the text gives none, or null for the wildcard address
     * @return the address
     * @throws IllegalArgumentException naming the text and the expected form
     */
    public static InetSocketAddress address(String text, String defaultHost) {
        String t = text.strip();
        int colon = t.lastIndexOf(':');
        String host = colon < 0 ? defaultHost : t.substring(0, colon);
        String port = colon < 0 ? t : t.substring(colon + 1);
        int p;
        try {
            p = Integer.parseInt(port);
        } catch (NumberFormatException e) {
            p = -1;
        }
        if (p < 0 || p > 65_535) {
            throw new IllegalArgumentException("address '" + text + "' must be host:port, :port or port, with a port"
                    + " from 0 to 65535");
        }
        if (host == null || host.isEmpty()) {
            return new InetSocketAddress(p);
        }
        try {
            return new InetSocketAddress(InetAddress.getByName(host), p);
        } catch (UnknownHostException e) {
            throw new IllegalArgumentException("host '" + host + "' in '" + text + "' is unknown");
        }
    }
}
