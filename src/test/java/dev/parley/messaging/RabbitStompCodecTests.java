package dev.parley.messaging;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The frames on the relay's connections to RabbitMQ: RabbitMQ's destination forms on the
 * wire, Parley's everywhere else.
 */
class RabbitStompCodecTests {

	private final RelaySessions sessions = new RelaySessions();

	private final RabbitStompCodec codec = new RabbitStompCodec(this.sessions);

	@Test
	void destinationsInRabbitMqsForms() {
		assertThat(RabbitDestinations.toBroker("/topic/chat/lobby")).isEqualTo("/topic/chat%2Flobby");
		assertThat(RabbitDestinations.toBroker("/topic/chat/lobby/users")).isEqualTo("/topic/chat%2Flobby%2Fusers");
		assertThat(RabbitDestinations.toBroker("/topic/presence")).isEqualTo("/topic/presence");
		assertThat(RabbitDestinations.toBroker("/queue/private-user1a2b"))
			.isEqualTo("/exchange/amq.direct/private-user1a2b");
		assertThat(RabbitDestinations.toBroker("/app/chat.send")).isEqualTo("/app/chat.send");
		for (String destination : List.of("/topic/chat/lobby", "/topic/chat/lobby/typing", "/topic/user-registry",
				"/queue/errors-userxyz", "/topic/unresolved-user-destination")) {
			assertThat(RabbitDestinations.fromBroker(RabbitDestinations.toBroker(destination))).isEqualTo(destination);
		}
	}

	@Test
	void aSubscribeAsksForAQueueOfItsOwnConnection() {
		StompHeaderAccessor subscribe = StompHeaderAccessor.create(StompCommand.SUBSCRIBE);
		subscribe.setDestination("/topic/chat/lobby");
		subscribe.setSubscriptionId("s-1");

		String frame = encode(MessageBuilder.createMessage(new byte[0], subscribe.getMessageHeaders()));

		assertThat(frame).startsWith("SUBSCRIBE\n")
			.contains("\ndestination:/topic/chat%2Flobby\n")
			.contains("\nid:s-1\n")
			.contains("\nexclusive:true\n");
	}

	@Test
	void whatTheApplicationPublishesGoesToRabbitMqsDestinations() {
		SimpMessageHeaderAccessor message = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		message.setDestination("/queue/private-user1a2b");
		StompHeaderAccessor send = StompHeaderAccessor
			.wrap(MessageBuilder.createMessage(new byte[0], message.getMessageHeaders()));
		send.updateStompCommandAsClientMessage();
		send.setNativeHeader("seq", "7");

		String frame = encode(
				MessageBuilder.createMessage("{}".getBytes(StandardCharsets.UTF_8), send.getMessageHeaders()));

		assertThat(frame).startsWith("SEND\n")
			.contains("\ndestination:/exchange/amq.direct/private-user1a2b\n")
			.contains("\nseq:7\n")
			.doesNotContain("exclusive");
	}

	@Test
	void aMessageFromRabbitMqCarriesParleysDestination() {
		List<Message<byte[]>> decoded = decode("MESSAGE\nsubscription:s-1\ndestination:/topic/chat%2Flobby\n"
				+ "message-id:T_s-1@@session-x@@1\nseq:3\n\n{}\0" + "MESSAGE\nsubscription:s-2\n"
				+ "destination:/exchange/amq.direct/errors-user1a2b\nmessage-id:T_s-2@@session-x@@2\n\n{}\0");

		assertThat(decoded).extracting((message) -> SimpMessageHeaderAccessor.getDestination(message.getHeaders()))
			.containsExactly("/topic/chat/lobby", "/queue/errors-user1a2b");
		assertThat(StompHeaderAccessor.wrap(decoded.get(0)).getFirstNativeHeader("destination"))
			.isEqualTo("/topic/chat/lobby");
	}

	@Test
	void rabbitMqsReceiptsForParleysIdsGoNoFurther() {
		String parleys = this.sessions.expectReceipt("s1", new java.util.concurrent.CompletableFuture<>());

		List<Message<byte[]>> decoded = decode(
				"RECEIPT\nreceipt-id:" + parleys + "\n\n\0" + "RECEIPT\nreceipt-id:client-7\n\n\0");

		assertThat(decoded).singleElement()
			.satisfies((receipt) -> assertThat(StompHeaderAccessor.wrap(receipt).getReceiptId()).isEqualTo("client-7"));
	}

	@Test
	void rabbitMqsNameAndSessionAreNotPassedOn() {
		List<Message<byte[]>> decoded = decode(
				"CONNECTED\nserver:RabbitMQ/3.10.8\nsession:session-x\nheart-beat:10000,10000\nversion:1.2\n\n\0");

		assertThat(StompHeaderAccessor.wrap(decoded.get(0)).toNativeHeaderMap()).containsOnlyKeys("heart-beat",
				"version");
	}

	private String encode(Message<byte[]> message) {
		ByteBuffer buffer = this.codec.encodeInternal(message);
		byte[] bytes = new byte[buffer.remaining()];
		buffer.get(bytes);
		return new String(bytes, StandardCharsets.UTF_8);
	}

	private List<Message<byte[]>> decode(String frames) {
		return this.codec.decodeInternal(ByteBuffer.wrap(frames.getBytes(StandardCharsets.UTF_8)));
	}

}
