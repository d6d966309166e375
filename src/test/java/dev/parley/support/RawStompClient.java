package dev.parley.support;

import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.TextWebSocketHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Speaks STOMP frames by hand, to see exactly what the server answers to frames a library
 * client would not send (no token, a bad one) and whether it closes the socket.
 */
public final class RawStompClient implements AutoCloseable {

	private final BlockingQueue<String> frames = new LinkedBlockingQueue<>();

	private final CompletableFuture<CloseStatus> closed = new CompletableFuture<>();

	private final WebSocketSession session;

	private RawStompClient(Transport transport, URI uri, WebSocketHttpHeaders headers) throws Exception {
		TextWebSocketHandler handler = new TextWebSocketHandler() {
			@Override
			protected void handleTextMessage(WebSocketSession session, TextMessage message) {
				RawStompClient.this.frames.add(message.getPayload());
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) {
				RawStompClient.this.closed.complete(status);
			}
		};
		this.session = transport.client().execute(handler, headers, uri).get(10, TimeUnit.SECONDS);
	}

	public static RawStompClient open(Transport transport, int port, String query) throws Exception {
		return open(transport, port, query, new WebSocketHttpHeaders());
	}

	public static RawStompClient open(Transport transport, int port, String query, WebSocketHttpHeaders headers)
			throws Exception {
		return new RawStompClient(transport, URI.create(transport.url(port) + query), headers);
	}

	/**
	 * Opens a session and sends {@code CONNECT} with the token as a bearer header, and
	 * any other headers given; returns once the server answered {@code CONNECTED}. Over
	 * SockJS's HTTP transports the token also goes on the URL, as a client sends it.
	 */
	public static RawStompClient connected(Transport transport, int port, String token, String... headers)
			throws Exception {
		RawStompClient client = open(transport, port,
				(transport == Transport.SOCKJS_XHR) ? "?access_token=" + token : "");
		String[] all = new String[headers.length + 1];
		all[0] = "Authorization:Bearer " + token;
		System.arraycopy(headers, 0, all, 1, headers.length);
		client.connect(all);
		assertThat(client.nextFrame()).startsWith("CONNECTED\n");
		return client;
	}

	/** Sends a frame: the command, header lines, a blank line, the body and NUL. */
	public void send(String command, String body, String... headers) throws Exception {
		StringBuilder frame = new StringBuilder(command).append('\n');
		for (String header : headers) {
			frame.append(header).append('\n');
		}
		frame.append('\n').append(body).append('\0');
		this.session.sendMessage(new TextMessage(frame.toString()));
	}

	/**
	 * Sends text as one WebSocket message, as it is: several frames, heart-beats, or
	 * garbage.
	 */
	public void sendRaw(String text) throws Exception {
		this.session.sendMessage(new TextMessage(text));
	}

	public void connect(String... headers) throws Exception {
		String[] all = new String[headers.length + 2];
		all[0] = "accept-version:1.2";
		all[1] = "host:localhost";
		System.arraycopy(headers, 0, all, 2, headers.length);
		send("CONNECT", "", all);
	}

	/**
	 * The next frame other than a heart-beat, as sent: header values keep their STOMP
	 * escapes.
	 */
	public String nextFrame() throws InterruptedException {
		while (true) {
			String frame = this.frames.poll(10, TimeUnit.SECONDS);
			assertThat(frame).as("a frame within 10s").isNotNull();
			if (!frame.isBlank()) {
				return frame;
			}
		}
	}

	/**
	 * The next frame that satisfies the condition; frames before it are passed over.
	 */
	public String nextFrameMatching(Predicate<String> condition) throws InterruptedException {
		String frame;
		do {
			frame = nextFrame();
		}
		while (!condition.test(frame));
		return frame;
	}

	/**
	 * The next frame other than a heart-beat, or null when none comes within the timeout.
	 */
	public @Nullable String pollFrame(Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			String frame = this.frames.poll(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
			if (frame == null || !frame.isBlank()) {
				return frame;
			}
		}
	}

	public CloseStatus awaitClose(Duration timeout) throws InterruptedException, ExecutionException {
		try {
			return this.closed.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (java.util.concurrent.TimeoutException ex) {
			throw new AssertionError("socket still open after " + timeout, ex);
		}
	}

	public boolean isOpen() {
		return this.session.isOpen() && !this.closed.isDone();
	}

	@Override
	public void close() throws Exception {
		if (this.session.isOpen()) {
			this.session.close();
		}
	}

}
