package com.tokenwallet.local;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The JWT authorizer emulation: what it accepts, what it refuses, and how it keeps its key. */
class LocalTokensTest {

    @TempDir
    Path home;

    @Test
    void keyFile_isCreatedOnce_andReused() throws Exception {
        Path keyFile = home.resolve("a/b/local-jwt-key");

        String token = LocalTokens.fromKeyFile(keyFile).mint("alice", List.of("wallet:read"), Duration.ofMinutes(1));
        String before = Files.readString(keyFile);

        assertThat(LocalTokens.fromKeyFile(keyFile).verify(token).claims()).containsEntry("sub", "alice");
        assertThat(Files.readString(keyFile)).isEqualTo(before);
        assertThat(Base64.getDecoder().decode(before.trim())).hasSizeGreaterThanOrEqualTo(32);
    }

    @Test
    void claims_arePassedAsStrings_andScopesAsAList() throws Exception {
        LocalTokens tokens = LocalTokens.fromKeyFile(home.resolve("key"));

        LocalTokens.Verified verified = tokens.verify(tokens.mint("svc", List.of("wallet:charge", "wallet:admin"), Duration.ofSeconds(90)));

        assertThat(verified.claims()).containsKeys("sub", "scope", "iss", "aud", "exp", "iat", "nbf", "jti");
        assertThat(verified.claims().get("exp")).matches("^[0-9]+$");
        assertThat(verified.scopes()).containsExactly("wallet:charge", "wallet:admin");
    }

    @Test
    void tokensNotYetValid_expired_orForAnotherAudience_areRefused() throws Exception {
        LocalTokens tokens = LocalTokens.fromKeyFile(home.resolve("key"));
        Instant now = Instant.now();
        String future = tokens.withClock(Clock.fixed(now.plus(Duration.ofHours(1)), ZoneOffset.UTC))
                .mint("a", List.of("wallet:read"), Duration.ofHours(2));
        String past = tokens.withClock(Clock.fixed(now.minus(Duration.ofHours(2)), ZoneOffset.UTC))
                .mint("a", List.of("wallet:read"), Duration.ofHours(1));
        byte[] key = Base64.getDecoder().decode(Files.readString(home.resolve("key")).trim());
        SignedJWT otherAudience = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), new JWTClaimsSet.Builder()
                .issuer(LocalTokens.ISSUER).audience("someone-else").subject("a")
                .expirationTime(Date.from(now.plusSeconds(60))).build());
        otherAudience.sign(new MACSigner(key));

        assertThatThrownBy(() -> tokens.verify(future)).isInstanceOf(LocalTokens.InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify(past)).isInstanceOf(LocalTokens.InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify(otherAudience.serialize())).isInstanceOf(LocalTokens.InvalidTokenException.class);
        assertThatThrownBy(() -> tokens.verify("eyJhbGciOiJub25lIn0.eyJzdWIiOiJhIn0."))
                .isInstanceOf(LocalTokens.InvalidTokenException.class);
    }

    @Test
    void minting_refusesBadSubjectsScopesAndLifetimes() {
        LocalTokens tokens = LocalTokens.fromKeyFile(home.resolve("key"));

        assertThatThrownBy(() -> tokens.mint(" ", List.of("wallet:read"), Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.mint("a", List.of("bad\"scope"), Duration.ofMinutes(1))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.mint("a", List.of("wallet:read"), Duration.ofDays(31))).isInstanceOf(IllegalArgumentException.class);
    }
}
