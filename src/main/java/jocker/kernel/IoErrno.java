package jocker.kernel;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

/**
 * The errno behind an IOException of the JDK, which {@link Host} uses for its
 * file calls. The JDK turns the usual ones into their own exception types and
 * reports any other by its C library text ("Device or resource busy"): the
 * errno is then the one libc describes with that text.
 */
final class IoErrno {
    private static final int ENOENT = 2;
    private static final int EIO = 5;
    private static final int EACCES = 13;
    private static final int EEXIST = 17;
    private static final int ENOTEMPTY = 39;
    private static final int LAST_ERRNO = 133; // EHWPOISON, the highest Linux has

    private IoErrno() {}

    static int of(IOException e) {
        if (e instanceof NoSuchFileException) return ENOENT;
        if (e instanceof FileAlreadyExistsException) return EEXIST;
        if (e instanceof AccessDeniedException) return EACCES;
        if (e instanceof DirectoryNotEmptyException) return ENOTEMPTY;
        String text = e instanceof FileSystemException fs ? fs.getReason() : e.getMessage();
        for (int errno = 1; errno <= LAST_ERRNO; errno++) {
            if (SyscallException.errnoText(errno).equals(text)) return errno;
        }
        return EIO;
    }
}
