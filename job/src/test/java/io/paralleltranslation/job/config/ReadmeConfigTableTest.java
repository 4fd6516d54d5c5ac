package io.paralleltranslation.job.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import org.junit.jupiter.api.Test;

/** The README's configuration table is generated from the code; this keeps the two equal. */
class ReadmeConfigTableTest {
    static final String BEGIN = "<!-- config-table:begin (generated from ConfigRegistry.options(); see ReadmeConfigTableTest) -->\n";
    static final String END = "<!-- config-table:end -->";

    @Test
    void readmeTableMatchesTheKeys() throws Exception {
        Path readme = Paths.get("..", "README.md");
        String text = new String(Files.readAllBytes(readme), StandardCharsets.UTF_8);
        int begin = text.indexOf(BEGIN);
        int end = text.indexOf(END);
        assertThat(begin).as("README has the config table markers").isNotNegative();
        String table = text.substring(begin + BEGIN.length(), end);

        if (Boolean.getBoolean("readme.update") && !table.equals(JobConfig.markdownTable())) {
            Files.write(readme, (text.substring(0, begin + BEGIN.length()) + JobConfig.markdownTable()
                    + text.substring(end)).getBytes(StandardCharsets.UTF_8));
            return;
        }
        assertThat(table).as("README table is stale: run this test with -Dreadme.update=true")
                .isEqualTo(JobConfig.markdownTable());
    }
}
