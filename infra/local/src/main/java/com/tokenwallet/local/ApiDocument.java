package com.tokenwallet.local;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;

/**
 * The API's OpenAPI document (infra/openapi.yaml), bundled into the jar at build time like template.yaml, so the
 * runner serves the contract of exactly the API it runs.
 */
public final class ApiDocument {

    /** Where the build puts infra/openapi.yaml inside the jar (see this module's pom.xml). */
    public static final String RESOURCE = "/com/tokenwallet/local/openapi.yaml";
    private static final int MAX_BYTES = 1_000_000;

    private ApiDocument() {
    }

    /** The document's bytes (UTF-8 YAML). */
    public static byte[] bundled() {
        try (InputStream in = ApiDocument.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("openapi.yaml is not bundled at " + RESOURCE + "; build the jar with Maven.");
            }
            byte[] bytes = in.readNBytes(MAX_BYTES + 1);
            if (bytes.length > MAX_BYTES) {
                throw new IllegalStateException("openapi.yaml is larger than " + MAX_BYTES + " bytes.");
            }
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the bundled openapi.yaml", e);
        }
    }
}
