package dev.parley.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.util.MimeTypeUtils;

import static org.assertj.core.api.Assertions.assertThat;

class MessageFramesTests {

	private final MessageFrames frames = new MessageFrames();

	@Test
	void aDeliveryIsTheFrameSpringWouldWriteBarTheOrderOfItsHeaders() {
		byte[] payload = "{\"text\":\"héllo\\nworld\"}".getBytes(StandardCharsets.UTF_8);
		Message<byte[]> delivery = delivery(payload, "/topic/rooms/general", "s-1", "sub-0",
				Map.of("seq", "42", "odd:name", "a\\b\nc\rd:e"));
		Message<byte[]> ours = decode(this.frames.encode(delivery));
		Message<byte[]> springs = decode(springEncode(delivery));
		StompHeaderAccessor our = StompHeaderAccessor.wrap(ours);
		StompHeaderAccessor spring = StompHeaderAccessor.wrap(springs);
		assertThat(our.getCommand()).isEqualTo(StompCommand.MESSAGE);
		assertThat(ours.getPayload()).isEqualTo(payload).isEqualTo(springs.getPayload());
		Map<String, List<String>> ourHeaders = our.toNativeHeaderMap();
		Map<String, List<String>> springHeaders = spring.toNativeHeaderMap();
		assertThat(ourHeaders.get("message-id")).singleElement().asString().matches("s-1-\\d+");
		ourHeaders.remove("message-id");
		springHeaders.remove("message-id");
		assertThat(ourHeaders).isEqualTo(springHeaders);
		assertThat(ourHeaders).containsEntry("odd:name", List.of("a\\b\nc\rd:e"))
			.containsEntry("subscription", List.of("sub-0"))
			.containsEntry("destination", List.of("/topic/rooms/general"))
			.containsEntry("content-type", List.of("application/json"));
	}

	@Test
	void eachSubscriberOfABroadcastGetsItsOwnSubscriptionAndMessageId() {
		byte[] payload = "{}".getBytes(StandardCharsets.UTF_8);
		Map<String, String> headers = Map.of("seq", "1");
		StompHeaderAccessor first = StompHeaderAccessor
			.wrap(decode(this.frames.encode(delivery(payload, "/topic/a", "s-1", "x", headers))));
		StompHeaderAccessor second = StompHeaderAccessor
			.wrap(decode(this.frames.encode(delivery(payload, "/topic/a", "s-2", "y", headers))));
		assertThat(first.getSubscriptionId()).isEqualTo("x");
		assertThat(second.getSubscriptionId()).isEqualTo("y");
		assertThat(first.getMessageId()).startsWith("s-1-").isNotEqualTo(second.getMessageId());
		assertThat(second.getMessageId()).startsWith("s-2-");
		// The same payload to another destination, and new headers, are not taken from
		// the broadcast before.
		StompHeaderAccessor other = StompHeaderAccessor
			.wrap(decode(this.frames.encode(delivery(payload, "/topic/b", "s-1", "x", Map.of("seq", "2")))));
		assertThat(other.getDestination()).isEqualTo("/topic/b");
		assertThat(other.getFirstNativeHeader("seq")).isEqualTo("2");
	}

	@Test
	void aUserDestinationIsDeliveredUnderTheNameTheUserSubscribedTo() {
		SimpMessageHeaderAccessor accessor = brokerHeaders("/queue/errors-user1", "s-1", "sub-1",
				Map.of(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION, "/user/queue/errors"));
		Message<byte[]> delivery = MessageBuilder.createMessage(new byte[] { '{', '}' }, accessor.getMessageHeaders());
		StompHeaderAccessor frame = StompHeaderAccessor.wrap(decode(this.frames.encode(delivery)));
		assertThat(frame.getDestination()).isEqualTo("/user/queue/errors");
		assertThat(frame.toNativeHeaderMap()).doesNotContainKey(SimpMessageHeaderAccessor.ORIGINAL_DESTINATION);
	}

	@Test
	void whatIsNotAPlainBrokerDeliveryTakesSpringsPath() {
		StompHeaderAccessor relayed = StompHeaderAccessor.create(StompCommand.MESSAGE);
		relayed.setSessionId("s-1");
		relayed.setSubscriptionId("x");
		relayed.setDestination("/topic/a");
		relayed.setLeaveMutable(true);
		assertThat(this.frames.encode(MessageBuilder.createMessage(new byte[1], relayed.getMessageHeaders()))).isNull();
		SimpMessageHeaderAccessor binary = brokerHeaders("/topic/a", "s-1", "x", Map.of());
		binary.setContentType(MimeTypeUtils.APPLICATION_OCTET_STREAM);
		assertThat(this.frames.encode(MessageBuilder.createMessage(new byte[1], binary.getMessageHeaders()))).isNull();
		SimpMessageHeaderAccessor receipt = SimpMessageHeaderAccessor.create(SimpMessageType.OTHER);
		receipt.setSessionId("s-1");
		assertThat(this.frames.encode(MessageBuilder.createMessage(new byte[0], receipt.getMessageHeaders()))).isNull();
	}

	/** A delivery as Spring's simple broker makes it for one subscriber. */
	private static Message<byte[]> delivery(byte[] payload, String destination, String session, String subscription,
			Map<String, String> nativeHeaders) {
		SimpMessageHeaderAccessor published = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		published.setDestination(destination);
		published.setContentType(MimeTypeUtils.APPLICATION_JSON);
		nativeHeaders.forEach(published::setNativeHeader);
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		accessor.setSessionId(session);
		accessor.setSubscriptionId(subscription);
		accessor.copyHeadersIfAbsent(published.getMessageHeaders());
		accessor.setLeaveMutable(true);
		return MessageBuilder.createMessage(payload, accessor.getMessageHeaders());
	}

	private static SimpMessageHeaderAccessor brokerHeaders(String destination, String session, String subscription,
			Map<String, String> nativeHeaders) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		accessor.setDestination(destination);
		accessor.setSessionId(session);
		accessor.setSubscriptionId(subscription);
		nativeHeaders.forEach(accessor::setNativeHeader);
		accessor.setLeaveMutable(true);
		return accessor;
	}

	/** What Spring's STOMP handler writes for the delivery. */
	private static byte[] springEncode(Message<byte[]> delivery) {
		StompHeaderAccessor accessor = StompHeaderAccessor.wrap(delivery);
		accessor.updateStompCommandAsServerMessage();
		return new StompEncoder().encode(accessor.getMessageHeaders(), delivery.getPayload());
	}

	private static Message<byte[]> decode(byte[] frame) {
		assertThat(frame).isNotNull();
		List<Message<byte[]>> messages = new StompDecoder().decode(ByteBuffer.wrap(frame));
		assertThat(messages).hasSize(1);
		Message<byte[]> message = messages.get(0);
		assertThat(MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class)).isNotNull();
		return message;
	}

}
