/**
 * The RTC timing subsystem: {@link io.qsockets.impl.rtc.TimingWheel}, a single-threaded
 * hierarchical timing wheel driven by a duty cycle on (possibly simulated) time, and
 * {@link io.qsockets.impl.rtc.Rtc}, a thread-safe service with its own thread that activates
 * requests at their deadlines in deadline order, parking first and spinning the last stretch.
 */
package io.qsockets.impl.rtc;
