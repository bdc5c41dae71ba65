package io.qsockets.impl.dccp.wire;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Wire conformance judge: has Wireshark's DCCP dissector ({@code tshark}) decode DCCP packets
 * and reports what it found wrong. Each packet (a DCCP header, options and data, i.e. the UDP
 * payload of RFC 6773) is wrapped in an IPv4 header with protocol 33 and written to a pcap file
 * (LINKTYPE_RAW); tshark reads it twice: {@code -V -z expert} for the expert infos and
 * malformed-packet marks of every frame, and {@code -T fields} for the decoded type, sequence and
 * acknowledgement numbers and option types. Reusable by any test that produces DCCP packets.
 */
public final class TsharkJudge {

    /** pcap LINKTYPE_RAW: each record starts with an IPv4 or IPv6 header. */
    private static final int LINKTYPE_RAW = 101;
    private static final int IP_PROTO_DCCP = 33;
    private static final long TIMEOUT_SECONDS = 60;
    private static final Pattern FRAME = Pattern.compile("^Frame (\\d+):");
    private static final Pattern EXPERT = Pattern.compile("^\\s*\\[Expert Info \\(([^/]+)/([^)]+)\\): (.*)\\]$");

    private final Path tshark;

    private TsharkJudge(Path tshark) {
        this.tshark = tshark;
    }

    /** The judge, if a {@code tshark} executable is on the PATH. */
    public static Optional<TsharkJudge> locate() {
        String path = System.getenv("PATH");
        if (path == null) {
            return Optional.empty();
        }
        for (String dir : path.split(java.io.File.pathSeparator)) {
            Path candidate = Path.of(dir, "tshark");
            if (Files.isExecutable(candidate)) {
                return Optional.of(new TsharkJudge(candidate));
            }
        }
        return Optional.empty();
    }

    /** Why the judge cannot run here, for a skipped test's message. */
    public static String unavailableReason() {
        return "tshark is not on the PATH; install it (Debian: apt-get install -y tshark) to run the wire conformance tests";
    }

    /** One expert info item tshark attached to a frame. */
    public record ExpertInfo(int frame, String severity, String group, String layer, String summary) {

        /** True for Warning and Error, the severities a conformant packet must not earn. */
        public boolean isWarningOrError() {
            return severity.equals("Warning") || severity.equals("Error");
        }

        /** True for the DCCP "Bad checksum" item, expected when the checksum is zero (RFC 6773 §3.3). */
        public boolean isDccpBadChecksum() {
            return group.equals("Checksum") && layer.startsWith("Datagram Congestion Control Protocol")
                    && summary.startsWith("Bad checksum");
        }
    }

    /** What tshark decoded from one frame (1-based, in the order the packets were given). */
    public record Decoded(int frame, int type, boolean extended, long seqno, long ackno, int dataOffsetWords,
            List<Integer> optionTypes) {
    }

    /** The judgement of a list of packets. */
    public record Verdict(List<Integer> malformedFrames, List<ExpertInfo> expertInfos, List<Decoded> decoded,
            String verboseText) {

        /** Warning and Error items, except the bad DCCP checksum RFC 6773 requires (the field is zero). */
        public List<ExpertInfo> problems() {
            List<ExpertInfo> out = new ArrayList<>();
            for (ExpertInfo e : expertInfos) {
                if (e.isWarningOrError() && !e.isDccpBadChecksum()) {
                    out.add(e);
                }
            }
            return out;
        }
    }

    /**
     * Judges {@code packets}, each the bytes of one DCCP packet, sent from 127.0.0.1 to 127.0.0.2.
     *
     * @throws IllegalStateException if tshark fails or does not finish in time
     */
    public Verdict judge(List<byte[]> packets) {
        try {
            Path dir = Files.createTempDirectory("tshark-judge");
            try {
                Path pcap = dir.resolve("dccp.pcap");
                Files.write(pcap, pcap(packets));
                String verbose = run(dir, "-r", pcap.toString(), "-V", "-z", "expert",
                        "-o", "dccp.check_checksum:TRUE", "-o", "dccp.relative_sequence_numbers:FALSE");
                String fields = run(dir, "-r", pcap.toString(), "-T", "fields",
                        "-o", "dccp.relative_sequence_numbers:FALSE",
                        "-e", "frame.number", "-e", "dccp.type", "-e", "dccp.x", "-e", "dccp.seq_raw",
                        "-e", "dccp.ack_raw", "-e", "dccp.data_offset", "-e", "dccp.option_type",
                        "-e", "dccp.seq", "-e", "dccp.ack",
                        "-E", "occurrence=a", "-E", "aggregator=,");
                List<ExpertInfo> experts = new ArrayList<>();
                TreeSet<Integer> malformed = new TreeSet<>();
                parseVerbose(verbose, experts, malformed);
                return new Verdict(new ArrayList<>(malformed), Collections.unmodifiableList(experts),
                        parseFields(fields), verbose);
            } finally {
                try (var files = Files.list(dir)) {
                    for (Path p : (Iterable<Path>) files::iterator) {
                        Files.deleteIfExists(p);
                    }
                }
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String run(Path dir, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(tshark.toString());
        command.addAll(Arrays.asList(args));
        Path out = Files.createTempFile(dir, "out", ".txt");
        Path err = Files.createTempFile(dir, "err", ".txt");
        Process process = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        try {
            if (!process.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                throw new IllegalStateException("tshark did not finish within " + TIMEOUT_SECONDS + " s: " + command);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for tshark", e);
        }
        if (process.exitValue() != 0) {
            throw new IllegalStateException("tshark exited with " + process.exitValue() + ": " + command + "\n"
                    + Files.readString(err, StandardCharsets.UTF_8));
        }
        return Files.readString(out, StandardCharsets.UTF_8);
    }

    private static void parseVerbose(String text, List<ExpertInfo> experts, TreeSet<Integer> malformed) {
        int frame = 0;
        String layer = "";
        for (String line : text.split("\n")) {
            Matcher f = FRAME.matcher(line);
            if (f.find()) {
                frame = Integer.parseInt(f.group(1));
                layer = "Frame";
                continue;
            }
            if (!line.isEmpty() && !Character.isWhitespace(line.charAt(0))) {
                layer = line;
                if (line.startsWith("[Malformed Packet")) {
                    malformed.add(frame);
                }
                continue;
            }
            Matcher e = EXPERT.matcher(line);
            if (e.find() && frame > 0) {
                ExpertInfo info = new ExpertInfo(frame, e.group(1), e.group(2), layer, e.group(3));
                experts.add(info);
                if (info.group().equals("Malformed")) {
                    malformed.add(frame);
                }
            }
        }
    }

    private static List<Decoded> parseFields(String text) {
        List<Decoded> out = new ArrayList<>();
        for (String line : text.split("\n")) {
            if (line.isBlank()) {
                continue;
            }
            String[] c = line.split("\t", -1);
            List<Integer> options = new ArrayList<>();
            if (c.length > 6 && !c[6].isEmpty()) {
                for (String o : c[6].split(",")) {
                    options.add(Integer.parseInt(o.trim()));
                }
            }
            // the dissector fills the *_raw fields for 48-bit numbers and the plain ones for 24-bit numbers
            long seqno = longNumber(c, 3) >= 0 ? longNumber(c, 3) : longNumber(c, 7);
            long ackno = longNumber(c, 4) >= 0 ? longNumber(c, 4) : longNumber(c, 8);
            out.add(new Decoded(Integer.parseInt(c[0]), number(c, 1), number(c, 2) == 1 || "True".equals(c[2]),
                    seqno, ackno, number(c, 5), List.copyOf(options)));
        }
        return out;
    }

    private static int number(String[] c, int i) {
        return (int) longNumber(c, i);
    }

    private static long longNumber(String[] c, int i) {
        if (i >= c.length || c[i].isEmpty()) {
            return -1;
        }
        String v = c[i].trim();
        return v.startsWith("0x") ? Long.parseLong(v.substring(2), 16) : Long.parseLong(v);
    }

    /** A pcap file with one raw IPv4 record per DCCP packet. */
    static byte[] pcap(List<byte[]> packets) {
        int size = 24;
        for (byte[] p : packets) {
            size += 16 + 20 + p.length;
        }
        ByteBuffer b = ByteBuffer.allocate(size).order(ByteOrder.LITTLE_ENDIAN);
        b.putInt(0xA1B2C3D4).putShort((short) 2).putShort((short) 4).putInt(0).putInt(0).putInt(65535)
                .putInt(LINKTYPE_RAW);
        int second = 0;
        for (byte[] p : packets) {
            int length = 20 + p.length;
            if (length > 65535) {
                throw new IllegalArgumentException("a DCCP packet of " + p.length + " bytes does not fit an IPv4 datagram");
            }
            b.putInt(second++).putInt(0).putInt(length).putInt(length);
            b.put(ipv4Header(length, second));
            b.put(p);
        }
        return b.array();
    }

    private static byte[] ipv4Header(int totalLength, int id) {
        ByteBuffer h = ByteBuffer.allocate(20);
        h.put((byte) 0x45).put((byte) 0).putShort((short) totalLength).putShort((short) id).putShort((short) 0)
                .put((byte) 64).put((byte) IP_PROTO_DCCP).putShort((short) 0)
                .put(new byte[] {127, 0, 0, 1}).put(new byte[] {127, 0, 0, 2});
        int sum = 0;
        for (int i = 0; i < 20; i += 2) {
            sum += (h.get(i) & 0xFF) << 8 | h.get(i + 1) & 0xFF;
        }
        sum = (sum & 0xFFFF) + (sum >>> 16);
        sum = (sum & 0xFFFF) + (sum >>> 16);
        h.putShort(10, (short) ~sum);
        return h.array();
    }
}
