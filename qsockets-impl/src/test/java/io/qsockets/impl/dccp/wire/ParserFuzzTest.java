package io.qsockets.impl.dccp.wire;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Seeded random mutation of valid packets: the read side never throws and never reads outside the
 * range it was given. Each mutant is parsed three times: alone in a buffer of exactly its size (a
 * read past either end throws), and at offset 7 behind a prefix of 0x00 and of 0xFF bytes in a
 * buffer whose limit is its end; the three digests must agree, so no read strays into the prefix.
 */
@Timeout(120)
class ParserFuzzTest {

    private static final long SEED = 0x4340_6773L;
    private static final int MUTANTS = 200_000;
    private static final int PREFIX = 7;

    private final PacketDigest digest = new PacketDigest();

    @Test
    void parsingMutatedPacketsNeverThrowsNorReadsOutsideTheRange() {
        List<byte[]> corpus = new ArrayList<>();
        for (SamplePackets.Sample s : SamplePackets.all()) {
            corpus.add(s.bytes());
        }
        Random random = new Random(SEED);
        for (int i = 0; i < MUTANTS; i++) {
            byte[] mutant = mutate(corpus.get(random.nextInt(corpus.size())), random);
            try {
                long alone = digest.digest(exact(mutant, i % 16 == 0), 0, mutant.length);
                long afterZeros = digest.digest(prefixed(mutant, (byte) 0), PREFIX, mutant.length);
                long afterOnes = digest.digest(prefixed(mutant, (byte) 0xFF), PREFIX, mutant.length);
                if (alone != afterZeros || alone != afterOnes) {
                    fail("parse depends on bytes outside the packet: " + HexFormat.of().formatHex(mutant));
                }
            } catch (RuntimeException e) {
                throw new AssertionError("mutant " + i + " threw: " + HexFormat.of().formatHex(mutant), e);
            }
        }
        System.out.printf("%d mutants: results %s, option statuses %s, %d vector cells, %d data checksums matched%n",
                MUTANTS, Arrays.toString(digest.results), Arrays.toString(digest.statuses), digest.cells,
                digest.checksumsMatched);
        // the mutants reach every outcome: each rejection reason and each option status
        for (ParseResult r : ParseResult.values()) {
            assertThat(digest.results[r.ordinal()]).as("%s reached", r).isGreaterThan(0);
        }
        for (OptionStatus s : OptionStatus.values()) {
            assertThat(digest.statuses[s.ordinal()]).as("%s reached", s).isGreaterThan(0);
        }
        assertThat(digest.cells).isGreaterThan(0);
        assertThat(digest.checksumsMatched).isGreaterThan(0);
    }

    @Test
    void everySamplePacketParsesToWhatWasWritten() {
        for (SamplePackets.Sample s : SamplePackets.all()) {
            DccpHeader h = new DccpHeader();
            assertThat(h.wrap(ByteBuffer.wrap(s.bytes()), 0, s.bytes().length).validate()).as(s.name()).isEqualTo(ParseResult.OK);
            OptionCursor c = new OptionCursor().reset(h);
            OptionStatus status;
            while ((status = c.next()) == OptionStatus.OPTION) {
                assertThat(c.hasValidLength()).as(s.name() + " option " + c.type()).isTrue();
                if (OptionType.isFeatureNegotiation(c.type())) {
                    assertThat(c.isValidFeatureOption()).as(s.name() + " feature " + c.featureNumber()).isTrue();
                }
                if (c.type() == OptionType.DATA_CHECKSUM) {
                    assertThat(c.dataChecksumMatches()).as(s.name()).isTrue();
                }
            }
            assertThat(status).as(s.name()).isEqualTo(OptionStatus.END);
        }
    }

    private static ByteBuffer exact(byte[] packet, boolean direct) {
        if (!direct) {
            return ByteBuffer.wrap(packet);
        }
        ByteBuffer b = ByteBuffer.allocateDirect(packet.length);
        b.put(0, packet);
        return b;
    }

    private static ByteBuffer prefixed(byte[] packet, byte fill) {
        byte[] bytes = new byte[PREFIX + packet.length + 5];
        Arrays.fill(bytes, fill);
        System.arraycopy(packet, 0, bytes, PREFIX, packet.length);
        return ByteBuffer.wrap(bytes).limit(PREFIX + packet.length);
    }

    private static byte[] mutate(byte[] seed, Random random) {
        byte[] p = seed.clone();
        int rounds = 1 + random.nextInt(3);
        for (int k = 0; k < rounds; k++) {
            switch (random.nextInt(8)) {
                case 0: // random bytes anywhere
                    for (int n = 1 + random.nextInt(4); n > 0 && p.length > 0; n--) {
                        p[random.nextInt(p.length)] = (byte) random.nextInt(256);
                    }
                    break;
                case 1: // truncate
                    p = Arrays.copyOf(p, random.nextInt(p.length + 1));
                    break;
                case 2: // Data Offset
                    if (p.length > 4) {
                        p[4] = (byte) (random.nextBoolean() ? random.nextInt(256) : random.nextInt(12));
                    }
                    break;
                case 3: // an interesting value in the options area
                    if (p.length > 16) {
                        int at = 12 + random.nextInt(p.length - 12);
                        int[] interesting = {0, 1, 2, 3, 4, 6, 8, 10, 32, 33, 36, 37, 38, 39, 40, 41, 42, 43, 44, 128, 255,
                            p.length - at, p.length - at + 1};
                        p[at] = (byte) interesting[random.nextInt(interesting.length)];
                    }
                    break;
                case 4: // type and X
                    if (p.length > 8) {
                        p[8] = (byte) (random.nextInt(16) << 1 | random.nextInt(2) | (p[8] & 0xE0));
                    }
                    break;
                case 5: // CsCov
                    if (p.length > 5) {
                        p[5] = (byte) ((p[5] & 0xF0) | random.nextInt(16));
                    }
                    break;
                case 6: // grow with random bytes
                    int old = p.length;
                    p = Arrays.copyOf(p, old + 1 + random.nextInt(40));
                    for (int i = old; i < p.length; i++) {
                        p[i] = (byte) random.nextInt(256);
                    }
                    break;
                default: // entirely random short packet
                    p = new byte[random.nextInt(48)];
                    random.nextBytes(p);
                    break;
            }
        }
        return p;
    }
}
