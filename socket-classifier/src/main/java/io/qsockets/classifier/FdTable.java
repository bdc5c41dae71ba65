package io.qsockets.classifier;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * This process's descriptors and the socket inodes they refer to, read from {@code /proc/self/fd}
 * (each entry is a link to {@code socket:[inode]} for a socket). Cached: a lookup checks its
 * cached descriptor with one {@code readlink}; a scan reads only the descriptors not seen yet, or
 * all of them again (a closed descriptor's number may have been reused). Not thread-safe.
 */
final class FdTable {
    private static final long NOT_A_SOCKET = -1;

    private final Path dir;
    private final Map<Integer, Long> inodeByFd = new HashMap<>();
    private final Map<Long, Integer> fdByInode = new HashMap<>();

    FdTable(Path dir) {
        this.dir = dir;
    }

    /** @return the cached descriptor of socket {@code inode}, checked with one readlink, or -1 */
    int cachedFd(long inode) {
        Integer fd = fdByInode.get(inode);
        if (fd == null) {
            return -1;
        }
        if (inodeOf(fd) == inode) {
            return fd;
        }
        fdByInode.remove(inode);
        inodeByFd.remove(fd);
        return -1;
    }

    /** @param all whether to reread descriptors already seen (they may have been reused) */
    void scan(boolean all) {
        if (all) {
            inodeByFd.clear();
            fdByInode.clear();
        }
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            for (Path entry : entries) {
                int fd = Integer.parseInt(entry.getFileName().toString());
                if (!inodeByFd.containsKey(fd)) {
                    long inode = inodeOf(fd);
                    inodeByFd.put(fd, inode);
                    if (inode != NOT_A_SOCKET) {
                        fdByInode.put(inode, fd);
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir, e);
        }
    }

    /** @return the socket inode {@code fd} refers to, or -1 if it is closed or not a socket */
    long inodeOf(int fd) {
        String target;
        try {
            target = Files.readSymbolicLink(dir.resolve(Integer.toString(fd))).toString();
        } catch (NoSuchFileException e) {
            return NOT_A_SOCKET;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + dir.resolve(Integer.toString(fd)), e);
        }
        return socketInode(target);
    }

    /** @return the inode of a {@code socket:[N]} link target, or -1 for any other */
    static long socketInode(String linkTarget) {
        if (!linkTarget.startsWith("socket:[") || !linkTarget.endsWith("]")) {
            return NOT_A_SOCKET;
        }
        try {
            return Long.parseLong(linkTarget, 8, linkTarget.length() - 1, 10);
        } catch (NumberFormatException e) {
            return NOT_A_SOCKET;
        }
    }
}
