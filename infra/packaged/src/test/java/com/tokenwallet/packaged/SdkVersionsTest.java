package com.tokenwallet.packaged;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.ZipFile;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What each deployed jar carries, read from the jar itself: one version of every AWS SDK module (the build's
 * enforcer rule checks the resolved dependencies; this checks what was shaded), and none of the libraries the
 * functions do not use (the SDK's Apache and Netty HTTP clients, Reactor).
 */
class SdkVersionsTest {
    static final String SDK = "META-INF/maven/software.amazon.awssdk/";
    /** Packages of libraries no function uses: the URL-connection client is the only HTTP client. */
    static final List<String> UNUSED = List.of("software/amazon/awssdk/http/apache/", "software/amazon/awssdk/http/apache5/",
            "software/amazon/awssdk/http/nio/netty/", "io/netty/", "org/apache/hc/", "org/apache/http/", "reactor/core/");

    final Path root = Path.of(System.getProperty("repository.root", "../..")).toAbsolutePath().normalize();

    /** Each AWS SDK module in the jar and its version, from the pom.properties the shade plugin keeps. */
    static Map<String, String> sdkModules(Path jar) throws IOException {
        Map<String, String> modules = new TreeMap<>();
        try (ZipFile zip = new ZipFile(jar.toFile())) {
            for (var e = zip.entries(); e.hasMoreElements(); ) {
                var entry = e.nextElement();
                if (entry.getName().startsWith(SDK) && entry.getName().endsWith("/pom.properties")) {
                    Properties p = new Properties();
                    try (InputStream in = zip.getInputStream(entry)) {
                        p.load(in);
                    }
                    modules.put(p.getProperty("artifactId"), p.getProperty("version"));
                }
            }
        }
        return modules;
    }

    static Collection<String> versions(Map<String, String> modules) {
        return new TreeSet<>(modules.values());
    }

    @Test
    void everyFunctionJar_hasOneAwsSdkVersion_andNoUnusedLibrary() throws IOException {
        Map<String, Object> template = TemplateFunctions.read(root);
        var functions = TemplateFunctions.load(template, root, new Intrinsics(template, "s", "us-east-1", "123456789012",
                Map.of("JwtIssuer", "i", "JwtAudience", "a"), Map.of("WalletTable", "t", "WalletEventBus", "b")));
        assertThat(functions).hasSize(8);
        for (var f : functions.values()) {
            Map<String, String> modules = sdkModules(f.jar());
            assertThat(modules).as("%s: AWS SDK modules in %s", f.logicalId(), f.jar().getFileName()).containsKeys("sdk-core", "dynamodb");
            assertThat(versions(modules)).as("%s: versions of the AWS SDK modules in %s: %s", f.logicalId(), f.jar().getFileName(), modules)
                    .containsExactly(System.getProperty("awssdk.version", modules.get("sdk-core")));
            try (ZipFile zip = new ZipFile(f.jar().toFile())) {
                List<String> unused = zip.stream().map(java.util.zip.ZipEntry::getName)
                        .filter(n -> UNUSED.stream().anyMatch(n::startsWith)).limit(5).toList();
                assertThat(unused).as("%s: classes of unused libraries in %s", f.logicalId(), f.jar().getFileName()).isEmpty();
            }
        }
    }

    /** The check above on a jar that mixes versions, as the functions' jars did (eventbridge 2.25.50, sdk-core 2.57.8). */
    @Test
    void theCheck_seesTwoVersionsInOneJar(@TempDir Path dir) throws IOException {
        Path jar = dir.resolve("mixed-function.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            for (String[] module : new String[][]{{"eventbridge", "2.25.50"}, {"sdk-core", "2.57.8"}}) {
                out.putNextEntry(new JarEntry(SDK + module[0] + "/pom.properties"));
                out.write(("groupId=software.amazon.awssdk\nartifactId=" + module[0] + "\nversion=" + module[1] + "\n")
                        .getBytes(StandardCharsets.UTF_8));
                out.closeEntry();
            }
        }
        assertThat(versions(sdkModules(jar))).containsExactly("2.25.50", "2.57.8");
    }
}
