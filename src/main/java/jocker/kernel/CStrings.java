package jocker.kernel;

import java.nio.charset.StandardCharsets;
import java.util.List;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/** A Java list as a C {@code char *[]} ending in NULL, for execve and posix_spawn. */
final class CStrings {
    private CStrings() {}

    /** The array and every string stay alive as long as {@code keepAlive} does. */
    static Pointer array(Runtime runtime, List<String> strings, List<Pointer> keepAlive) {
        int wordSize = runtime.addressSize();
        Pointer array = Memory.allocateDirect(runtime, (strings.size() + 1) * wordSize, true);
        for (int i = 0; i < strings.size(); i++) {
            byte[] bytes = strings.get(i).getBytes(StandardCharsets.UTF_8);
            Pointer string = Memory.allocateDirect(runtime, bytes.length + 1, true);
            string.put(0, bytes, 0, bytes.length);
            keepAlive.add(string);
            array.putPointer((long) i * wordSize, string);
        }
        keepAlive.add(array);
        return array;
    }
}
