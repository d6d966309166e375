package dev.parley.ops;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.availability.AvailabilityChangeEvent;
import org.springframework.boot.availability.ReadinessState;
import org.springframework.context.ApplicationContext;
import org.springframework.context.event.ContextClosedEvent;
import org.springframework.context.event.EventListener;
import org.springframework.http.HttpStatus;
import org.springframework.http.server.ServerHttpRequest;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.server.HandshakeInterceptor;

import dev.parley.messaging.Connections;

/**
 * The graceful drain. When the application is asked to stop (SIGTERM), before anything
 * else stops: the node reports not ready, refuses new sessions (HTTP 503 at the
 * handshake), and closes the open ones with close code 1012 (service restart) in batches
 * spread over {@code parley.drain.window}, each at a random moment within its slot, so
 * that clients reconnect to other nodes without arriving all at once. Messages already
 * accepted are stored afterwards, when the message writer stops.
 */
@Component
class Drain implements HandshakeInterceptor {

	static final CloseStatus SERVICE_RESTART = CloseStatus.SERVICE_RESTARTED.withReason("Server restarting");

	private static final Log logger = LogFactory.getLog(Drain.class);

	private final Connections sessions;

	private final DrainProperties properties;

	private final ApplicationContext context;

	private volatile boolean draining;

	Drain(Connections sessions, DrainProperties properties, ApplicationContext context) {
		this.sessions = sessions;
		this.properties = properties;
		this.context = context;
	}

	@EventListener
	void onShutdown(ContextClosedEvent event) {
		if (event.getApplicationContext() != this.context || this.draining) {
			return;
		}
		this.draining = true;
		AvailabilityChangeEvent.publish(this.context, ReadinessState.REFUSING_TRAFFIC);
		List<WebSocketSession> open = new ArrayList<>(
				this.sessions.all().stream().map(Connections.Connection::session).toList());
		if (open.isEmpty()) {
			return;
		}
		Collections.shuffle(open);
		int batches = Math.max(1, Math.min(this.properties.batches(), open.size()));
		long slot = this.properties.window().toNanos() / batches;
		logger.info("Draining " + open.size() + " session(s) in " + batches + " batch(es) over "
				+ this.properties.window());
		long start = System.nanoTime();
		for (int batch = 0; batch < batches; batch++) {
			long at = start + batch * slot + ThreadLocalRandom.current().nextLong(Math.max(1, slot / 2));
			sleepUntil(at);
			for (int i = batch; i < open.size(); i += batches) {
				close(open.get(i));
			}
		}
	}

	boolean isDraining() {
		return this.draining;
	}

	@Override
	public boolean beforeHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			Map<String, Object> attributes) {
		if (this.draining) {
			response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
			return false;
		}
		return true;
	}

	@Override
	public void afterHandshake(ServerHttpRequest request, ServerHttpResponse response, WebSocketHandler wsHandler,
			@Nullable Exception exception) {
	}

	private static void close(WebSocketSession session) {
		try {
			if (session.isOpen()) {
				session.close(SERVICE_RESTART);
			}
		}
		catch (IOException ex) {
			// The client went away on its own: nothing left to do.
		}
	}

	private static void sleepUntil(long nanoTime) {
		long wait = nanoTime - System.nanoTime();
		if (wait > 0) {
			try {
				TimeUnit.NANOSECONDS.sleep(wait);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

}
