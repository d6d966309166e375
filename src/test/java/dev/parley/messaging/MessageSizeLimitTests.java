package dev.parley.messaging;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.MessageChannel;
import org.springframework.web.socket.WebSocketSession;
import org.springframework.web.socket.messaging.StompSubProtocolHandler;

import static org.assertj.core.api.Assertions.assertThat;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;
import static org.mockito.Mockito.never;
import static org.mockito.Mockito.verify;

class MessageSizeLimitTests {

	/**
	 * The canary: Spring raises a session's buffer to 16 KiB + 256 whatever the STOMP
	 * message size limit, and leaves a larger one alone, which is what
	 * {@link MessageSizeLimit} relies on. When this fails, Spring changed.
	 */
	@Test
	void springRaisesTheBufferTo16KiBOnlyAndLeavesALargerOneAlone() {
		StompSubProtocolHandler handler = new StompSubProtocolHandler();
		handler.setMessageSizeLimit(64 * 1024);
		WebSocketSession small = mock(WebSocketSession.class);
		given(small.getTextMessageSizeLimit()).willReturn(8192);
		given(small.getId()).willReturn("small");
		handler.afterSessionStarted(small, mock(MessageChannel.class));
		verify(small).setTextMessageSizeLimit(16 * 1024 + 256);
		assertThat(StompSubProtocolHandler.MINIMUM_WEBSOCKET_MESSAGE_SIZE).isEqualTo(16 * 1024 + 256);

		WebSocketSession sized = mock(WebSocketSession.class);
		given(sized.getTextMessageSizeLimit()).willReturn(64 * 1024);
		given(sized.getId()).willReturn("sized");
		handler.afterSessionStarted(sized, mock(MessageChannel.class));
		verify(sized, never()).setTextMessageSizeLimit(16 * 1024 + 256);
	}

	@Test
	void aNativeSessionsBufferIsTheLimit() throws Exception {
		WebSocketSession session = mock(WebSocketSession.class);
		new MessageSizeLimit(mock(org.springframework.web.socket.WebSocketHandler.class), 65536)
			.afterConnectionEstablished(session);
		verify(session).setTextMessageSizeLimit(65536);
		verify(session).setBinaryMessageSizeLimit(65536);
	}

}
