package com.tokenwallet.local;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTClaimsVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * The local stand-in for the identity provider and API Gateway's JWT authorizer: HS256 tokens signed with a key
 * kept on this machine, issuer {@value #ISSUER}, audience {@value #AUDIENCE}, scopes in the space-separated
 * {@code scope} claim. The key never leaves its file: it is neither printed nor logged.
 */
public final class LocalTokens {
    public static final String ISSUER = "token-wallet-local";
    public static final String AUDIENCE = "token-wallet";
    /** Overrides where the signing key lives (default {@code ~/.token-wallet/local-jwt-key}). */
    public static final String KEY_FILE_ENV = "TOKEN_WALLET_JWT_KEY_FILE";
    public static final Duration DEFAULT_TTL = Duration.ofHours(1);
    public static final Duration MAX_TTL = Duration.ofDays(30);
    public static final int MAX_SUBJECT_LENGTH = 256;
    public static final int MAX_TOKEN_LENGTH = 8_192;

    /** 256 bits, the least HS256 accepts. */
    static final int KEY_BYTES = 32;
    private static final int MAX_KEY_FILE_BYTES = 4_096;
    /** RFC 6749 scope-token characters. */
    private static final Pattern SCOPE_TOKEN = Pattern.compile("^[\\x21\\x23-\\x5B\\x5D-\\x7E]{1,128}$");
    private static final Set<PosixFilePermission> OWNER_ONLY = PosixFilePermissions.fromString("rw-------");

    private final byte[] key;
    private final Clock clock;

    LocalTokens(byte[] key, Clock clock) {
        if (key.length < KEY_BYTES) {
            throw new IllegalArgumentException("the JWT key must have at least " + KEY_BYTES + " bytes");
        }
        this.key = key.clone();
        this.clock = clock;
    }

    /** The key file: {@code $TOKEN_WALLET_JWT_KEY_FILE}, else {@code ~/.token-wallet/local-jwt-key}. */
    public static Path defaultKeyFile(Map<String, String> environment, Path home) {
        String override = environment.get(KEY_FILE_ENV);
        if (override != null && !override.isBlank()) {
            return Path.of(override);
        }
        return home.resolve(".token-wallet").resolve("local-jwt-key");
    }

    /** The tokens of the key in {@code keyFile}, which is created (random, mode 600) when it does not exist. */
    public static LocalTokens fromKeyFile(Path keyFile) {
        return new LocalTokens(loadOrCreateKey(keyFile), Clock.systemUTC());
    }

    LocalTokens withClock(Clock otherClock) {
        return new LocalTokens(key, otherClock);
    }

    /** A signed token for {@code subject} with these scopes, valid from now for {@code ttl}. */
    public String mint(String subject, List<String> scopes, Duration ttl) {
        if (subject == null || subject.isBlank() || subject.length() > MAX_SUBJECT_LENGTH
                || subject.chars().anyMatch(Character::isISOControl)) {
            throw new IllegalArgumentException("the subject must be 1 to " + MAX_SUBJECT_LENGTH + " characters, without control characters");
        }
        if (scopes.isEmpty()) {
            throw new IllegalArgumentException("at least one scope is required");
        }
        for (String scope : scopes) {
            if (!SCOPE_TOKEN.matcher(scope).matches()) {
                throw new IllegalArgumentException("not a valid scope: '" + scope + "'");
            }
        }
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
            throw new IllegalArgumentException("the time to live must be 1 second to " + MAX_TTL.toDays() + " days");
        }
        Instant now = clock.instant();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(ISSUER)
                .audience(AUDIENCE)
                .subject(subject)
                .claim("scope", String.join(" ", new LinkedHashSet<>(scopes)))
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(UUID.randomUUID().toString())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).build(), claims);
        try {
            jwt.sign(new MACSigner(key));
        } catch (JOSEException e) {
            throw new IllegalStateException("cannot sign the token", e);
        }
        return jwt.serialize();
    }

    /** What the authorizer hands the function: every claim as a string, and the token's scopes. */
    public record Verified(Map<String, String> claims, List<String> scopes) {
        public Verified {
            claims = Map.copyOf(claims);
            scopes = List.copyOf(scopes);
        }
    }

    /** Why a token was refused; the message is safe to return to the caller. */
    public static final class InvalidTokenException extends Exception {
        InvalidTokenException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Verifies a token as API Gateway's JWT authorizer does: signature, issuer, audience, expiry and not-before
     * (with a minute of clock skew, as nimbus allows by default).
     */
    public Verified verify(String token) throws InvalidTokenException {
        if (token == null || token.isBlank() || token.length() > MAX_TOKEN_LENGTH) {
            throw new InvalidTokenException("The bearer token is missing or too long.");
        }
        SignedJWT jwt;
        JWTClaimsSet claims;
        try {
            jwt = SignedJWT.parse(token);
            claims = jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new InvalidTokenException("The bearer token is not a signed JWT.");
        }
        if (!JWSAlgorithm.HS256.equals(jwt.getHeader().getAlgorithm())) {
            throw new InvalidTokenException("The bearer token is not signed with HS256 by the local key.");
        }
        try {
            if (!jwt.verify(new MACVerifier(key))) {
                throw new InvalidTokenException("The bearer token's signature does not verify (was it minted with another key?).");
            }
        } catch (JOSEException e) {
            throw new InvalidTokenException("The bearer token's signature does not verify.");
        }
        DefaultJWTClaimsVerifier<SecurityContext> verifier = new DefaultJWTClaimsVerifier<>(AUDIENCE,
                new JWTClaimsSet.Builder().issuer(ISSUER).build(), Set.of("sub", "exp")) {
            @Override
            protected Date currentTime() {
                return Date.from(clock.instant());
            }
        };
        try {
            verifier.verify(claims, null);
        } catch (BadJWTException e) {
            throw new InvalidTokenException("The bearer token was refused: " + e.getMessage());
        }
        return new Verified(stringClaims(claims), scopes(claims));
    }

    /** API Gateway passes every claim as a string: numbers in decimal, arrays as "[a b]". */
    private static Map<String, String> stringClaims(JWTClaimsSet claims) {
        Map<String, String> out = new LinkedHashMap<>();
        claims.toJSONObject().forEach((name, value) -> {
            if (value != null) {
                out.put(name, value instanceof List<?> list
                        ? "[" + String.join(" ", list.stream().map(String::valueOf).toList()) + "]"
                        : String.valueOf(value));
            }
        });
        return out;
    }

    /** The token's scopes: the space-separated {@code scope} claim (and {@code scp}, which API Gateway also reads). */
    private static List<String> scopes(JWTClaimsSet claims) {
        Set<String> scopes = new LinkedHashSet<>();
        for (String name : List.of("scope", "scp")) {
            Object value = claims.getClaim(name);
            if (value instanceof String s) {
                for (String scope : s.trim().split("\\s+")) {
                    if (!scope.isEmpty()) {
                        scopes.add(scope);
                    }
                }
            } else if (value instanceof List<?> list) {
                list.forEach(scope -> scopes.add(String.valueOf(scope)));
            }
        }
        return new ArrayList<>(scopes);
    }

    private static byte[] loadOrCreateKey(Path keyFile) {
        try {
            if (!Files.exists(keyFile)) {
                createKey(keyFile);
            }
            return readKey(keyFile);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read or create the local JWT key file " + keyFile, e);
        }
    }

    private static byte[] readKey(Path keyFile) throws IOException {
        if (Files.size(keyFile) > MAX_KEY_FILE_BYTES) {
            throw new IllegalStateException("the local JWT key file " + keyFile + " is not a key file (too large)");
        }
        String text = Files.readString(keyFile, StandardCharsets.US_ASCII).trim();
        byte[] key;
        try {
            key = Base64.getDecoder().decode(text);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("the local JWT key file " + keyFile + " is not base64; delete it to create a new key");
        }
        if (key.length < KEY_BYTES) {
            throw new IllegalStateException("the local JWT key in " + keyFile + " is shorter than " + KEY_BYTES
                    + " bytes; delete the file to create a new key");
        }
        return key;
    }

    /**
     * Writes a new random key to a private temporary file, then links it into place: link() fails when the file
     * appeared meanwhile (another process creating it at the same time), so every process ends up with one key.
     */
    private static void createKey(Path keyFile) throws IOException {
        Path directory = keyFile.toAbsolutePath().getParent();
        boolean posix = directory.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!Files.isDirectory(directory)) {
            if (posix) {
                Files.createDirectories(directory, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
            } else {
                Files.createDirectories(directory);
            }
        }
        byte[] key = new byte[KEY_BYTES];
        new SecureRandom().nextBytes(key);
        FileAttribute<?>[] attributes = posix
                ? new FileAttribute<?>[]{PosixFilePermissions.asFileAttribute(OWNER_ONLY)}
                : new FileAttribute<?>[0];
        Path temporary = Files.createTempFile(directory, ".local-jwt-key", ".tmp", attributes);
        try {
            Files.writeString(temporary, Base64.getEncoder().encodeToString(key) + "\n", StandardCharsets.US_ASCII);
            try {
                Files.createLink(keyFile, temporary);
            } catch (FileAlreadyExistsException e) {
                // Another process won the race; its key is the key.
            } catch (UnsupportedOperationException | IOException e) {
                if (!Files.exists(keyFile)) {
                    Files.move(temporary, keyFile, StandardCopyOption.ATOMIC_MOVE);
                }
            }
        } finally {
            Files.deleteIfExists(temporary);
        }
    }
}
