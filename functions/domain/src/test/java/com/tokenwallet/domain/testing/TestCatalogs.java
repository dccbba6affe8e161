package com.tokenwallet.domain.testing;

import com.tokenwallet.domain.catalog.Catalog;
import com.tokenwallet.domain.catalog.CatalogLoader;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;

/** Catalogs for tests: the shipped default, and variants of its text. */
public final class TestCatalogs {
    private TestCatalogs() {
    }

    public static Catalog defaultCatalog() {
        return CatalogLoader.loadDefault();
    }

    /** The default catalog's file text, as shipped. */
    public static String defaultText() {
        try (InputStream in = TestCatalogs.class.getResourceAsStream(CatalogLoader.DEFAULT_RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException("default catalog resource missing");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The default catalog with {@code from} replaced by {@code to}; fails if {@code from} is not in the text. */
    public static String defaultTextWith(String from, String to) {
        String text = defaultText();
        if (!text.contains(from)) {
            throw new IllegalArgumentException("the default catalog does not contain: " + from);
        }
        return text.replace(from, to);
    }

    public static Catalog parse(String json) {
        return CatalogLoader.parse(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test catalog");
    }

    /** The default catalog, except that new accounts start on the {@code solo} plan (mockup 3, dol 3, weather 2). */
    public static Catalog soloByDefault() {
        return parse(defaultTextWith("\"defaultPlan\": \"free\"", "\"defaultPlan\": \"solo\""));
    }
}
