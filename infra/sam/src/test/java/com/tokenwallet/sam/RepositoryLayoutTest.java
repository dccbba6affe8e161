package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * The repository's top level holds what a newcomer expects and nothing else (the state machine definitions once sat
 * beside template.yaml): the build, the functions, the infrastructure, the template, the README, the docs, CI and
 * the ignore file. Everything else belongs under {@code functions/} or {@code infra/}.
 */
class RepositoryLayoutTest {
    static final Set<String> TOP_LEVEL = Set.of("pom.xml", "functions", "infra", "template.yaml", "README.md", "docs", ".ci",
            ".gitignore");

    @Test
    void theTopLevel_holdsOnlyTheBuildTheCodeTheTemplateTheReadmeTheDocsAndCi() throws Exception {
        Path root = SamTemplate.repositoryRoot();
        Set<String> tracked = topLevelOfTrackedFiles(root);
        assertThat(tracked).as("top-level entries of the tracked files").containsAll(Set.of("pom.xml", "functions", "infra",
                "template.yaml", "README.md", ".ci")).isSubsetOf(TOP_LEVEL);
    }

    /** The first path segment of every file git tracks (or is about to: added but not committed) under {@code root}. */
    private static Set<String> topLevelOfTrackedFiles(Path root) throws IOException, InterruptedException {
        Process git;
        try {
            git = new ProcessBuilder("git", "-C", root.toString(), "ls-files", "--cached", "-z").redirectErrorStream(false).start();
        } catch (IOException noGit) {
            // CI must run every check: without git the test fails there; elsewhere it says why it did not run.
            if ("true".equals(System.getenv("CI"))) {
                throw noGit;
            }
            Assumptions.abort("git is not installed: " + noGit.getMessage());
            return Set.of();
        }
        byte[] out = git.getInputStream().readAllBytes();
        assertThat(git.waitFor(30, TimeUnit.SECONDS)).as("git ls-files ended").isTrue();
        if (git.exitValue() != 0 && !"true".equals(System.getenv("CI"))) {
            Assumptions.abort("not a git work tree: " + new String(git.getErrorStream().readAllBytes(), StandardCharsets.UTF_8).strip());
        }
        assertThat(git.exitValue()).as("git ls-files in " + root).isZero();
        Set<String> top = new TreeSet<>();
        for (String file : new String(out, StandardCharsets.UTF_8).split("\0")) {
            if (!file.isEmpty()) {
                top.add(file.split("/", 2)[0]);
            }
        }
        return top;
    }
}
