package dev.parley.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PublicKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.X509EncodedKeySpec;
import java.util.Base64;

import org.jspecify.annotations.Nullable;

/**
 * Reads an identity provider's public key (PEM, {@code BEGIN PUBLIC KEY}) and tells which
 * algorithm it verifies: RS256 for RSA keys of 2048 bits or more, ES256 for EC keys on
 * P-256.
 */
final class PublicKeys {

	private PublicKeys() {
	}

	/** A public key and the one algorithm it is accepted for. */
	record AlgorithmKey(String algorithm, PublicKey key) {
	}

	static @Nullable AlgorithmKey configured(JwtProperties properties) {
		String pem = properties.publicKey();
		if ((pem == null || pem.isBlank()) && properties.publicKeyFile() != null) {
			try {
				pem = Files.readString(properties.publicKeyFile());
			}
			catch (IOException ex) {
				throw new UncheckedIOException("Cannot read parley.security.jwt.public-key-file", ex);
			}
		}
		return (pem == null || pem.isBlank()) ? null : parse(pem);
	}

	static AlgorithmKey parse(String pem) {
		String base64 = pem.replaceAll("-----(BEGIN|END) PUBLIC KEY-----", "").replaceAll("\\s", "");
		byte[] der;
		try {
			der = Base64.getDecoder().decode(base64);
		}
		catch (IllegalArgumentException ex) {
			throw new IllegalStateException("parley.security.jwt.public-key is not a PEM public key", ex);
		}
		for (String type : new String[] { "RSA", "EC" }) {
			try {
				PublicKey key = KeyFactory.getInstance(type).generatePublic(new X509EncodedKeySpec(der));
				return new AlgorithmKey(algorithmFor(key), key);
			}
			catch (GeneralSecurityException ex) {
				// Not this type; try the next.
			}
		}
		throw new IllegalStateException("parley.security.jwt.public-key is neither an RSA nor an EC public key");
	}

	private static String algorithmFor(PublicKey key) {
		if (key instanceof RSAPublicKey rsa) {
			if (rsa.getModulus().bitLength() < 2048) {
				throw new IllegalStateException("parley.security.jwt.public-key: RSA keys need at least 2048 bits");
			}
			return "RS256";
		}
		if (key instanceof ECPublicKey ec && ec.getParams().getCurve().getField().getFieldSize() == 256) {
			return "ES256";
		}
		throw new IllegalStateException("parley.security.jwt.public-key: EC keys must be on curve P-256 (ES256)");
	}

}
