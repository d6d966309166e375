package dev.parley.security;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Resolves the HS256 signing key: the configured secret, or a random one generated on
 * first start and kept on disk. No key ships with Parley, so no two installations share
 * one by accident.
 */
final class SigningKeys {

	static final int MIN_SECRET_BYTES = 32;

	private static final Log logger = LogFactory.getLog(SigningKeys.class);

	private SigningKeys() {
	}

	static SecretKey hmacKey(JwtProperties properties) {
		String secret = properties.secret();
		if (secret == null || secret.isEmpty()) {
			secret = readOrCreate(properties.secretFile());
		}
		byte[] bytes = secret.getBytes(StandardCharsets.UTF_8);
		if (bytes.length < MIN_SECRET_BYTES) {
			throw new IllegalStateException("parley.security.jwt.secret (PARLEY_SECURITY_JWT_SECRET) is "
					+ bytes.length * 8 + " bits long; HS256 needs at least 256 bits (32 bytes). "
					+ "Generate one with: openssl rand -base64 32");
		}
		return new SecretKeySpec(bytes, "HmacSHA256");
	}

	private static String readOrCreate(Path file) {
		try {
			if (Files.exists(file)) {
				return read(file);
			}
			byte[] random = new byte[MIN_SECRET_BYTES];
			new SecureRandom().nextBytes(random);
			String secret = Base64.getUrlEncoder().withoutPadding().encodeToString(random);
			Path parent = file.toAbsolutePath().getParent();
			if (parent != null) {
				Files.createDirectories(parent);
			}
			if (!publish(file, secret)) {
				// Another node sharing the folder got there first: its secret is the one.
				return read(file);
			}
			logger.warn("No parley.security.jwt.secret is configured: generated a random signing secret in " + file
					+ " (readable by its owner only). Set PARLEY_SECURITY_JWT_SECRET to share one between nodes.");
			return secret;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Cannot read or create the signing secret file " + file, ex);
		}
	}

	private static String read(Path file) throws IOException {
		String secret = Files.readString(file, StandardCharsets.UTF_8).trim();
		if (secret.isEmpty()) {
			throw new IllegalStateException("The signing secret file " + file + " is empty: delete it to have a new "
					+ "secret generated, or set PARLEY_SECURITY_JWT_SECRET");
		}
		return secret;
	}

	/**
	 * Puts the secret in place whole, or not at all when the file exists: it is written
	 * to a file of its own, then hard-linked to its name, which fails if the name is
	 * taken. Two nodes starting together on an empty folder so end up with one secret,
	 * and a reader never sees a file half written.
	 * @return whether this secret is the one in place
	 */
	private static boolean publish(Path file, String secret) throws IOException {
		Path written = createOwnerOnly(file.resolveSibling(file.getFileName() + "." + ProcessHandle.current().pid()
				+ "." + Thread.currentThread().getId() + ".tmp"));
		try {
			Files.writeString(written, secret + "\n", StandardCharsets.UTF_8);
			Files.createLink(file, written);
			return true;
		}
		catch (FileAlreadyExistsException ex) {
			return false;
		}
		catch (UnsupportedOperationException ex) {
			// No hard links on this file system: a move, refused when the name is taken.
			try {
				Files.move(written, file);
				return true;
			}
			catch (FileAlreadyExistsException taken) {
				return false;
			}
		}
		finally {
			Files.deleteIfExists(written);
		}
	}

	private static Path createOwnerOnly(Path file) throws IOException {
		Files.deleteIfExists(file);
		try {
			return Files.createFile(file,
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
		}
		catch (UnsupportedOperationException ex) {
			// Not a POSIX file system (Windows): the file inherits the folder's access
			// list.
			return Files.createFile(file);
		}
	}

}
