package dev.parley.support;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import org.jspecify.annotations.Nullable;

import org.springframework.context.ApplicationContext;

/**
 * The HTTP side of a running server (REST API, actuator, SockJS), as a client reaches it:
 * requests to {@code http://127.0.0.1:<port>}, with {@code Authorization: Bearer} when a
 * token is given, answered as text.
 */
public final class TestHttp {

	private final HttpClient client = HttpClient.newHttpClient();

	private final int port;

	private TestHttp(int port) {
		this.port = port;
	}

	public static TestHttp on(int port) {
		return new TestHttp(port);
	}

	/** The server an application context started, on its random port. */
	public static TestHttp on(ApplicationContext context) {
		return new TestHttp(port(context));
	}

	/** The port a server started with {@code server.port=0} listens on. */
	public static int port(ApplicationContext context) {
		return Integer.parseInt(context.getEnvironment().getRequiredProperty("local.server.port"));
	}

	public URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	/** A request to the path, carrying the token when there is one. */
	public HttpRequest.Builder request(String path, @Nullable String token) {
		HttpRequest.Builder request = HttpRequest.newBuilder(uri(path));
		if (token != null) {
			request.header("Authorization", "Bearer " + token);
		}
		return request;
	}

	public HttpResponse<String> get(String path) {
		return get(path, null);
	}

	public HttpResponse<String> get(String path, @Nullable String token) {
		return send(request(path, token).build());
	}

	/** POSTs a JSON body. */
	public HttpResponse<String> post(String path, String json, @Nullable String token) {
		return send(request(path, token).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	public HttpResponse<String> delete(String path, @Nullable String token) {
		return send(request(path, token).DELETE().build());
	}

	public HttpResponse<String> send(HttpRequest request) {
		return send(request, HttpResponse.BodyHandlers.ofString());
	}

	public <T> HttpResponse<T> send(HttpRequest request, HttpResponse.BodyHandler<T> body) {
		try {
			return this.client.send(request, body);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(request.method() + " " + request.uri() + " failed", ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException("Interrupted waiting for " + request.uri(), ex);
		}
	}

}
