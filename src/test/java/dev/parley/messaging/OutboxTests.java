package dev.parley.messaging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.verify;

/**
 * A session's outbound path: frames in the order sent, a close after what was queued, and
 * a client that does not read costing only itself. Spring's own decorator, which
 * {@link Outbox} replaces, is tested beside it as a canary.
 */
class OutboxTests {

	private final ExecutorService writers = Executors.newCachedThreadPool();

	private final ScheduledExecutorService timer = Executors.newSingleThreadScheduledExecutor();

	private final List<String> seen = Collections.synchronizedList(new ArrayList<>());

	private final CountDownLatch writing = new CountDownLatch(1);

	private final CountDownLatch release = new CountDownLatch(1);

	/** The thread that wrote the blocking payload, and waits in the socket. */
	private final AtomicReference<Thread> blockedWriter = new AtomicReference<>();

	@AfterEach
	void stop() {
		this.release.countDown();
		this.writers.shutdownNow();
		this.timer.shutdownNow();
	}

	@Test
	void anErrorQueuedBehindABusyWriterGoesOutBeforeTheClose() throws Exception {
		WebSocketSession socket = socketBlockingOn("MESSAGE");
		Outbox outbox = new Outbox(socket, 10_000, 1024, this.writers, this.timer);
		outbox.sendMessage(new TextMessage("MESSAGE"));
		assertThat(this.writing.await(5, TimeUnit.SECONDS)).isTrue();
		outbox.sendMessage(new TextMessage("ERROR"));
		outbox.close(CloseStatus.PROTOCOL_ERROR);
		this.release.countDown();
		await().untilAsserted(() -> assertThat(this.seen).containsExactly("MESSAGE", "ERROR", "close"));
	}

	@Test
	void springsOwnDecoratorLosesIt() throws Exception {
		// If this fails, Spring flushes before closing now.
		WebSocketSession socket = socketBlockingOn("MESSAGE");
		ConcurrentWebSocketSessionDecorator session = new ConcurrentWebSocketSessionDecorator(socket, 10_000, 1024);
		Thread writer = new Thread(() -> send(session, "MESSAGE"));
		writer.start();
		assertThat(this.writing.await(5, TimeUnit.SECONDS)).isTrue();
		session.sendMessage(new TextMessage("ERROR"));
		Thread closer = new Thread(() -> {
			try {
				session.close(CloseStatus.PROTOCOL_ERROR);
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		closer.start();
		closer.join(5000);
		this.release.countDown();
		writer.join(5000);
		assertThat(this.seen).as("why Outbox flushes before closing").doesNotContain("ERROR");
	}

	@Test
	void springsOwnDecoratorMakesTheSenderWaitForASlowClient() throws Exception {
		// If this fails, Spring no longer writes on the sender's thread.
		WebSocketSession socket = socketBlockingOn("MESSAGE");
		ConcurrentWebSocketSessionDecorator session = new ConcurrentWebSocketSessionDecorator(socket, 10_000, 1024);
		Thread sender = new Thread(() -> send(session, "MESSAGE"));
		sender.start();
		assertThat(this.writing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.blockedWriter.get()).as("the sender waits on the client's socket").isSameAs(sender);
		assertThat(sender.isAlive()).isTrue();
		this.release.countDown();
		sender.join(5000);
	}

	@Test
	void theSenderNeverWaitsForTheClient() throws Exception {
		WebSocketSession socket = socketBlockingOn("MESSAGE");
		Outbox outbox = new Outbox(socket, 10_000, 1024, this.writers, this.timer);
		Thread sender = new Thread(() -> send(outbox, "MESSAGE"));
		sender.start();
		sender.join(5000);
		assertThat(sender.isAlive()).isFalse();
		assertThat(this.writing.await(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.blockedWriter.get()).as("written by a writer thread").isNotNull().isNotSameAs(sender);
	}

	@Test
	void framesGoOutInTheOrderTheyWereSentWhateverTheThread() throws Exception {
		WebSocketSession socket = socketBlockingOn("nothing");
		Outbox outbox = new Outbox(socket, 10_000, 1 << 20, this.writers, this.timer);
		List<String> sent = Collections.synchronizedList(new ArrayList<>());
		Thread[] senders = new Thread[4];
		for (int t = 0; t < senders.length; t++) {
			int thread = t;
			senders[t] = new Thread(() -> {
				for (int i = 0; i < 500; i++) {
					String frame = thread + "-" + i;
					synchronized (sent) {
						sent.add(frame);
						send(outbox, frame);
					}
				}
			});
			senders[t].start();
		}
		for (Thread sender : senders) {
			sender.join(10_000);
		}
		await().untilAsserted(() -> assertThat(this.seen).hasSize(2000));
		assertThat(this.seen).containsExactlyElementsOf(sent);
	}

	@Test
	void aClientThatStopsReadingIsClosedOnceTheBufferLimitIsReached() throws Exception {
		WebSocketSession socket = socketBlockingOn("MESSAGE");
		Outbox outbox = new Outbox(socket, 10_000, 100, this.writers, this.timer);
		outbox.sendMessage(new TextMessage("MESSAGE"));
		assertThat(this.writing.await(5, TimeUnit.SECONDS)).isTrue();
		for (int i = 0; i < 20; i++) {
			outbox.sendMessage(new TextMessage("0123456789"));
		}
		await().untilAsserted(() -> verify(socket).close(Outbox.SLOW_CONSUMER));
		assertThat(outbox.getBufferSize()).as("what waited is dropped").isZero();
	}

	/**
	 * A socket that records what is written and blocks writing the given payload until
	 * released.
	 */
	private WebSocketSession socketBlockingOn(String blocking) throws Exception {
		WebSocketSession socket = mock(WebSocketSession.class);
		given(socket.isOpen()).willReturn(true);
		given(socket.getId()).willReturn("s1");
		willAnswer((invocation) -> {
			String payload = ((WebSocketMessage<?>) invocation.getArgument(0)).getPayload().toString();
			if (payload.equals(blocking)) {
				this.blockedWriter.set(Thread.currentThread());
				this.writing.countDown();
				this.release.await(10, TimeUnit.SECONDS);
			}
			this.seen.add(payload);
			return null;
		}).given(socket).sendMessage(any());
		willAnswer((invocation) -> this.seen.add("close")).given(socket).close(any());
		return socket;
	}

	private static void send(WebSocketSession session, String payload) {
		try {
			session.sendMessage(new TextMessage(payload));
		}
		catch (Exception ex) {
			throw new IllegalStateException(ex);
		}
	}

}
