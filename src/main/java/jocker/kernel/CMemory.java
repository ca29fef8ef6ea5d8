package jocker.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * Strings and buffers in native memory, the way libc takes them: {@link LibC}
 * says why jocker hands jnr-ffi pointers rather than Java strings and arrays.
 * The memory is freed when its Pointer is no longer used.
 */
final class CMemory {
    private final Runtime runtime;

    CMemory(Runtime runtime) {
        this.runtime = runtime;
    }

    /** Room for {@code size} bytes (an int that libc fills in, a read buffer ...). */
    Pointer allocate(int size) {
        return Memory.allocateDirect(runtime, size, true);
    }

    /** A copy of the bytes. */
    Pointer copy(byte[] bytes) {
        Pointer memory = allocate(Math.max(1, bytes.length));
        memory.put(0, bytes, 0, bytes.length);
        return memory;
    }

    /** The text as a C string: its UTF-8 bytes, then a NUL. */
    Pointer string(Object text) {
        return copy((text + "\0").getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A Java list as a C {@code char *[]} ending in NULL, for posix_spawn. The
     * array and every string stay alive as long as {@code keepAlive} does.
     */
    Pointer array(List<String> strings, List<Pointer> keepAlive) {
        int wordSize = runtime.addressSize();
        Pointer array = allocate((strings.size() + 1) * wordSize);
        for (int i = 0; i < strings.size(); i++) {
            Pointer string = string(strings.get(i));
            keepAlive.add(string);
            array.putPointer((long) i * wordSize, string);
        }
        keepAlive.add(array);
        return array;
    }
}
