package dev.parley.messaging;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompDecoder;
import org.springframework.messaging.simp.stomp.StompEncoder;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.simp.stomp.StompReactorNettyCodec;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;

/**
 * The STOMP codec of the relay's connections to RabbitMQ: frames as Spring's codec writes
 * and reads them, with RabbitMQ's forms of the destinations on the wire
 * ({@link RabbitDestinations}), every queue a {@code SUBSCRIBE} makes RabbitMQ declare
 * exclusive to the connection that asked (so it goes with that connection, and RabbitMQ's
 * deprecated transient shared queues are never made), and RabbitMQ's receipts for
 * Parley's own receipt ids taken out ({@link RelaySessions}). RabbitMQ's name and version
 * ({@code server}) and its session id are not passed on to clients in its
 * {@code CONNECTED}.
 */
class RabbitStompCodec extends StompReactorNettyCodec {

	static final String EXCLUSIVE = "exclusive";

	private final RelaySessions sessions;

	private final StompEncoder encoder;

	RabbitStompCodec(RelaySessions sessions) {
		this(sessions, new StompEncoder());
	}

	private RabbitStompCodec(RelaySessions sessions, StompEncoder encoder) {
		super(new StompDecoder(), encoder);
		this.sessions = sessions;
		this.encoder = encoder;
	}

	@Override
	protected ByteBuffer encodeInternal(Message<byte[]> message) {
		return ByteBuffer.wrap(this.encoder.encode(toBroker(message.getHeaders()), message.getPayload()));
	}

	@Override
	protected List<Message<byte[]>> decodeInternal(ByteBuffer nioBuffer) {
		List<Message<byte[]>> decoded = super.decodeInternal(nioBuffer);
		List<Message<byte[]>> passed = new ArrayList<>(decoded.size());
		for (Message<byte[]> message : decoded) {
			if (fromBroker(message)) {
				passed.add(message);
			}
		}
		return passed;
	}

	/** A frame's headers as RabbitMQ is to read them. */
	static Map<String, Object> toBroker(Map<String, Object> headers) {
		StompCommand command = StompHeaderAccessor.getCommand(headers);
		@SuppressWarnings("unchecked")
		Map<String, List<String>> nativeHeaders = (Map<String, List<String>>) headers
			.get(NativeMessageHeaderAccessor.NATIVE_HEADERS);
		if (command == null || nativeHeaders == null) {
			return headers;
		}
		List<String> destination = nativeHeaders.get(StompHeaderAccessor.STOMP_DESTINATION_HEADER);
		boolean subscribe = command == StompCommand.SUBSCRIBE;
		if ((destination == null || destination.isEmpty()) && !subscribe) {
			return headers;
		}
		Map<String, List<String>> rewritten = new LinkedHashMap<>(nativeHeaders);
		if (destination != null && !destination.isEmpty()) {
			String translated = RabbitDestinations.toBroker(destination.get(0));
			if (translated != null) {
				rewritten.put(StompHeaderAccessor.STOMP_DESTINATION_HEADER, List.of(translated));
			}
		}
		if (subscribe) {
			rewritten.put(EXCLUSIVE, List.of("true"));
		}
		Map<String, Object> copy = new HashMap<>(headers);
		copy.put(NativeMessageHeaderAccessor.NATIVE_HEADERS, rewritten);
		return copy;
	}

	/**
	 * Puts a frame from RabbitMQ in Parley's terms.
	 * @return false for a frame that goes no further
	 */
	boolean fromBroker(Message<byte[]> message) {
		StompHeaderAccessor accessor = MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class);
		StompCommand command = (accessor != null) ? accessor.getCommand() : null;
		if (accessor == null || command == null || !accessor.isMutable()) {
			return true;
		}
		switch (command) {
			case MESSAGE -> {
				String destination = accessor.getDestination();
				String translated = RabbitDestinations.fromBroker(destination);
				if (translated != null && !translated.equals(destination)) {
					accessor.setDestination(translated);
				}
			}
			case RECEIPT -> {
				String receiptId = accessor.getReceiptId();
				if (receiptId != null && this.sessions.received(receiptId)) {
					return false;
				}
			}
			case CONNECTED -> {
				accessor.removeNativeHeader("server");
				accessor.removeNativeHeader("session");
			}
			default -> {
			}
		}
		return true;
	}

}
