package dev.parley.messaging;

import java.security.Principal;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import java.util.function.Consumer;

import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.WebSocketHandlerDecorator;
import org.springframework.web.socket.sockjs.transport.SockJsSession;

/**
 * Who is connected to this node: every WebSocket session (native and SockJS) from its
 * opening to its close, and, once its {@code CONNECT} is accepted, its user. The one
 * place the rest asks: the sessions-per-user limit, presence (a user's first session and
 * last one, announced as {@link UserCameOnline} and {@link UserWentOffline}), the drain,
 * the idle timeout, metrics, and the revocation of subscriptions. Spring keeps its own
 * user registry for user destinations; this is Parley's, and the seam the cluster work
 * backs with a shared store.
 * <p>
 * A user is bound only to a session that is still open, under the same monitor that
 * unbinds it on close, so a {@code CONNECT} handled after its session closed leaves
 * nobody online.
 */
@Component
public class Connections {

	private final Map<String, Connection> bySession = new ConcurrentHashMap<>();

	/** Guarded by this. */
	private final Map<String, Set<String>> sessionsByUser = new HashMap<>();

	private final ApplicationEventPublisher events;

	private final List<Consumer<WebSocketSession>> openedListeners = new CopyOnWriteArrayList<>();

	private final List<BiConsumer<WebSocketSession, CloseStatus>> closedListeners = new CopyOnWriteArrayList<>();

	private final SessionSlots slots;

	public Connections(ApplicationEventPublisher events) {
		this(events, SessionSlots.LOCAL);
	}

	@Autowired
	public Connections(ApplicationEventPublisher events, ObjectProvider<SessionSlots> slots) {
		this(events, slots.getIfAvailable(() -> SessionSlots.LOCAL));
	}

	Connections(ApplicationEventPublisher events, SessionSlots slots) {
		this.events = events;
		this.slots = slots;
	}

	/** One open session. */
	public static final class Connection {

		private final WebSocketSession session;

		private final String transport;

		private volatile long lastRead = System.nanoTime();

		private volatile @Nullable Principal user;

		private volatile boolean sendsHeartbeats = true;

		Connection(WebSocketSession session) {
			this.session = session;
			this.transport = (session instanceof SockJsSession) ? "sockjs" : "websocket";
		}

		public String id() {
			return this.session.getId();
		}

		/**
		 * The container's session, to close it; frames for it go through the messaging
		 * channels, not here.
		 */
		public WebSocketSession session() {
			return this.session;
		}

		/** {@code websocket} or {@code sockjs}. */
		public String transport() {
			return this.transport;
		}

		/** The user its {@code CONNECT} was accepted for, or null before that. */
		public @Nullable Principal user() {
			return this.user;
		}

		/** When a frame last came from it ({@link System#nanoTime()}). */
		public long lastRead() {
			return this.lastRead;
		}

		/** Whether its client negotiated heart-beats of its own. */
		public boolean sendsHeartbeats() {
			return this.sendsHeartbeats;
		}

		public void sendsHeartbeats(boolean sendsHeartbeats) {
			this.sendsHeartbeats = sendsHeartbeats;
		}

	}

	/** A user's first session on this node was accepted. */
	public record UserCameOnline(String user) {
	}

	/** A user's last session on this node closed. */
	public record UserWentOffline(String user) {
	}

	/** Tracks the sessions of the handler it decorates (see {@code WebSocketConfig}). */
	public WebSocketHandler decorate(WebSocketHandler handler) {
		return new WebSocketHandlerDecorator(handler) {

			@Override
			public void afterConnectionEstablished(WebSocketSession session) throws Exception {
				Connections.this.bySession.put(session.getId(), new Connection(session));
				Connections.this.openedListeners.forEach((listener) -> listener.accept(session));
				super.afterConnectionEstablished(session);
			}

			@Override
			public void handleMessage(WebSocketSession session, WebSocketMessage<?> message) throws Exception {
				Connection connection = Connections.this.bySession.get(session.getId());
				if (connection != null) {
					connection.lastRead = System.nanoTime();
				}
				super.handleMessage(session, message);
			}

			@Override
			public void afterConnectionClosed(WebSocketSession session, CloseStatus status) throws Exception {
				closed(session, status);
				super.afterConnectionClosed(session, status);
			}

		};
	}

	/**
	 * Binds the user of an accepted {@code CONNECT} to its session.
	 * @param maxSessions how many sessions a user may have on this node
	 * @return false when the session has closed meanwhile, or the user already has
	 * {@code maxSessions}
	 */
	public boolean bind(String sessionId, Principal user, int maxSessions) {
		Connection connection = this.bySession.get(sessionId);
		if (connection == null) {
			return false;
		}
		if (connection.user != null) {
			// A repeated CONNECT on an accepted session counts once.
			return connection.user.getName().equals(user.getName());
		}
		// The cluster-wide place first, outside the monitor (it may ask another store).
		if (!this.slots.acquire(user.getName(), sessionId, maxSessions)) {
			return false;
		}
		if (!bindHere(sessionId, user, maxSessions)) {
			this.slots.release(user.getName(), sessionId);
			return false;
		}
		return true;
	}

	private synchronized boolean bindHere(String sessionId, Principal user, int maxSessions) {
		Connection connection = this.bySession.get(sessionId);
		if (connection == null) {
			return false;
		}
		if (connection.user != null) {
			// A repeated CONNECT on an accepted session counts once.
			return connection.user.getName().equals(user.getName());
		}
		Set<String> sessions = this.sessionsByUser.computeIfAbsent(user.getName(), (key) -> new HashSet<>());
		if (sessions.size() >= maxSessions) {
			if (sessions.isEmpty()) {
				this.sessionsByUser.remove(user.getName());
			}
			return false;
		}
		connection.user = user;
		sessions.add(sessionId);
		if (sessions.size() == 1) {
			this.events.publishEvent(new UserCameOnline(user.getName()));
		}
		return true;
	}

	private void closed(WebSocketSession session, CloseStatus status) {
		Connection connection = this.bySession.remove(session.getId());
		if (connection == null) {
			return;
		}
		synchronized (this) {
			Principal user = connection.user;
			Set<String> sessions = (user != null) ? this.sessionsByUser.get(user.getName()) : null;
			if (user != null && sessions != null && sessions.remove(session.getId()) && sessions.isEmpty()) {
				this.sessionsByUser.remove(user.getName());
				this.events.publishEvent(new UserWentOffline(user.getName()));
			}
		}
		if (connection.user != null) {
			this.slots.release(connection.user.getName(), session.getId());
		}
		this.closedListeners.forEach((listener) -> listener.accept(session, status));
	}

	public @Nullable Connection find(String sessionId) {
		return this.bySession.get(sessionId);
	}

	public Collection<Connection> all() {
		return List.copyOf(this.bySession.values());
	}

	public int count() {
		return this.bySession.size();
	}

	/**
	 * Sessions of one transport, {@code websocket} or {@code sockjs}; counted when asked
	 * (by a gauge).
	 */
	public int count(String transport) {
		int count = 0;
		for (Connection connection : this.bySession.values()) {
			if (connection.transport.equals(transport)) {
				count++;
			}
		}
		return count;
	}

	/** How many accepted sessions a user has on this node. */
	public synchronized int sessionsOf(String user) {
		Set<String> sessions = this.sessionsByUser.get(user);
		return (sessions != null) ? sessions.size() : 0;
	}

	/** The users with at least one accepted session on this node, sorted. */
	public synchronized List<String> onlineUsers() {
		return this.sessionsByUser.keySet().stream().sorted().toList();
	}

	public void onOpened(Consumer<WebSocketSession> listener) {
		this.openedListeners.add(listener);
	}

	public void onClosed(BiConsumer<WebSocketSession, CloseStatus> listener) {
		this.closedListeners.add(listener);
	}

}
