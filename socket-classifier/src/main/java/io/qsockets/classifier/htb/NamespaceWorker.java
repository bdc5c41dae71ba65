package io.qsockets.classifier.htb;

import io.qsockets.KernelOffloadException;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * One thread that does a kernel path's work in order. It is started by the thread that creates
 * the worker, so it lives in that thread's network namespace, and so do the {@code tc}
 * processes it runs and the {@code /proc/thread-self/net} tables it reads, whichever thread
 * asks later. Thread-safe.
 */
final class NamespaceWorker implements AutoCloseable {
    private static final long TIMEOUT_SECONDS = 30;

    private final String name;
    private final ThreadPoolExecutor executor;
    private volatile Thread thread;

    NamespaceWorker(String name) {
        this.name = name;
        this.executor = new ThreadPoolExecutor(1, 1, 0, TimeUnit.SECONDS, new LinkedBlockingQueue<>(), r -> {
            Thread t = new Thread(r, name);
            t.setDaemon(true);
            thread = t;
            return t;
        });
        executor.prestartCoreThread(); // now, from the creating thread and so in its namespace
    }

    /**
     * Runs {@code task} on the worker and waits for it.
     *
     * @throws IllegalStateException if the worker was closed
     * @throws KernelOffloadException if the task takes longer than 30 s or the wait is interrupted
     */
    <T> T call(Callable<T> task) {
        if (Thread.currentThread() == thread) {
            return direct(task);
        }
        Future<T> future;
        try {
            future = executor.submit(task);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(name + " is closed", e);
        }
        try {
            return future.get(TIMEOUT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw rethrow(e.getCause());
        } catch (TimeoutException e) {
            future.cancel(true);
            throw new KernelOffloadException(name + " did not finish within " + TIMEOUT_SECONDS + " s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new KernelOffloadException("interrupted while waiting for " + name, e);
        }
    }

    private static <T> T direct(Callable<T> task) {
        try {
            return task.call();
        } catch (Exception e) {
            throw rethrow(e);
        }
    }

    private static RuntimeException rethrow(Throwable cause) {
        if (cause instanceof RuntimeException r) {
            return r;
        }
        if (cause instanceof Error err) {
            throw err;
        }
        return new KernelOffloadException(cause.toString(), cause);
    }

    /** Lets queued work finish, then ends the thread. */
    @Override
    public void close() {
        executor.shutdown();
    }
}
