package jocker.tutorial;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class WidthTest {
    @Test
    void cjkCharactersTakeTwoColumns() {
        assertEquals(5, Width.of("hello"));
        assertEquals(8, Width.of("容器进程"));
        assertEquals(12, Width.of("UTS 命名空间"));
        assertEquals(2, Width.of("\uD840\uDC00")); // outside the BMP (U+20000), still two columns
        assertEquals(1, Width.of("e\u0301")); // a combining accent takes none
    }

    @Test
    void padAndFitCountColumns() {
        assertEquals("容器  |", Width.pad("容器", 6) + "|");
        assertEquals("abc   |", Width.pad("abc", 6) + "|");
        assertEquals("容器进程", Width.pad("容器进程", 4)); // never cut by pad
        assertEquals("容器…", Width.fit("容器进程", 6)); // 容器 (4) + … (1); 进 would need 2 more
        assertEquals("容器…", Width.fit("容器进程", 5));
        assertEquals("abcd…", Width.fit("abcdefg", 5));
        assertEquals("容器进程", Width.fit("容器进程", 8));
    }
}
