package dev.parley.support;

import java.lang.reflect.Type;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.messaging.converter.JacksonJsonMessageConverter;
import org.springframework.messaging.simp.stomp.StompFrameHandler;
import org.springframework.messaging.simp.stomp.StompHeaders;
import org.springframework.messaging.simp.stomp.StompSession;
import org.springframework.messaging.simp.stomp.StompSessionHandlerAdapter;
import org.springframework.web.socket.WebSocketHttpHeaders;
import org.springframework.web.socket.messaging.WebSocketStompClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A real STOMP client, as an application would use one: connects with a bearer token on
 * {@code CONNECT} (and on the URL too over SockJS's HTTP transports, which need it
 * there), and hands each subscription's JSON messages to the test through a queue.
 */
public final class StompTestClient implements AutoCloseable {

	public static final Duration TIMEOUT = Duration.ofSeconds(10);

	private static final AtomicInteger syncCounter = new AtomicInteger();

	private final WebSocketStompClient stompClient;

	private final StompSession session;

	private final BlockingQueue<JsonNode> errors;

	private final Deque<JsonNode> pendingErrors = new ArrayDeque<>();

	private StompTestClient(WebSocketStompClient stompClient, StompSession session) {
		this.stompClient = stompClient;
		this.session = session;
		this.errors = subscribe("/user/queue/errors");
	}

	public static StompTestClient connect(Transport transport, int port, String token) {
		WebSocketStompClient stompClient = new WebSocketStompClient(transport.client());
		stompClient.setMessageConverter(new JacksonJsonMessageConverter());
		StompHeaders connect = new StompHeaders();
		connect.add("Authorization", "Bearer " + token);
		try {
			// SockJS's HTTP transports take the token on the URL only (docs/security.md):
			// every request of the session carries it.
			String url = transport.url(port) + ((transport == Transport.SOCKJS_XHR) ? "?access_token=" + token : "");
			StompSession session = stompClient
				.connectAsync(url, new WebSocketHttpHeaders(), connect, new StompSessionHandlerAdapter() {
				})
				.get(TIMEOUT.toSeconds(), TimeUnit.SECONDS);
			return new StompTestClient(stompClient, session);
		}
		catch (Exception ex) {
			stompClient.stop();
			throw new IllegalStateException("Could not connect over " + transport, ex);
		}
	}

	/** Connects as the user, with a token from {@link TestTokens#valid(String)}. */
	public static StompTestClient connectAs(Transport transport, int port, String user) {
		return connect(transport, port, TestTokens.valid(user));
	}

	public BlockingQueue<JsonNode> subscribe(String destination) {
		StompHeaders headers = new StompHeaders();
		headers.setDestination(destination);
		return subscribe(headers);
	}

	public BlockingQueue<JsonNode> subscribe(StompHeaders headers) {
		BlockingQueue<JsonNode> queue = new LinkedBlockingQueue<>();
		this.session.subscribe(headers, new StompFrameHandler() {
			@Override
			public Type getPayloadType(StompHeaders headers) {
				return JsonNode.class;
			}

			@Override
			public void handleFrame(StompHeaders headers, @Nullable Object payload) {
				queue.add((JsonNode) payload);
			}
		});
		return queue;
	}

	public void send(String destination, Object body) {
		this.session.send(destination, body);
	}

	/**
	 * Returns once the server has handled every frame this client sent before: frames of
	 * one client are handled in order, so the answer to a deliberately refused frame
	 * marks the point.
	 */
	public void sync() {
		String room = "sync-" + syncCounter.incrementAndGet();
		send("/app/chat.typing", Map.of("room", room, "typing", true));
		while (true) {
			JsonNode error = next(this.errors);
			if (error.path("message").asString().contains("'" + room + "'")) {
				return;
			}
			this.pendingErrors.add(error);
		}
	}

	/**
	 * Waits until the server has handled everything sent so far, and checks that none of
	 * it was refused.
	 */
	public void assertNoErrors() {
		sync();
		assertThat(this.pendingErrors).as("errors on /user/queue/errors").isEmpty();
		assertThat(this.errors).as("errors on /user/queue/errors").isEmpty();
	}

	public JsonNode nextError() {
		JsonNode pending = this.pendingErrors.poll();
		return (pending != null) ? pending : next(this.errors);
	}

	public boolean isConnected() {
		return this.session.isConnected();
	}

	public static JsonNode next(BlockingQueue<JsonNode> queue) {
		return next(queue, TIMEOUT);
	}

	public static JsonNode next(BlockingQueue<JsonNode> queue, Duration timeout) {
		try {
			JsonNode node = queue.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
			assertThat(node).as("a message within " + timeout).isNotNull();
			return node;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * The next message of the queue that satisfies the condition; messages before it are
	 * passed over.
	 */
	public static JsonNode nextMatching(BlockingQueue<JsonNode> queue, Predicate<JsonNode> condition) {
		JsonNode node;
		do {
			node = next(queue);
		}
		while (!condition.test(node));
		return node;
	}

	@Override
	public void close() {
		try {
			if (this.session.isConnected()) {
				this.session.disconnect();
			}
		}
		finally {
			this.stompClient.stop();
		}
	}

}
