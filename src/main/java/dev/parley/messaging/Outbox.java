package dev.parley.messaging;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.eclipse.jetty.ee11.websocket.jakarta.common.JakartaWebSocketSession;
import org.eclipse.jetty.util.Callback;
import org.eclipse.jetty.websocket.core.CoreSession;
import org.eclipse.jetty.websocket.core.Frame;
import org.eclipse.jetty.websocket.core.OpCode;
import org.eclipse.jetty.websocket.core.OutgoingEntry;
import org.jspecify.annotations.Nullable;

import org.springframework.web.socket.BinaryMessage;
import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.adapter.NativeWebSocketSession;
import org.springframework.web.socket.handler.WebSocketSessionDecorator;
import org.springframework.web.socket.sockjs.transport.SockJsSession;

/**
 * A session's single outbound path: every frame for the session (messages, receipts,
 * errors, replays) is queued here in the order it was sent and written by one writer at a
 * time, and no caller ever waits for the socket.
 * <p>
 * It replaces Spring's {@code ConcurrentWebSocketSessionDecorator}, in which the thread
 * that finds the session idle writes to the socket itself and blocks on a client that
 * does not read (up to the send time limit): a few such clients held every thread of the
 * outbound channel, and everyone's messages waited. Here a native WebSocket is written
 * with the container's asynchronous sends, one after the other, so a slow client holds no
 * thread at all; a SockJS session, whose transports only write blocking, is written by a
 * task of its own on {@code writers}. Written by hand because Spring and the WebSocket
 * API offer only the blocking decorator.
 * <p>
 * A client that does not keep up costs only itself: when more than the buffer limit
 * waits, or one write takes longer than the time limit, the session is closed with 1008
 * ("slow consumer"), and memory stays bounded by the buffer limit. A close waits (at most
 * {@link #FLUSH_WAIT}) for what is queued to go out first, so the {@code ERROR} frame
 * that explains it reaches the client.
 */
class Outbox extends WebSocketSessionDecorator {

	private static final Log logger = LogFactory.getLog(Outbox.class);

	static final Duration FLUSH_WAIT = Duration.ofSeconds(1);

	/** How a client that does not keep up is closed. */
	static final CloseStatus SLOW_CONSUMER = CloseStatus.POLICY_VIOLATION.withReason("Slow consumer");

	private final Queue<WebSocketMessage<?>> queue = new ConcurrentLinkedQueue<>();

	private final AtomicLong bufferedBytes = new AtomicLong();

	private final AtomicBoolean writing = new AtomicBoolean();

	/** When the write in progress started (nanoTime), 0 when none is. */
	private volatile long writeStarted;

	private volatile @Nullable CloseStatus pendingClose;

	private final AtomicBoolean closed = new AtomicBoolean();

	private final int sendTimeLimit;

	private final int bufferSizeLimit;

	private volatile boolean idleTimeoutCleared;

	/** Jetty's own session, for native WebSockets; null for SockJS. */
	private final @Nullable CoreSession core;

	private final Executor writers;

	private final ScheduledExecutorService timer;

	Outbox(WebSocketSession delegate, int sendTimeLimit, int bufferSizeLimit, Executor writers,
			ScheduledExecutorService timer) {
		super(delegate);
		this.sendTimeLimit = sendTimeLimit;
		this.bufferSizeLimit = bufferSizeLimit;
		this.writers = writers;
		this.timer = timer;
		this.core = coreSession(delegate);
	}

	/**
	 * Jetty's session under Spring's (Spring's Jetty adapter, or the Jakarta API on
	 * Jetty), which sends a frame asynchronously and takes a text frame as UTF-8 bytes.
	 */
	private static @Nullable CoreSession coreSession(WebSocketSession session) {
		// A SockJS session over WebSocket holds a native session too, but frames must go
		// through its SockJS framing.
		return (session instanceof SockJsSession) ? null : coreSessionOf(session);
	}

	private static @Nullable CoreSession coreSessionOf(WebSocketSession session) {
		if (!(session instanceof NativeWebSocketSession nativeSession)) {
			return null;
		}
		Object container = nativeSession.getNativeSession();
		if (container instanceof org.eclipse.jetty.websocket.common.WebSocketSession jetty) {
			return jetty.getCoreSession();
		}
		if (container instanceof JakartaWebSocketSession jakarta) {
			return jakarta.getCoreSession();
		}
		return null;
	}

	/**
	 * Called for each frame the client sends. The first takes Jetty's idle timeout off
	 * the connection: Parley closes silent sessions itself (negotiated heart-beats,
	 * {@code parley.websocket.idle-timeout}). Jetty would close it after
	 * {@code server.jetty.connection-idle-timeout} (5 s): when the upgrade request
	 * completes, Jetty puts the connection's idle timeout back to the value it had before
	 * the request (see {@code JettyConnections}), which may come after the session has
	 * opened and undo what was set then.
	 */
	void received() {
		if (this.idleTimeoutCleared) {
			return;
		}
		this.idleTimeoutCleared = true;
		// SockJS over WebSocket too (its 25 s heart-beats are longer than Jetty's
		// timeout): its native session is Jetty's.
		CoreSession jetty = coreSessionOf(getDelegate());
		if (jetty != null) {
			jetty.setIdleTimeout(Duration.ZERO);
		}
	}

	/** Whether the session is being closed, or is closed. */
	boolean isClosing() {
		return this.pendingClose != null || this.closed.get();
	}

	/** Bytes queued and not yet written. */
	long getBufferSize() {
		return this.bufferedBytes.get();
	}

	@Override
	public void sendMessage(WebSocketMessage<?> message) throws IOException {
		if (this.closed.get() || this.pendingClose != null) {
			return;
		}
		if (message instanceof MessageFrames.Encoded encoded && this.core == null) {
			// Only Jetty's own session takes a text frame as bytes.
			message = new TextMessage(encoded.bytes());
		}
		this.queue.add(message);
		long buffered = this.bufferedBytes.addAndGet(message.getPayloadLength());
		long started = this.writeStarted;
		if (buffered > this.bufferSizeLimit
				|| (started != 0 && System.nanoTime() - started > TimeUnit.MILLISECONDS.toNanos(this.sendTimeLimit))) {
			if (logger.isWarnEnabled()) {
				logger.warn("Closing session " + getId() + ": a slow consumer, " + buffered
						+ " bytes waiting, its write under way for " + ((started != 0)
								? TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started) + " ms" : "none"));
			}
			this.pendingClose = SLOW_CONSUMER;
			this.writers.execute(() -> closeNow(SLOW_CONSUMER));
			return;
		}
		pump();
	}

	private void pump() {
		if (!this.writing.compareAndSet(false, true)) {
			return;
		}
		if (this.core != null) {
			drainAsync();
		}
		else {
			this.writers.execute(this::drainBlocking);
		}
	}

	/**
	 * Writes what is queued with asynchronous sends, one at a time. A send the container
	 * completes at once is followed in this loop rather than from its callback, so a long
	 * queue does not grow the stack.
	 */
	private void drainAsync() {
		CoreSession session = this.core;
		if (session == null) {
			return;
		}
		while (true) {
			WebSocketMessage<?> message = next();
			if (message == null) {
				return;
			}
			AtomicInteger phase = new AtomicInteger();
			this.writeStarted = System.nanoTime();
			try {
				Frame frame = frame(message);
				if (frame == null) {
					getDelegate().sendMessage(message);
					sent(message);
					continue;
				}
				Callback callback = Callback.from(() -> afterAsyncSend(message, null, phase),
						(failure) -> afterAsyncSend(message, failure, phase));
				session
					.sendFrame(new OutgoingEntry.Builder(frame, callback).messageTimeout(this.sendTimeLimit).build());
			}
			catch (IOException | RuntimeException ex) {
				failed(ex);
				return;
			}
			if (phase.compareAndSet(0, 1)) {
				// Still under way: its callback goes on.
				return;
			}
		}
	}

	/**
	 * The frame for a message; text as UTF-8 bytes where the message has them already (a
	 * frame encoded once per broadcast, or a {@code TextMessage} made from bytes).
	 */
	private static @Nullable Frame frame(WebSocketMessage<?> message) {
		if (message instanceof MessageFrames.Encoded encoded) {
			return new Frame(OpCode.TEXT, ByteBuffer.wrap(encoded.bytes()));
		}
		if (message instanceof TextMessage text) {
			return new Frame(OpCode.TEXT, ByteBuffer.wrap(text.asBytes()));
		}
		if (message instanceof BinaryMessage binary) {
			return new Frame(OpCode.BINARY, binary.getPayload());
		}
		return null;
	}

	private void afterAsyncSend(WebSocketMessage<?> message, @Nullable Throwable failure, AtomicInteger phase) {
		if (failure != null) {
			failed(failure);
			return;
		}
		sent(message);
		if (!phase.compareAndSet(0, 2)) {
			// The loop that sent it has returned: continue from here.
			drainAsync();
		}
	}

	/** Writes what is queued with blocking sends, on a writer thread of its own. */
	private void drainBlocking() {
		while (true) {
			WebSocketMessage<?> message = next();
			if (message == null) {
				return;
			}
			this.writeStarted = System.nanoTime();
			try {
				getDelegate().sendMessage(message);
			}
			catch (IOException | RuntimeException ex) {
				failed(ex);
				return;
			}
			sent(message);
		}
	}

	/**
	 * The next message to write, or null, with the writer released, when there is none.
	 */
	private @Nullable WebSocketMessage<?> next() {
		while (true) {
			WebSocketMessage<?> message = this.closed.get() ? null : this.queue.poll();
			if (message != null) {
				return message;
			}
			this.writeStarted = 0;
			this.writing.set(false);
			CloseStatus close = this.pendingClose;
			if (close != null && (this.queue.isEmpty() || this.closed.get())) {
				this.writers.execute(() -> closeNow(close));
				return null;
			}
			// Something queued after the poll and before the release would otherwise wait
			// for the next send.
			if (this.queue.isEmpty() || this.closed.get() || !this.writing.compareAndSet(false, true)) {
				return null;
			}
		}
	}

	private void sent(WebSocketMessage<?> message) {
		this.bufferedBytes.addAndGet(-message.getPayloadLength());
	}

	private void failed(@Nullable Throwable ex) {
		if (logger.isDebugEnabled()) {
			logger.debug("Write to session " + getId() + " failed, closing it", ex);
		}
		this.writeStarted = 0;
		// Nothing more is written: the endpoint of a failed send may still be
		// mid-message.
		this.pendingClose = CloseStatus.SESSION_NOT_RELIABLE;
		this.writing.set(false);
		this.writers.execute(() -> closeNow(
				(ex instanceof java.net.SocketTimeoutException || ex instanceof java.util.concurrent.TimeoutException)
						? SLOW_CONSUMER : CloseStatus.SESSION_NOT_RELIABLE));
	}

	@Override
	public void close() throws IOException {
		close(CloseStatus.NORMAL);
	}

	/**
	 * Closes once what is queued has gone out, for at most {@link #FLUSH_WAIT}. The close
	 * itself always happens on a writer thread, never the caller's: it may wait for a
	 * write under way, and the disconnect it sets off (leaving rooms, presence) must not
	 * run on a thread that holds a room's monitor while it publishes.
	 */
	@Override
	public void close(CloseStatus status) throws IOException {
		if (this.closed.get() || this.pendingClose != null) {
			return;
		}
		this.pendingClose = status;
		if (!this.writing.get() && this.queue.isEmpty()) {
			this.writers.execute(() -> closeNow(status));
			return;
		}
		pump();
		this.timer.schedule(() -> this.writers.execute(() -> closeNow(status)), FLUSH_WAIT.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void closeNow(CloseStatus status) {
		if (!this.closed.compareAndSet(false, true)) {
			return;
		}
		this.queue.clear();
		this.bufferedBytes.set(0);
		try {
			getDelegate().close(status);
		}
		catch (IOException | RuntimeException ex) {
			if (logger.isDebugEnabled()) {
				logger.debug("Failed to close session " + getId(), ex);
			}
		}
	}

}
