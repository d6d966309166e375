package dev.parley.messaging;

import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;

import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.AbstractBrokerMessageHandler;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.ExecutorSubscribableChannel;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The in-memory broker's own fan-out, and the canaries for the Spring behaviour it
 * replaces.
 */
class FanOutBrokerTests {

	private final ExecutorSubscribableChannel outbound = new ExecutorSubscribableChannel();

	private final List<Message<?>> onTheChannel = new ArrayList<>();

	private final Sessions sessions = new Sessions();

	private final SimpleBrokerMessageHandler broker = (SimpleBrokerMessageHandler) FanOutBroker
		.inPlaceOf(springsBroker(this.outbound), () -> this.sessions);

	FanOutBrokerTests() {
		this.outbound.subscribe((message) -> {
			if (SimpMessageHeaderAccessor.getMessageType(message.getHeaders()) == SimpMessageType.MESSAGE) {
				this.onTheChannel.add(message);
			}
		});
		this.broker.start();
	}

	@AfterEach
	void stop() {
		this.broker.stop();
	}

	@Test
	void replacesSpringsBrokerAndKeepsItsSettings() {
		SimpleBrokerMessageHandler spring = springsBroker(this.outbound);
		spring.setHeartbeatValue(new long[] { 10_000, 10_000 });
		spring.setPhase(42);
		assertThat(FanOutBroker.inPlaceOf(spring, () -> null)).isInstanceOfSatisfying(FanOutBroker.class, (ours) -> {
			assertThat(ours.getHeartbeatValue()).containsExactly(10_000, 10_000);
			assertThat(ours.getPhase()).isEqualTo(42);
			assertThat(ours.getDestinationPrefixes()).containsExactly("/topic", "/queue");
			assertThat(ours.getSubscriptionRegistry()).isInstanceOf(ExactSubscriptionRegistry.class);
		});
		Object other = new Object();
		assertThat(FanOutBroker.inPlaceOf(other, () -> null)).isSameAs(other);
	}

	@Test
	void eachSubscriberGetsItsOwnFrameWithoutAMessageOnTheChannel() {
		subscribe("s1", "a", "/topic/rooms/x");
		subscribe("s1", "b", "/topic/rooms/x");
		subscribe("s2", "a", "/topic/rooms/x");
		subscribe("s3", "a", "/topic/rooms/y");
		this.broker.handleMessage(broadcast("/topic/rooms/x", "{\"text\":\"hi\"}"));
		assertThat(this.sessions.written).extracting((frame) -> frame.session + "/" + frame.subscription)
			.containsExactlyInAnyOrder("s1/a", "s1/b", "s2/a");
		for (Written frame : this.sessions.written) {
			StompHeaderAccessor headers = StompHeaderAccessor.wrap(frame.decoded);
			assertThat(headers.getSubscriptionId()).isEqualTo(frame.subscription);
			assertThat(headers.getDestination()).isEqualTo("/topic/rooms/x");
			assertThat(headers.getFirstNativeHeader("seq")).isEqualTo("7");
			assertThat(headers.getMessageId()).startsWith(frame.session + "-");
			assertThat(new String((byte[]) frame.decoded.getPayload(), StandardCharsets.UTF_8))
				.isEqualTo("{\"text\":\"hi\"}");
		}
		assertThat(this.onTheChannel).isEmpty();
	}

	@Test
	void aDeliveryTheSessionsRefuseTakesTheChannelAsSpringsBrokerSendsIt() {
		subscribe("s1", "a", "/topic/rooms/x");
		subscribe("s2", "b", "/topic/rooms/x");
		this.sessions.refuse = "s2"::equals;
		this.broker.handleMessage(broadcast("/topic/rooms/x", "{}"));
		assertThat(this.sessions.written).extracting((frame) -> frame.session).containsExactly("s1");
		assertThat(this.onTheChannel).singleElement().satisfies((message) -> {
			SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.wrap(message);
			assertThat(headers.getMessageType()).isEqualTo(SimpMessageType.MESSAGE);
			assertThat(headers.getSessionId()).isEqualTo("s2");
			assertThat(headers.getSubscriptionId()).isEqualTo("b");
			assertThat(headers.getDestination()).isEqualTo("/topic/rooms/x");
			assertThat(headers.getFirstNativeHeader("seq")).isEqualTo("7");
			assertThat(message.getPayload()).isEqualTo("{}".getBytes(StandardCharsets.UTF_8));
		});
	}

	@Test
	void withoutARoundEveryDeliveryTakesTheChannel() {
		subscribe("s1", "a", "/topic/rooms/x");
		subscribe("s2", "a", "/topic/rooms/x");
		this.sessions.noRound = true;
		this.broker.handleMessage(broadcast("/topic/rooms/x", "{}"));
		assertThat(this.onTheChannel)
			.extracting((message) -> SimpMessageHeaderAccessor.getSessionId(message.getHeaders()))
			.containsExactlyInAnyOrder("s1", "s2");
		assertThat(this.sessions.written).isEmpty();
	}

	@Test
	void binaryContentTakesTheChannel() {
		subscribe("s1", "a", "/topic/rooms/x");
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination("/topic/rooms/x");
		headers.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
		this.broker.handleMessage(MessageBuilder.createMessage(new byte[] { 1, 2 }, headers.getMessageHeaders()));
		assertThat(this.onTheChannel).hasSize(1);
		assertThat(this.sessions.written).isEmpty();
	}

	/**
	 * The canary: Spring's broker still sends every subscriber a message of its own
	 * through the outbound channel. When this fails, Spring changed how it fans out: see
	 * whether {@link FanOutBroker} is still needed.
	 */
	@Test
	void springsBrokerStillSendsAMessagePerSubscriberThroughTheChannel() {
		ExecutorSubscribableChannel channel = new ExecutorSubscribableChannel();
		List<Message<?>> sent = new ArrayList<>();
		channel.subscribe(sent::add);
		SimpleBrokerMessageHandler spring = springsBroker(channel);
		spring.start();
		try {
			for (String session : List.of("s1", "s2", "s3")) {
				spring.handleMessage(connect(session));
				spring.handleMessage(subscription(session, "a", "/topic/rooms/x"));
			}
			sent.clear();
			spring.handleMessage(broadcast("/topic/rooms/x", "{}"));
			assertThat(sent).extracting((message) -> SimpMessageHeaderAccessor.getSessionId(message.getHeaders()))
				.containsExactlyInAnyOrder("s1", "s2", "s3");
		}
		finally {
			spring.stop();
		}
	}

	/**
	 * The canary for the copy {@link FanOutBroker} makes of Spring's broker: these are
	 * all the settings Spring's broker has. When this fails, Spring added or removed one:
	 * copy it in {@code FanOutBroker}'s constructor, then add it here.
	 */
	@Test
	void springsBrokerHasNoSettingTheCopyLeavesOut() {
		Set<String> setters = new TreeSet<>();
		for (Class<?> type : List.of(SimpleBrokerMessageHandler.class, AbstractBrokerMessageHandler.class)) {
			Arrays.stream(type.getDeclaredMethods())
				.filter((method) -> Modifier.isPublic(method.getModifiers()) && method.getName().startsWith("set"))
				.map(Method::getName)
				.forEach(setters::add);
		}
		// Copied, bar the three that only Spring's own registry reads (Parley's registry
		// is exact: no path matcher, cache or selectors).
		assertThat(setters).containsExactly("setApplicationEventPublisher", "setAutoStartup", "setCacheLimit",
				"setHeaderInitializer", "setHeartbeatValue", "setPathMatcher", "setPhase", "setPreservePublishOrder",
				"setSelectorHeaderName", "setSubscriptionRegistry", "setTaskScheduler", "setUserDestinationPredicate");
	}

	private static SimpleBrokerMessageHandler springsBroker(ExecutorSubscribableChannel outbound) {
		return new SimpleBrokerMessageHandler(new ExecutorSubscribableChannel(), outbound,
				new ExecutorSubscribableChannel(), List.of("/topic", "/queue"));
	}

	private void subscribe(String session, String id, String destination) {
		this.broker.handleMessage(connect(session));
		this.broker.handleMessage(subscription(session, id, destination));
	}

	/** Spring's broker delivers only to sessions it saw connect. */
	private static Message<byte[]> connect(String session) {
		SimpMessageHeaderAccessor connect = SimpMessageHeaderAccessor.create(SimpMessageType.CONNECT);
		connect.setSessionId(session);
		return MessageBuilder.createMessage(new byte[0], connect.getMessageHeaders());
	}

	private static Message<byte[]> subscription(String session, String id, String destination) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
		accessor.setSessionId(session);
		accessor.setSubscriptionId(id);
		accessor.setDestination(destination);
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

	private static Message<byte[]> broadcast(String destination, String json) {
		SimpMessageHeaderAccessor headers = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		headers.setDestination(destination);
		headers.setContentType(MimeTypeUtils.APPLICATION_JSON);
		headers.setNativeHeader("seq", "7");
		return MessageBuilder.createMessage(json.getBytes(StandardCharsets.UTF_8), headers.getMessageHeaders());
	}

	private record Written(String session, String subscription, Message<?> decoded) {
	}

	/** The sessions' side of the fan-out, as {@code Outboxes.Handler} is. */
	private static final class Sessions implements FanOutBroker.Deliveries {

		private final MessageFrames frames = new MessageFrames();

		final List<Written> written = new ArrayList<>();

		Predicate<String> refuse = (session) -> false;

		boolean noRound;

		@Override
		public FanOutBroker.Deliveries.@Nullable Round round() {
			if (this.noRound) {
				return null;
			}
			return new FanOutBroker.Deliveries.Round() {

				@Override
				public boolean deliver(String sessionId, String subscriptionId, MessageFrames.Broadcast broadcast) {
					if (Sessions.this.refuse.test(sessionId)) {
						return false;
					}
					byte[] frame = Sessions.this.frames.frame(broadcast, sessionId, subscriptionId);
					Message<byte[]> decoded = new StompDecoder().decode(ByteBuffer.wrap(frame)).get(0);
					Sessions.this.written.add(new Written(sessionId, subscriptionId, decoded));
					return true;
				}

			};
		}

	}

}
