package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Each function deploys code that exists: its Handler is a class Lambda can construct, with the named method, and
 * its CodeUri is the shaded jar that its own module builds (the module's maven-shade-plugin finalName).
 */
class FunctionCodeTest {
    /** {@code functions/<module>/target/<jar>.jar}, relative to the template, as the README's build writes it. */
    static final Pattern CODE_URI = Pattern.compile("functions/([a-z0-9-]+)/target/([A-Za-z0-9._-]+)\\.jar");
    /** The shade plugin's finalName in a module's pom. */
    static final Pattern SHADED_FINAL_NAME = Pattern.compile(
            "<artifactId>maven-shade-plugin</artifactId>.*?<finalName>\\s*([^<\\s]+)\\s*</finalName>", Pattern.DOTALL);

    @Test
    void everyHandler_isAPublicClassLambdaCanConstruct_withAPublicHandlerMethod() throws Exception {
        List<SamTemplate.Function> functions = SamTemplate.load().functions();
        assertThat(functions).as("template.yaml deploys no function").isNotEmpty();

        for (SamTemplate.Function f : functions) {
            // The class alone: Lambda's runtime then takes the event type from the handler's RequestHandler type
            // arguments. With ::handleRequest it would look at MicronautRequestHandler's handleRequest(Object, Context)
            // and hand the function a Map (infra/packaged starts every jar under the runtime and would fail).
            assertThat(f.handler()).as("%s.Handler", f.logicalId()).matches("[\\w.$]+");
            Class<?> handler;
            try {
                // Not initialised: the handler's static state is none of this test's business.
                handler = Class.forName(f.handlerClass(), false, getClass().getClassLoader());
            } catch (ClassNotFoundException e) {
                throw new AssertionError(f.logicalId() + ".Handler names " + f.handlerClass()
                        + ", which is not on the classpath (is its module a dependency of infra/sam?)", e);
            }
            assertThat(Modifier.isPublic(handler.getModifiers())).as("%s is public", handler.getName()).isTrue();
            assertThat(Modifier.isAbstract(handler.getModifiers())).as("%s is abstract", handler.getName()).isFalse();
            assertThat(Arrays.stream(handler.getConstructors()).anyMatch(c -> c.getParameterCount() == 0))
                    .as("%s has the public no-argument constructor Lambda uses", handler.getName()).isTrue();
            List<Method> methods = Arrays.stream(handler.getMethods())
                    .filter(m -> m.getName().equals(f.handlerMethod()) && !Modifier.isStatic(m.getModifiers()))
                    .toList();
            assertThat(methods).as("%s has a public %s method", handler.getName(), f.handlerMethod()).isNotEmpty();
        }
    }

    @Test
    void everyCodeUri_isTheShadedJarOfTheHandlersModule() {
        Path root = SamTemplate.repositoryRoot();
        for (SamTemplate.Function f : SamTemplate.load().functions()) {
            Matcher uri = CODE_URI.matcher(f.codeUri());
            assertThat(uri.matches()).as("%s.CodeUri %s should be functions/<module>/target/<module>-function.jar",
                    f.logicalId(), f.codeUri()).isTrue();
            String module = uri.group(1);
            String jar = uri.group(2);

            assertThat(jar).as("%s.CodeUri names the jar", f.logicalId()).isEqualTo(module + "-function");
            Path pom = root.resolve("functions").resolve(module).resolve("pom.xml");
            assertThat(pom).as("%s.CodeUri points into a module that does not exist", f.logicalId()).isRegularFile();
            assertThat(shadedFinalName(pom)).as("the shade plugin's finalName in %s", root.relativize(pom)).contains(jar);
            Path source = root.resolve("functions").resolve(module).resolve("src/main/java")
                    .resolve(f.handlerClass().replace('.', '/') + ".java");
            assertThat(source).as("%s's Handler %s should be in the module its CodeUri jar is built from",
                    f.logicalId(), f.handlerClass()).isRegularFile();
        }
    }

    /** A module that builds a deployable jar that no function deploys is a function someone forgot to add. */
    @Test
    void everyBuiltFunctionJar_isDeployed() throws IOException {
        Path functions = SamTemplate.repositoryRoot().resolve("functions");
        List<String> deployed = SamTemplate.load().functions().stream().map(SamTemplate.Function::codeUri).toList();
        List<String> built = new ArrayList<>();
        try (Stream<Path> modules = Files.list(functions)) {
            for (Path module : modules.filter(m -> Files.isRegularFile(m.resolve("pom.xml"))).sorted().toList()) {
                shadedFinalName(module.resolve("pom.xml")).filter(name -> name.endsWith("-function"))
                        .ifPresent(name -> built.add("functions/" + module.getFileName() + "/target/" + name + ".jar"));
            }
        }

        // A jar may serve more than one function (the refund jar also runs the hold expiry sweep).
        assertThat(new java.util.TreeSet<>(deployed)).containsExactlyInAnyOrderElementsOf(built);
    }

    static Optional<String> shadedFinalName(Path pom) {
        try {
            Matcher m = SHADED_FINAL_NAME.matcher(Files.readString(pom));
            return m.find() ? Optional.of(m.group(1)) : Optional.empty();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
