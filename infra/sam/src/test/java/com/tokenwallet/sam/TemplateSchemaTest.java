package com.tokenwallet.sam;

import static com.tokenwallet.sam.SamTemplate.at;
import static org.assertj.core.api.Assertions.assertThat;

import com.networknt.schema.Error;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import com.networknt.schema.dialect.Dialect;
import com.networknt.schema.dialect.Dialects;
import com.networknt.schema.keyword.NonValidationKeyword;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * template.yaml against the official SAM schema (src/test/resources/sam.schema.json, draft-04, copied from
 * aws/serverless-application-model). The schema checks the SAM resources' shapes (unknown properties, event
 * types, Auth blocks); it passes every CloudFormation property through unchecked ({@code Runtime: 42} is valid
 * to it), which is why the other tests here check the values that matter.
 */
class TemplateSchemaTest {
    private static final String[] DEBITS_EVENT = {"Resources", "DebitFunction", "Properties", "Events", "Debits", "Properties"};
    private static final JsonMapper JSON = JsonMapper.builder().build();
    private static final Schema SAM_SCHEMA = loadSchema();
    /** The evaluation path of a "this is not that type" error: group 1 is the anyOf branch it belongs to. */
    private static final Pattern TYPE_MISMATCH = Pattern.compile("(.*/anyOf/\\d+)(/\\$ref)?/properties/Type/(enum|pattern)");

    private static Schema loadSchema() {
        // The file declares draft-04 in its $schema. SAM adds two annotation keywords of its own; declaring them keeps
        // the validator from warning about each one, and they validate nothing.
        Dialect samDraft4 = Dialect.builder(Dialects.getDraft4())
                .keyword(new NonValidationKeyword("__samPassThrough"))
                .keyword(new NonValidationKeyword("markdownDescription"))
                .build();
        SchemaRegistry registry = SchemaRegistry.withDialect(samDraft4);
        try (InputStream in = TemplateSchemaTest.class.getResourceAsStream("/sam.schema.json")) {
            if (in == null) {
                throw new IllegalStateException("sam.schema.json is missing from the test resources");
            }
            return registry.getSchema(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static List<Error> validate(Map<String, Object> template) {
        JsonNode node = JSON.valueToTree(template);
        return SAM_SCHEMA.validate(node);
    }

    /**
     * The errors worth reading. Resources and events are anyOf lists in the schema (one branch per SAM type), so one
     * mistake comes back once per branch. The branches whose Type did not even match are noise and are left out;
     * if the Type itself is the mistake, what is shown is the list of types it could have been.
     */
    static String describe(List<Error> errors) {
        Map<Error, String> otherTypeBranch = new HashMap<>();
        for (Error e : errors) {
            Matcher m = TYPE_MISMATCH.matcher(e.getEvaluationPath().toString());
            if (m.matches()) {
                otherTypeBranch.put(e, m.group(1) + "/");
            }
        }
        List<Error> kept = errors.stream()
                .filter(e -> otherTypeBranch.values().stream()
                        .filter(branch -> !branch.equals(otherTypeBranch.get(e)))
                        .noneMatch(e.getEvaluationPath().toString()::startsWith))
                .toList();
        List<Error> mistakes = kept.stream().filter(e -> !otherTypeBranch.containsKey(e)).toList();
        List<Error> shown = !mistakes.isEmpty() ? mistakes : !kept.isEmpty() ? kept : errors;
        String hidden = shown.size() == errors.size() ? ""
                : ", " + (errors.size() - shown.size()) + " of them from the schema's branches for other types, not shown";
        return shown.stream().map(e -> "  " + e.getInstanceLocation() + ": " + e.getMessage())
                .collect(Collectors.joining("\n", errors.size() + " schema error(s)" + hidden + ":\n", ""));
    }

    @Test
    void schema_isTheDraft04SamSchema() {
        assertThat(SAM_SCHEMA.getSchemaNode().path("$schema").asString()).isEqualTo("http://json-schema.org/draft-04/schema#");
        assertThat(SAM_SCHEMA.getSchemaNode().path("definitions").has("samtranslator__internal__schema_source__aws_serverless_function__Properties")).isTrue();
    }

    @Test
    void template_isValid_againstTheSamSchema() {
        List<Error> errors = validate(SamTemplate.load().tree());

        assertThat(errors).as(() -> "template.yaml is not a valid SAM template.\n" + describe(errors)).isEmpty();
    }

    /** Copies of template.yaml with one mistake each: the validator must reject every one, or test 1 proves nothing. */
    static Stream<Arguments> brokenTemplates() {
        return Stream.of(
                broken("an unknown property in a function's Properties", "Runtim",
                        t -> at(t, "Resources", "CheckFunction", "Properties").put("Runtim", "java21")),
                broken("an unknown property in an HttpApi event", "Paths",
                        t -> at(t, DEBITS_EVENT).put("Paths", "/v1/x")),
                broken("AuthorizationScopes as a string, not a list", "AuthorizationScopes",
                        t -> at(t, DEBITS_EVENT).put("Auth", Map.of("Authorizer", "WalletJwt", "AuthorizationScopes", "wallet:charge"))),
                broken("a misspelled event type", "Balance",
                        t -> at(t, "Resources", "CheckFunction", "Properties", "Events", "Balance").put("Type", "HttpAPI")),
                broken("an unknown Globals section", "Functions",
                        t -> at(t, "Globals").put("Functions", Map.of("Runtime", "java21"))),
                broken("an unknown attribute on the HttpApi's Auth", "DefaultAuthoriser",
                        t -> at(t, "Resources", "WalletHttpApi", "Properties", "Auth").put("DefaultAuthoriser", "WalletJwt")),
                broken("no Resources at all", "Resources",
                        t -> t.remove("Resources")));
    }

    private static Arguments broken(String mistake, String mentioned, Consumer<Map<String, Object>> change) {
        return Arguments.of(mistake, mentioned, change);
    }

    @ParameterizedTest(name = "rejects {0}")
    @MethodSource("brokenTemplates")
    void schema_rejectsABrokenCopyOfTheTemplate(String mistake, String mentioned, Consumer<Map<String, Object>> change) {
        Map<String, Object> template = SamTemplate.load().tree();
        change.accept(template);

        List<Error> errors = validate(template);

        assertThat(errors).as("the SAM schema should reject %s", mistake).isNotEmpty();
        assertThat(describe(errors)).as("the errors should point at the mistake (%s)", mistake).contains(mentioned);
    }
}
