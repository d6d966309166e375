package dev.parley.messaging;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import org.springframework.web.socket.CloseStatus;
import org.springframework.web.socket.TextMessage;
import org.springframework.web.socket.WebSocketMessage;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.handler.ConcurrentWebSocketSessionDecorator;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.ArgumentMatchers.any;
import static org.mockito.BDDMockito.given;
import static org.mockito.BDDMockito.willAnswer;
import static org.mockito.Mockito.mock;

/**
 * The frame sent just before a close, while another thread is still writing to the session, reaches the client.
 */
class FlushBeforeCloseTests {

	@Test
	void anErrorBufferedBehindABusyWriterGoesOutBeforeTheClose() throws Exception {
		assertThat(errorThenClose(true)).containsExactly("MESSAGE", "ERROR", "close");
	}

	@Test
	void springsOwnDecoratorLosesIt() throws Exception {
		// If this fails, Spring flushes before closing now, and FlushBeforeClose can go.
		assertThat(errorThenClose(false)).as("why FlushBeforeClose exists").doesNotContain("ERROR");
	}

	private List<String> errorThenClose(boolean flushing) throws Exception {
		List<String> seen = Collections.synchronizedList(new ArrayList<>());
		CountDownLatch writing = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		WebSocketSession socket = mock(WebSocketSession.class);
		given(socket.isOpen()).willReturn(true);
		willAnswer((invocation) -> {
			String payload = ((WebSocketMessage<?>) invocation.getArgument(0)).getPayload().toString();
			if (payload.equals("MESSAGE")) {
				writing.countDown();
				release.await(5, TimeUnit.SECONDS);
			}
			seen.add(payload);
			return null;
		}).given(socket).sendMessage(any());
		willAnswer((invocation) -> seen.add("close")).given(socket).close(any());
		ConcurrentWebSocketSessionDecorator session = flushing ? new FlushBeforeClose.FlushingSession(socket, 10_000, 1024)
				: new ConcurrentWebSocketSessionDecorator(socket, 10_000, 1024);

		Thread writer = new Thread(() -> {
			try {
				session.sendMessage(new TextMessage("MESSAGE"));
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
			}
		});
		writer.start();
		assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
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
		Thread.sleep(100);
		release.countDown();
		writer.join(5000);
		closer.join(5000);
		return List.copyOf(seen);
	}

}
