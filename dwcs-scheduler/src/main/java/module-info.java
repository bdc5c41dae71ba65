/** Packet schedulers behind the qsockets scheduler SPI: FIFO, DWCS and EDF. Exports nothing. */
module io.qsockets.scheduler {
    requires io.qsockets.api;

    provides io.qsockets.spi.PacketSchedulerProvider with
            io.qsockets.scheduler.fifo.FifoSchedulerProvider,
            io.qsockets.scheduler.dwcs.DwcsSchedulerProvider,
            io.qsockets.scheduler.dwcs.EdfSchedulerProvider;
}
