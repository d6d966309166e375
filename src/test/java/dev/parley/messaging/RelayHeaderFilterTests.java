package dev.parley.messaging;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.context.ApplicationEventPublisher;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHandler;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.annotation.support.SimpAnnotationMethodMessageHandler;
import org.springframework.messaging.simp.stomp.StompBrokerRelayMessageHandler;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.user.UserDestinationMessageHandler;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.concurrent.ConcurrentTaskScheduler;
import org.springframework.web.socket.WebSocketHandler;
import org.springframework.web.socket.WebSocketSession;

import dev.parley.support.RecordingChannel;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.mockito.BDDMockito.given;
import static org.mockito.Mockito.mock;

/**
 * What of a client's frame reaches RabbitMQ in relay mode: the headers RabbitMQ would act
 * on are taken off, for the handlers that forward frames to it only.
 */
class RelayHeaderFilterTests {

	/**
	 * Every client header RabbitMQ's STOMP plugin acts on, and the tokens: none may reach
	 * it.
	 */
	static final Map<String, String> RABBITMQ_HEADERS = Map.ofEntries(Map.entry("x-queue-name", "stolen"),
			Map.entry("durable", "true"), Map.entry("persistent", "true"), Map.entry("auto-delete", "false"),
			Map.entry("exclusive", "false"), Map.entry("x-message-ttl", "1"), Map.entry("x-max-length", "1"),
			Map.entry("x-max-length-bytes", "1"), Map.entry("x-overflow", "reject-publish"),
			Map.entry("x-expires", "1"), Map.entry("x-dead-letter-exchange", "amq.fanout"),
			Map.entry("x-dead-letter-routing-key", "stolen"), Map.entry("x-queue-type", "quorum"),
			Map.entry("x-max-priority", "9"), Map.entry("x-stream-offset", "first"), Map.entry("prefetch-count", "1"),
			Map.entry("reply-to", "/temp-queue/stolen"), Map.entry("ack", "client-individual"),
			Map.entry("selector", "1 = 0"), Map.entry("Authorization", "Bearer eyJhbGciOiJIUzI1NiJ9.e30.sig"),
			Map.entry("passcode", "secret"), Map.entry("login", "mallory"), Map.entry("since-seq", "7"),
			Map.entry("receipt", "r-1"), Map.entry("content-length", "0"), Map.entry("expires", "1"),
			Map.entry("priority", "9"), Map.entry("amqp-message-id", "x"), Map.entry("subscription", "s-9"));

	private final RelaySessions sessions = new RelaySessions();

	private final RecordingChannel brokerChannel = new RecordingChannel();

	private final Connections connections = new Connections(mock(ApplicationEventPublisher.class));

	private final RoomOrder order = new RoomOrder(new RecordingChannel(),
			new ConcurrentTaskScheduler(Executors.newSingleThreadScheduledExecutor()), Duration.ofSeconds(1));

	private final RelayHeaderFilter filter = new RelayHeaderFilter(this.sessions, this.order, this.connections,
			this.brokerChannel, 10_000);

	private final MessageHandler relay = mock(StompBrokerRelayMessageHandler.class);

	private final MessageHandler userDestinations = mock(UserDestinationMessageHandler.class);

	private final MessageHandler application = mock(SimpAnnotationMethodMessageHandler.class);

	private final ExecutorSubscribableChannel inbound = new ExecutorSubscribableChannel();

	@BeforeEach
	void sessionIsOpenAndConnectedToRabbitMq() throws Exception {
		WebSocketSession session = mock(WebSocketSession.class);
		given(session.getId()).willReturn("s1");
		this.connections.decorate(mock(WebSocketHandler.class)).afterConnectionEstablished(session);
		this.sessions.connected("s1");
	}

	@Test
	void aSubscribeReachesRabbitMqWithItsDestinationAndIdOnly() {
		Message<?> subscribe = frame(StompCommand.SUBSCRIBE, "/topic/chat/lobby");

		Message<?> forwarded = this.filter.beforeHandle(subscribe, this.inbound, this.relay);

		assertThat(forwarded).isNotNull();
		Map<String, List<String>> headers = StompHeaderAccessor.wrap(forwarded).toNativeHeaderMap();
		assertThat(headers.keySet()).containsExactlyInAnyOrder("destination", "id", "receipt");
		assertThat(headers.get("destination")).containsExactly("/topic/chat/lobby");
		assertThat(headers.get("id")).containsExactly("sub-1");
		assertThat(headers.get("receipt")).singleElement()
			.satisfies((receipt) -> assertThat(receipt).startsWith(RelaySessions.RECEIPT_PREFIX));
		// Parley's own receipt id, not the client's: Parley answers the client itself.
		assertThat(RABBITMQ_HEADERS.keySet()).filteredOn((name) -> !name.equals("receipt"))
			.noneMatch(headers::containsKey);
	}

	@Test
	void theApplicationAndTheOtherInterceptorsSeeTheFrameWhole() {
		Message<?> subscribe = frame(StompCommand.SUBSCRIBE, "/topic/chat/lobby");

		assertThat(this.filter.beforeHandle(subscribe, this.inbound, this.application)).isSameAs(subscribe);
		this.filter.beforeHandle(subscribe, this.inbound, this.relay);

		assertThat(StompHeaderAccessor.wrap(subscribe).toNativeHeaderMap()).containsKeys("x-queue-name",
				"Authorization", "since-seq", "receipt");
	}

	@Test
	void aConnectKeepsItsVersionAndHeartbeatsOnly() {
		Message<?> connect = frame(StompCommand.CONNECT, null, "accept-version", "1.2", "heart-beat", "10000,10000",
				"host", "chat.example.com");

		Message<?> forwarded = this.filter.beforeHandle(connect, this.inbound, this.relay);

		assertThat(forwarded).isNotNull();
		assertThat(StompHeaderAccessor.wrap(forwarded).toNativeHeaderMap()).containsOnlyKeys("accept-version",
				"heart-beat");
	}

	@Test
	void heartbeatsAreAgreedAsTheSimpleBrokerWould() {
		for (String[] asked : new String[][] { { "0,0", "0,0" }, { "5000,0", "10000,0" }, { "0,1", "0,10000" },
				{ "1,1", "10000,10000" }, { "20000,30000", "20000,30000" } }) {
			Message<?> connect = frame(StompCommand.CONNECT, null, "accept-version", "1.2", "heart-beat", asked[0]);
			Message<?> forwarded = this.filter.beforeHandle(connect, this.inbound, this.relay);
			assertThat(forwarded).isNotNull();
			assertThat(StompHeaderAccessor.wrap(forwarded).getFirstNativeHeader("heart-beat")).as(asked[0])
				.isEqualTo(asked[1]);
		}
	}

	@Test
	void aSendToTheBrokerKeepsItsDestinationAndContentTypeOnly() {
		Message<?> send = frame(StompCommand.SEND, "/topic/messages", "content-type", "application/json");

		Message<?> forwarded = this.filter.beforeHandle(send, this.inbound, this.relay);

		assertThat(forwarded).isNotNull();
		assertThat(StompHeaderAccessor.wrap(forwarded).toNativeHeaderMap()).containsOnlyKeys("destination",
				"content-type");
	}

	@Test
	void aSendToTheApplicationIsNotTouched() {
		Message<?> send = frame(StompCommand.SEND, "/app/chat.send");

		assertThat(this.filter.beforeHandle(send, this.inbound, this.relay)).isSameAs(send);
	}

	@Test
	void aDisconnectKeepsItsReceiptForRabbitMqToAnswer() {
		Message<?> disconnect = frame(StompCommand.DISCONNECT, null);

		Message<?> forwarded = this.filter.beforeHandle(disconnect, this.inbound, this.relay);

		assertThat(forwarded).isNotNull();
		assertThat(StompHeaderAccessor.wrap(forwarded).toNativeHeaderMap()).containsOnlyKeys("receipt");
	}

	@Test
	void acknowledgementsAndTransactionsNeverReachRabbitMq() {
		for (StompCommand command : List.of(StompCommand.ACK, StompCommand.NACK, StompCommand.BEGIN,
				StompCommand.COMMIT, StompCommand.ABORT)) {
			Message<?> frame = frame(command, null);
			assertThat(this.filter.beforeHandle(frame, this.inbound, this.relay)).as(command.name()).isNull();
			assertThat(this.filter.beforeHandle(frame, this.inbound, this.application)).isSameAs(frame);
		}
	}

	@Test
	void anUnsubscribeGoesOnlyForASubscriptionRabbitMqHolds() {
		assertThat(this.filter.beforeHandle(unsubscribe("sub-1"), this.inbound, this.relay)).isNull();

		this.filter.beforeHandle(frame(StompCommand.SUBSCRIBE, "/topic/presence"), this.inbound, this.relay);
		Message<?> forwarded = this.filter.beforeHandle(unsubscribe("sub-1"), this.inbound, this.relay);

		assertThat(forwarded).isNotNull();
		assertThat(StompHeaderAccessor.wrap(forwarded).toNativeHeaderMap()).containsOnlyKeys("id");
		assertThat(this.filter.beforeHandle(unsubscribe("sub-1"), this.inbound, this.relay)).as("again").isNull();
	}

	@Test
	void aSubscriptionIdUsedAgainIsUnsubscribedFirst() {
		this.filter.beforeHandle(frame(StompCommand.SUBSCRIBE, "/topic/presence"), this.inbound, this.relay);
		assertThat(this.brokerChannel.destinations()).isEmpty();

		this.filter.beforeHandle(frame(StompCommand.SUBSCRIBE, "/topic/messages"), this.inbound, this.relay);

		assertThat(this.brokerChannel.messages()).singleElement().satisfies((unsubscribe) -> {
			StompHeaderAccessor headers = StompHeaderAccessor.wrap(unsubscribe);
			assertThat(headers.getCommand()).isEqualTo(StompCommand.UNSUBSCRIBE);
			assertThat(headers.getMessageType()).isEqualTo(SimpMessageType.UNSUBSCRIBE);
			assertThat(headers.getSessionId()).isEqualTo("s1");
			assertThat(headers.getSubscriptionId()).isEqualTo("sub-1");
		});
		assertThat(this.sessions.subscribers("/topic/messages").get("s1")).containsExactly("sub-1");
		assertThat(this.sessions.subscribers("/topic/presence")).isEmpty();
	}

	@Test
	void aUserDestinationIsStrippedForTheHandlerThatResolvesIt() {
		Message<?> subscribe = frame(StompCommand.SUBSCRIBE, "/user/queue/private");

		assertThat(this.filter.beforeHandle(subscribe, this.inbound, this.relay)).isSameAs(subscribe);
		Message<?> forwarded = this.filter.beforeHandle(subscribe, this.inbound, this.userDestinations);

		assertThat(forwarded).isNotNull();
		assertThat(StompHeaderAccessor.wrap(forwarded).toNativeHeaderMap()).containsOnlyKeys("destination", "id",
				"receipt");
		assertThat(this.sessions.subscribers("/user/queue/private").get("s1")).containsExactly("sub-1");
	}

	@Test
	void aSubscribeIsHandledOnceRabbitMqHasAnsweredIt() throws Exception {
		Message<?> forwarded = this.filter.beforeHandle(frame(StompCommand.SUBSCRIBE, "/topic/presence"), this.inbound,
				this.relay);
		assertThat(forwarded).isNotNull();
		String receipt = StompHeaderAccessor.wrap(forwarded).getReceipt();

		CompletableFuture<Void> handled = CompletableFuture
			.runAsync(() -> this.filter.afterMessageHandled(forwarded, this.inbound, this.relay, null));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !handled.isDone());

		assertThat(this.sessions.received(receipt)).as("one of Parley's receipts").isTrue();
		handled.get(2, TimeUnit.SECONDS);
		assertThat(this.sessions.received("r-1")).as("a client's receipt").isFalse();
	}

	@Test
	void aFrameWaitsForRabbitMqsConnected() throws Exception {
		this.sessions.ended("s1");
		this.filter.beforeHandle(frame(StompCommand.CONNECT, null), this.inbound, this.relay);

		CompletableFuture<Message<?>> subscribe = CompletableFuture.supplyAsync(() -> this.filter
			.beforeHandle(frame(StompCommand.SUBSCRIBE, "/topic/presence"), this.inbound, this.relay));
		await().during(Duration.ofMillis(200)).atMost(Duration.ofSeconds(1)).until(() -> !subscribe.isDone());

		this.sessions.connected("s1");
		assertThat(subscribe.get(2, TimeUnit.SECONDS)).isNotNull();
	}

	private static Message<?> unsubscribe(String id) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(StompCommand.UNSUBSCRIBE);
		accessor.setSessionId("s1");
		accessor.setSubscriptionId(id);
		accessor.setNativeHeader("receipt", "u-1");
		accessor.setNativeHeader("x-queue-name", "stolen");
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

	/** A client's frame with every header RabbitMQ would act on, and these. */
	private static Message<?> frame(StompCommand command, String destination, String... headers) {
		StompHeaderAccessor accessor = StompHeaderAccessor.create(command);
		accessor.setSessionId("s1");
		if (destination != null) {
			accessor.setDestination(destination);
		}
		if (command == StompCommand.SUBSCRIBE) {
			accessor.setSubscriptionId("sub-1");
		}
		RABBITMQ_HEADERS.forEach(accessor::setNativeHeader);
		for (int i = 0; i < headers.length; i += 2) {
			accessor.setNativeHeader(headers[i], headers[i + 1]);
		}
		accessor.setLeaveMutable(true);
		assertThat(SimpMessageHeaderAccessor.getSessionId(accessor.getMessageHeaders())).isEqualTo("s1");
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
