package com.tokenwallet.sam;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * docs/errors.md, the error reference, has a row for every status and code that some operation of
 * infra/openapi.yaml documents ({@code | 409 | `subscription_exists` | ...}), so a code added to the document
 * cannot be missing from the reference.
 */
class ErrorReferenceTest {

    static TreeSet<String> documentedRows(OpenApiDocument document) {
        TreeSet<String> rows = new TreeSet<>();
        for (OpenApiDocument.Operation operation : document.operations()) {
            for (Map.Entry<String, Map<String, Object>> response : operation.responses().entrySet()) {
                if (!response.getKey().startsWith("2")) {
                    operation.codes(response.getKey()).forEach(code -> rows.add("| " + response.getKey() + " | `" + code + "` |"));
                }
            }
        }
        return rows;
    }

    static List<String> missing(TreeSet<String> rows, String reference) {
        List<String> missing = new ArrayList<>();
        for (String row : rows) {
            if (reference.lines().noneMatch(line -> line.startsWith(row))) {
                missing.add(row);
            }
        }
        return missing;
    }

    @Test
    void everyDocumentedErrorCode_hasARowInTheErrorReference() {
        TreeSet<String> rows = documentedRows(OpenApiDocument.load());
        String reference = SamTemplate.read(ApiReferenceTest.readmePath().resolveSibling("docs").resolve("errors.md"));

        assertThat(rows).as("the document's error codes").contains("| 402 | `insufficient_tokens` |", "| 409 | `subscription_exists` |");
        assertThat(missing(rows, reference)).as("rows docs/errors.md lacks (status, code)").isEmpty();
    }

    @Test
    void aCodeTheReferenceLacks_isReported() {
        String reference = "| 402 | `insufficient_tokens` | not enough tokens | buy some |\n";
        TreeSet<String> rows = new TreeSet<>(List.of("| 402 | `insufficient_tokens` |", "| 409 | `subscription_exists` |"));

        assertThat(missing(rows, reference)).containsExactly("| 409 | `subscription_exists` |");
    }
}
