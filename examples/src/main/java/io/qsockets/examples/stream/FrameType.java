package io.qsockets.examples.stream;

/** The type of a coded video frame. */
public enum FrameType {
    /** Intra-coded: decodable alone; losing it breaks the group of pictures. */
    I,
    /** Predicted from the previous reference frame. */
    P,
    /** Bi-directionally predicted; nothing depends on it. */
    B;

    /**
     * @param text "I", "P" or "B"
     * @return the type
     * @throws IllegalArgumentException naming the text and the allowed values
     */
    public static FrameType parse(String text) {
        return switch (text.trim()) {
            case "I", "i" -> I;
            case "P", "p" -> P;
            case "B", "b" -> B;
            default -> throw new IllegalArgumentException("frame type '" + text + "' must be I, P or B");
        };
    }
}
