package dev.parley.loadtest;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;

import io.jsonwebtoken.Jwts;
import tools.jackson.databind.json.JsonMapper;

/**
 * A deployment to drive: its node URLs, how its users get tokens, and (when it runs on
 * this machine) its process, for the server's CPU and heap. The {@code baseline} kind is
 * the plain Spring STOMP application in {@code loadtest/baseline}: no tokens, the same
 * destinations.
 */
final class Target {

	enum Kind {

		PARLEY, BASELINE

	}

	final String name;

	final Kind kind;

	final List<URI> urls;

	final Long pid;

	private final SecretKey key;

	private final String password;

	private final AtomicInteger next = new AtomicInteger();

	Target(String name, Kind kind, List<URI> urls, Long pid, String secret, String password) {
		for (URI url : urls) {
			if (!isLoopback(url.getHost())) {
				throw new IllegalArgumentException(
						"The load tool only targets loopback addresses (127.0.0.0/8), not " + url.getHost());
			}
		}
		this.name = name;
		this.kind = kind;
		this.urls = urls;
		this.pid = pid;
		this.key = (secret != null) ? new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA256")
				: null;
		this.password = password;
	}

	static String readSecret(String secret, Path secretFile) throws IOException {
		if (secret != null) {
			return secret;
		}
		if (System.getenv("PARLEY_SECURITY_JWT_SECRET") != null) {
			return System.getenv("PARLEY_SECURITY_JWT_SECRET");
		}
		if (secretFile != null && Files.exists(secretFile)) {
			return Files.readString(secretFile).trim();
		}
		return null;
	}

	private static boolean isLoopback(String host) {
		try {
			return InetAddress.getByName(host).isLoopbackAddress();
		}
		catch (UnknownHostException ex) {
			return false;
		}
	}

	/** The nodes in turn, as a load balancer would spread clients. */
	URI nextUrl() {
		return this.urls.get(Math.floorMod(this.next.getAndIncrement(), this.urls.size()));
	}

	/**
	 * A token for the user: minted with the signing secret when given, else by logging
	 * in (registering first) with the password; none for the baseline.
	 */
	String token(String user) {
		if (this.kind == Kind.BASELINE) {
			return null;
		}
		if (this.key != null) {
			return Jwts.builder()
				.subject(user)
				.issuedAt(new Date())
				.expiration(Date.from(Instant.now().plus(Duration.ofHours(12))))
				.signWith(this.key, Jwts.SIG.HS256)
				.compact();
		}
		if (this.password == null) {
			throw new IllegalStateException("Give the signing secret (--secret, --secret-file or "
					+ "PARLEY_SECURITY_JWT_SECRET) or a password to log the users in with (--password)");
		}
		return login(user);
	}

	private static final JsonMapper json = JsonMapper.builder().build();

	private static final HttpClient http = HttpClient.newHttpClient();

	private String login(String user) {
		URI ws = this.urls.get(0);
		String base = "http://" + ws.getHost() + ":" + ws.getPort();
		String body = json.writeValueAsString(java.util.Map.of("username", user, "password", this.password));
		try {
			http.send(post(base + "/api/auth/register", body), HttpResponse.BodyHandlers.discarding());
			HttpResponse<String> login = http.send(post(base + "/api/auth/login", body),
					HttpResponse.BodyHandlers.ofString());
			if (login.statusCode() != 200) {
				throw new IllegalStateException("Login of " + user + " refused: " + login.statusCode());
			}
			return json.readTree(login.body()).path("accessToken").asString();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Login of " + user + " failed: " + ex.getMessage(), ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static HttpRequest post(String url, String body) {
		return HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
	}

	/**
	 * The source address of the {@code index}-th connection: 127.0.0.2 and up, each
	 * holding at most {@code perSource} connections (a source address has about 28k
	 * ephemeral ports per destination).
	 */
	static InetSocketAddress source(int index, int perSource) {
		int source = 2 + index / perSource;
		if (source > 254) {
			throw new IllegalArgumentException("Too many connections for the loopback sources 127.0.0.2-254");
		}
		return new InetSocketAddress("127.0.0." + source, 0);
	}

}
