package com.tokenwallet.api.testing;

import com.amazonaws.services.lambda.runtime.events.APIGatewayV2HTTPResponse;
import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * The handlers' side of the API contract: a handler's response to a route, checked against infra/openapi.yaml (a
 * copy the build puts beside this class) with Atlassian's swagger-request-validator. {@link TestWallet#call} runs
 * every response of the function modules' tests through it, so the error paths those tests reach (hostile inputs,
 * injected store faults, races) are held to the document too, not only what the end-to-end tests see.
 */
public final class HandlerContract {
    private static final String RESOURCE = "openapi.yaml";
    /** What the validator says when the document has no such path, or no such method on it. */
    private static final Set<String> UNKNOWN_OPERATION = Set.of("validation.request.path.missing", "validation.request.operation.notAllowed",
            "validation.response.path.missing", "validation.response.operation.notAllowed");

    private HandlerContract() {
    }

    /** Built on first use: parsing the document takes a moment, and every test class of a fork shares it. */
    private static final class Holder {
        static final OpenApiInteractionValidator VALIDATOR = OpenApiInteractionValidator
                .createForInlineApiSpecification(document()).build();

        private static String document() {
            try (InputStream in = HandlerContract.class.getResourceAsStream(RESOURCE)) {
                if (in == null) {
                    throw new IllegalStateException(RESOURCE + " is not beside " + HandlerContract.class.getName()
                            + "; functions/api/pom.xml copies it from infra/ into the test resources");
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /**
     * What is wrong with a response to {@code routeKey} ({@code POST /v1/accounts/{accountId}/debits}), one line per
     * finding; empty when it keeps to the document, and when the document has no such route (a test that sends a
     * route key the function does not serve gets route_not_found, which no documented route answers).
     */
    public static List<String> problems(String routeKey, APIGatewayV2HTTPResponse response) {
        String[] parts = routeKey == null ? new String[0] : routeKey.split(" ", 2);
        if (parts.length != 2) {
            return List.of();
        }
        Request.Method method;
        try {
            method = Request.Method.valueOf(parts[0]);
        } catch (IllegalArgumentException e) {
            return List.of();
        }
        SimpleResponse.Builder built = SimpleResponse.Builder.status(response.getStatusCode());
        if (response.getHeaders() != null) {
            response.getHeaders().forEach(built::withHeader);
        }
        if (response.getBody() != null && !response.getBody().isEmpty()) {
            built.withBody(response.getBody());
        }
        // The path template itself: its {parameters} match themselves, and a response check reads no path values.
        List<ValidationReport.Message> errors = Holder.VALIDATOR.validateResponse(parts[1], method, built.build()).getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR).toList();
        if (!errors.isEmpty() && errors.stream().allMatch(m -> UNKNOWN_OPERATION.contains(m.getKey()))) {
            return List.of();
        }
        return errors.stream().map(m -> m.getKey() + " " + m.getContext().flatMap(ValidationReport.MessageContext::getPointers)
                .map(p -> "at " + (p.getInstance().isEmpty() ? "/" : p.getInstance()) + ": ").orElse("") + m.getMessage()).toList();
    }

    /** Fails with the findings and the response when it breaks the document. */
    public static void check(String routeKey, APIGatewayV2HTTPResponse response) {
        List<String> problems = problems(routeKey, response);
        if (!problems.isEmpty()) {
            throw new AssertionError("The response of " + routeKey + " breaks the API document (infra/openapi.yaml):\n  "
                    + String.join("\n  ", problems) + "\nstatus " + response.getStatusCode() + ", headers " + response.getHeaders()
                    + ", body " + response.getBody());
        }
    }
}
