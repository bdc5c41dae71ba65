package io.qsockets.impl.dccp.wire;

/** What {@link OptionCursor#next()} found (RFC 4340 §5.8, §5.8.2). */
public enum OptionStatus {
    /** An option is current; read it through the cursor. */
    OPTION,
    /** No more options. */
    END,
    /**
     * A multi-byte option whose length byte is missing, below 2, or runs past the options area.
     * The option and all option space after it must be ignored (§5.8); the cursor then returns
     * {@link #END}. {@link OptionCursor#type()} and {@link OptionCursor#isMandatory()} describe the
     * offending option.
     */
    BAD_LENGTH,
    /**
     * Mandatory was the last byte of the options: the connection is in error and should be reset
     * with Reset Code 5, "Option Error" (§5.8.2); {@link OptionCursor#type()} is Mandatory and
     * {@link OptionCursor#optionOffset()} its index. The cursor then returns {@link #END}.
     */
    MANDATORY_AT_END,
    /**
     * Mandatory was followed by another Mandatory: reset with Reset Code 5, "Option Error"
     * (§5.8.2); {@link OptionCursor#optionOffset()} is the index of the second one. The cursor then
     * returns {@link #END}.
     */
    MANDATORY_REPEATED
}
