package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * What a Lambda jar must never carry: the embedded store of the local runner and the tests (infra/sqlite-store and
 * sqlite-jdbc with its native libraries) and DynamoDB Local (whose licence forbids shipping it). Reads every jar the
 * template deploys, as the build wrote it (the function modules are packaged before this module's tests run).
 */
class FunctionJarContentsTest {
    /** Entry prefixes that mark a forbidden library. */
    static final List<String> FORBIDDEN = List.of("com/tokenwallet/sqlite/", "org/sqlite/", "com/amazonaws/services/dynamodbv2/local/",
            "com/amazon/dynamodb/", "com/almworks/sqlite4java/", "org/eclipse/jetty/");

    @Test
    void noDeployedJar_carriesTheEmbeddedStore_orDynamoDbLocal() throws IOException {
        List<String> jars = SamTemplate.load().functions().stream().map(SamTemplate.Function::codeUri).distinct().toList();
        assertThat(jars).isNotEmpty();
        for (String uri : jars) {
            Path jar = SamTemplate.repositoryRoot().resolve(uri);
            if (!Files.isRegularFile(jar)) {
                boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
                assertThat(ci).as("%s is not built; under CI the build packages every function before this test", uri).isFalse();
                Assumptions.abort(uri + " is not built (run mvn verify or package from the root, not only this module's tests)");
            }
            try (JarFile file = new JarFile(jar.toFile())) {
                List<String> forbidden = file.stream().map(JarEntry::getName)
                        .filter(name -> FORBIDDEN.stream().anyMatch(name::startsWith)).limit(5).toList();
                assertThat(forbidden).as("%s carries what only the local runner and the tests may use", uri).isEmpty();
                assertThat(file.getEntry("com/tokenwallet/domain/port/WalletStore.class")).as("%s is a function jar", uri).isNotNull();
            }
        }
    }

    /** Issue 18: the reset's fan-out is the state machine's; its worker jar has no Lambda client to invoke anything with. */
    @Test
    void theQuotaResetJar_carriesNoLambdaClient() throws IOException {
        String uri = SamTemplate.load().functionHandledBy(com.tokenwallet.quotareset.QuotaResetHandler.class).codeUri();
        Path jar = SamTemplate.repositoryRoot().resolve(uri);
        if (!Files.isRegularFile(jar)) {
            assertThat("true".equalsIgnoreCase(System.getenv("CI"))).as("%s is not built; under CI the build packages every function before this test", uri).isFalse();
            Assumptions.abort(uri + " is not built (run mvn verify or package from the root, not only this module's tests)");
        }
        try (JarFile file = new JarFile(jar.toFile())) {
            assertThat(file.stream().map(JarEntry::getName).filter(n -> n.startsWith("software/amazon/awssdk/services/lambda/")
                    || n.startsWith("software/amazon/awssdk/services/sfn/")).limit(3).toList()).as(uri).isEmpty();
            assertThat(file.getEntry("com/tokenwallet/quotareset/QuotaResetHandler.class")).isNotNull();
        }
    }
}
