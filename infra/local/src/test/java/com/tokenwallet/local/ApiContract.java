package com.tokenwallet.local;

import com.atlassian.oai.validator.OpenApiInteractionValidator;
import com.atlassian.oai.validator.model.Request;
import com.atlassian.oai.validator.model.SimpleRequest;
import com.atlassian.oai.validator.model.SimpleResponse;
import com.atlassian.oai.validator.report.ValidationReport;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The API's OpenAPI document (the copy bundled into the runner, which is the one it serves) as a validator of HTTP
 * exchanges, with Atlassian's swagger-request-validator. {@link LocalApi} runs every request the end-to-end tests
 * send and every response they receive through it, so a drift between the code and the document fails the test
 * that met it, whichever test that is.
 */
final class ApiContract {

    /** The one validator: building it parses the document, which takes a moment. */
    static final ApiContract BUNDLED = new ApiContract(new String(ApiDocument.bundled(), StandardCharsets.UTF_8));

    /** What the validator says when the document has no such path, or no such method on it. */
    private static final Set<String> UNKNOWN_OPERATION = Set.of("validation.request.path.missing", "validation.request.operation.notAllowed",
            "validation.response.path.missing", "validation.response.operation.notAllowed");

    private final OpenApiInteractionValidator validator;
    /** The operations the document opens to anyone ({@code security: []}), as method and path pattern. */
    private final List<java.util.regex.Pattern> anonymous;

    ApiContract(String document) {
        this.validator = OpenApiInteractionValidator.createForInlineApiSpecification(document).build();
        this.anonymous = anonymousOperations(document);
    }

    /**
     * The validator checks an {@code http bearer} scheme's header but not an {@code oauth2} one's (the document's
     * scheme since issue 19), so the token's presence is checked here: every operation but those with
     * {@code security: []} needs {@code Authorization: Bearer <token>}.
     */
    private static List<java.util.regex.Pattern> anonymousOperations(String document) {
        try {
            var paths = new com.fasterxml.jackson.databind.ObjectMapper(new com.fasterxml.jackson.dataformat.yaml.YAMLFactory())
                    .readTree(document).path("paths");
            List<java.util.regex.Pattern> open = new java.util.ArrayList<>();
            paths.properties().forEach(path -> path.getValue().properties().forEach(operation -> {
                var security = operation.getValue().path("security");
                if (security.isArray() && security.isEmpty()) {
                    open.add(java.util.regex.Pattern.compile(operation.getKey().toUpperCase(Locale.ROOT) + " "
                            + path.getKey().replaceAll("\\{[^}]+}", "[^/]+")));
                }
            }));
            return open;
        } catch (java.io.IOException e) {
            throw new IllegalStateException("the bundled API document is not readable", e);
        }
    }

    /** The validator's findings on a request; an empty list when it keeps to the document. */
    List<String> requestProblems(String method, String pathAndQuery, Map<String, String> headers, byte[] body) {
        URI uri = URI.create(pathAndQuery);
        SimpleRequest.Builder request = new SimpleRequest.Builder(method, uri.getRawPath());
        headers.forEach(request::withHeader);
        if (uri.getRawQuery() != null) {
            for (String pair : uri.getRawQuery().split("&")) {
                int equals = pair.indexOf('=');
                request.withQueryParam(decode(equals < 0 ? pair : pair.substring(0, equals)), decode(equals < 0 ? "" : pair.substring(equals + 1)));
            }
        }
        boolean bodiless = body == null || body.length == 0;
        if (!bodiless) {
            request.withBody(body);
        }
        // The validator asks for a Content-Type whenever the operation documents a body, even an optional one that
        // was left out; without a body there is no content to type (a missing required body is its own finding).
        List<String> problems = new java.util.ArrayList<>(messages(validator.validateRequest(request.build())).stream()
                .filter(problem -> !(bodiless && problem.startsWith("validation.request.contentType.notAllowed ")))
                .toList());
        String operation = method.toUpperCase(Locale.ROOT) + " " + uri.getRawPath();
        boolean bearer = headers.entrySet().stream().anyMatch(h -> h.getKey().equalsIgnoreCase("Authorization")
                && h.getValue().regionMatches(true, 0, "Bearer ", 0, 7) && h.getValue().length() > 7);
        if (!bearer && anonymous.stream().noneMatch(p -> p.matcher(operation).matches())) {
            problems.add("security.bearer.missing " + operation + " needs Authorization: Bearer <token> (the document's walletJwt).");
        }
        return problems;
    }

    /**
     * The validator's findings on a response to {@code method path}; empty when it keeps to the document. A response
     * to an operation the document does not have is reported as such (see {@link #isUnknownOperation}).
     */
    List<String> responseProblems(String method, String pathAndQuery, int status, Map<String, String> headers, String body) {
        SimpleResponse.Builder response = SimpleResponse.Builder.status(status);
        headers.forEach(response::withHeader);
        if (body != null && !body.isEmpty()) {
            response.withBody(body);
        }
        return messages(validator.validateResponse(URI.create(pathAndQuery).getRawPath(),
                Request.Method.valueOf(method.toUpperCase(Locale.ROOT)), response.build()));
    }

    /** Whether the findings only say that the document has no such operation. */
    static boolean isUnknownOperation(List<String> problems) {
        return !problems.isEmpty() && problems.stream().allMatch(p -> UNKNOWN_OPERATION.contains(p.substring(0, p.indexOf(' '))));
    }

    /** One line per error: the validator's key, where in the body (a JSON pointer) when it says, and its message. */
    private static List<String> messages(ValidationReport report) {
        return report.getMessages().stream()
                .filter(m -> m.getLevel() == ValidationReport.Level.ERROR)
                .map(m -> m.getKey() + " " + m.getContext().flatMap(ValidationReport.MessageContext::getPointers)
                        .map(p -> "at " + (p.getInstance().isEmpty() ? "/" : p.getInstance()) + ": ").orElse("")
                        + m.getMessage() + m.getNestedMessages().stream().map(n -> " | " + n.getMessage()).reduce("", String::concat))
                .toList();
    }

    private static String decode(String text) {
        return URLDecoder.decode(text, StandardCharsets.UTF_8);
    }
}
