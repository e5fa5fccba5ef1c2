import com.nimbusds.jose.*; import com.nimbusds.jose.crypto.*; import com.nimbusds.jose.jwk.*; import com.nimbusds.jose.jwk.gen.*; import com.nimbusds.jwt.*;
import java.nio.file.*; import java.util.*; import java.time.*;
public class BenchTokens { public static void main(String[] a) throws Exception {
  RSAKey key = new RSAKeyGenerator(2048).keyID("bench-key").generate();
  Files.writeString(Path.of("jwks.json"), new JWKSet(key.toPublicJWK()).toString());
  Instant now = Instant.now();
  for (String kind : new String[]{"user","apikey"}) {
    JWTClaimsSet.Builder c = new JWTClaimsSet.Builder().subject(UUID.randomUUID().toString()).issuer("http://localhost:8080").audience("clinicwave-api")
      .issueTime(Date.from(now)).notBeforeTime(Date.from(now)).expirationTime(Date.from(now.plus(Duration.ofHours(2)))).jwtID(UUID.randomUUID().toString())
      .claim("tid", UUID.randomUUID().toString()).claim("roles", List.of("patient")).claim("permissions", List.of("connections:read","claims:read")).claim("scope","openid").claim("sid", UUID.randomUUID().toString());
    if (kind.equals("apikey")) c.claim("api_key_id", UUID.randomUUID().toString());
    SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("bench-key").type(JOSEObjectType.JWT).build(), c.build());
    jwt.sign(new RSASSASigner(key));
    Files.writeString(Path.of(kind + ".jwt"), jwt.serialize());
  }
}}
