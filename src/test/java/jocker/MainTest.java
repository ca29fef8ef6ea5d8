package jocker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import jocker.i18n.Messages;
import org.approvaltests.Approvals;
import org.approvaltests.reporters.QuietReporter;
import org.approvaltests.reporters.UseReporter;
import org.junit.jupiter.api.Test;

@UseReporter(QuietReporter.class)
class MainTest {
    @Test
    void help() {
        Approvals.verify(Main.help());
    }

    @Test
    void runHelp() {
        Approvals.verify(Main.runHelp());
    }

    /** Under a Chinese locale: help.zh-CN.txt and help-run.zh-CN.txt, with the steps' summaries in Chinese. */
    @Test
    void helpAndRunHelpInChinese() {
        Messages.use("zh-CN");
        try {
            Approvals.verify(Main.help() + "\n----\n\n" + Main.runHelp());
        } finally {
            Messages.use(Messages.ENGLISH);
        }
    }

    @Test
    void unknownCommand() {
        JockerException e = assertThrows(JockerException.class, () -> Main.dispatch(List.of("rnu")));
        assertEquals("unknown command 'rnu'. See 'jocker --help'.", e.getMessage());
        assertEquals(125, e.exitCode());
    }
}
