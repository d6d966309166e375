package dev.parley.messaging;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.AbstractSubscribableChannel;
import org.springframework.messaging.support.ChannelInterceptor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;

import dev.parley.security.JwtAuthentication;
import dev.parley.security.Role;
import dev.parley.support.TestTokens;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Frames driven through the application context's {@code clientInboundChannel}, as the
 * WebSocket layer hands them over: routing to controllers, the principal as sender,
 * refusals and where they are reported.
 */
@SpringBootTest
class InboundChannelTests {

	@Autowired
	AbstractSubscribableChannel clientInboundChannel;

	@Autowired
	AbstractSubscribableChannel brokerChannel;

	@Autowired
	AbstractSubscribableChannel clientOutboundChannel;

	@Autowired
	Connections connections;

	private final BlockingQueue<Message<?>> toBroker = new LinkedBlockingQueue<>();

	private final BlockingQueue<Message<?>> toClients = new LinkedBlockingQueue<>();

	private final ChannelInterceptor brokerTap = tap(this.toBroker);

	private final ChannelInterceptor clientTap = tap(this.toClients);

	@BeforeEach
	void tapChannels() {
		this.brokerChannel.addInterceptor(this.brokerTap);
		this.clientOutboundChannel.addInterceptor(this.clientTap);
	}

	@AfterEach
	void untapChannels() {
		this.brokerChannel.removeInterceptor(this.brokerTap);
		this.clientOutboundChannel.removeInterceptor(this.clientTap);
	}

	@Test
	void roomMessageIsPublishedWithThePrincipalAsSender() throws Exception {
		send(frame(StompCommand.SEND, "/app/chat.join", "s1", "alice"), "{\"room\":\"ctx\"}");
		nextTo("/topic/chat/ctx", "\"type\":\"JOIN\"");
		send(frame(StompCommand.SEND, "/app/chat.send", "s1", "alice"), "{\"room\":\"ctx\",\"content\":\"hey\"}");

		Message<?> chat = nextTo("/topic/chat/ctx", "\"type\":\"CHAT\"");
		assertThat(body(chat)).contains("\"sender\":\"alice\"").contains("\"content\":\"hey\"");
	}

	@Test
	void aBodyNamingAnotherSenderIsReportedToTheSendingSessionOnly() throws Exception {
		send(frame(StompCommand.SEND, "/app/chat", "s2", "mallory"), "{\"text\":\"x\",\"sender\":\"alice\"}");

		Message<?> error = nextTo("/user/mallory/queue/errors", "sender-mismatch");
		assertThat(SimpMessageHeaderAccessor.getSessionId(error.getHeaders())).isEqualTo("s2");
		assertThat(body(error)).contains("\"destination\":\"/app/chat\"");
	}

	@Test
	void aForbiddenSendIsDroppedAndReportedOnTheErrorQueue() throws Exception {
		StompHeaderAccessor forged = frame(StompCommand.SEND, "/topic/messages", "s3", "mallory");
		forged.setNativeHeader("receipt", "r-1");
		send(forged, "{\"text\":\"x\"}");

		Message<?> error = nextTo("/user/mallory/queue/errors", "forbidden");
		assertThat(body(error)).contains("\"receiptId\":\"r-1\"");
		assertThat(this.toBroker).noneMatch(
				(message) -> "/topic/messages".equals(SimpMessageHeaderAccessor.getDestination(message.getHeaders())));
	}

	@Test
	void connectWithoutATokenIsAnsweredWithAnErrorFrame() throws Exception {
		StompHeaderAccessor connect = StompHeaderAccessor.create(StompCommand.CONNECT);
		connect.setSessionId("s4");
		connect.setSessionAttributes(new HashMap<>());
		connect.setAcceptVersion("1.2");
		connect.setLeaveMutable(true);
		send(connect, "");

		Message<?> error = this.toClients.poll(5, TimeUnit.SECONDS);
		assertThat(error).isNotNull();
		StompHeaderAccessor headers = StompHeaderAccessor.wrap(error);
		assertThat(headers.getCommand()).isEqualTo(StompCommand.ERROR);
		assertThat(headers.getSessionId()).isEqualTo("s4");
		assertThat(headers.getMessage()).startsWith("Unauthorized - Missing access token");
	}

	@Test
	void connectWithABearerHeaderSetsTheUser() throws Exception {
		// The session is open, as the WebSocket handler would have registered it.
		WebSocketSession session = org.mockito.Mockito.mock(WebSocketSession.class);
		org.mockito.BDDMockito.given(session.getId()).willReturn("s5");
		this.connections.decorate(org.mockito.Mockito.mock(WebSocketHandler.class)).afterConnectionEstablished(session);
		StompHeaderAccessor connect = StompHeaderAccessor.create(StompCommand.CONNECT);
		connect.setSessionId("s5");
		connect.setSessionAttributes(new HashMap<>());
		connect.setAcceptVersion("1.2");
		connect.setNativeHeader("Authorization", "Bearer " + TestTokens.valid("alice"));
		connect.setLeaveMutable(true);
		send(connect, "");

		Message<?> connected = this.toClients.poll(5, TimeUnit.SECONDS);
		assertThat(connected).isNotNull();
		StompHeaderAccessor headers = StompHeaderAccessor.wrap(connected);
		assertThat(headers.getMessageType()).isEqualTo(SimpMessageType.CONNECT_ACK);
		assertThat(headers.getSessionId()).isEqualTo("s5");
		assertThat(headers.getUser()).isInstanceOf(JwtAuthentication.class).extracting("name").isEqualTo("alice");
	}

	private void send(StompHeaderAccessor accessor, String body) {
		byte[] payload = body.getBytes(StandardCharsets.UTF_8);
		this.clientInboundChannel.send(MessageBuilder.createMessage(payload, accessor.getMessageHeaders()));
	}

	private static StompHeaderAccessor frame(StompCommand command, String destination, String sessionId, String user) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		accessor.setDestination(destination);
		accessor.setSessionId(sessionId);
		accessor.setSessionAttributes(new HashMap<>());
		accessor.setUser(new JwtAuthentication(user, Set.of(Role.USER), Instant.now().plusSeconds(600)));
		accessor.setContentType(MimeTypeUtils.APPLICATION_JSON);
		accessor.setLeaveMutable(true);
		return accessor;
	}

	/** The next message to the broker for the destination with the text in its body. */
	private Message<?> nextTo(String destination, String contains) {
		return await().alias("a message to " + destination + " containing " + contains)
			.atMost(Duration.ofSeconds(5))
			.pollInterval(Duration.ofMillis(10))
			.until(this.toBroker::poll,
					(message) -> message != null
							&& destination.equals(SimpMessageHeaderAccessor.getDestination(message.getHeaders()))
							&& body(message).contains(contains));
	}

	private static String body(Message<?> message) {
		return (message.getPayload() instanceof byte[] bytes) ? new String(bytes, StandardCharsets.UTF_8)
				: String.valueOf(message.getPayload());
	}

	private static ChannelInterceptor tap(BlockingQueue<Message<?>> queue) {
		return new ChannelInterceptor() {
			@Override
			public Message<?> preSend(Message<?> message, MessageChannel channel) {
				queue.add(message);
				return message;
			}
		};
	}

}
