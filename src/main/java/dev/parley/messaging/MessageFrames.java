package dev.parley.messaging;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

import org.jspecify.annotations.Nullable;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageHeaders;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.stomp.StompCommand;
import org.springframework.messaging.simp.stomp.StompHeaderAccessor;
import org.springframework.messaging.support.MessageHeaderAccessor;
import org.springframework.messaging.support.NativeMessageHeaderAccessor;
import org.springframework.util.MimeType;
import org.springframework.util.MimeTypeUtils;
import org.springframework.web.socket.WebSocketMessage;

/**
 * Encodes the in-memory broker's deliveries as STOMP {@code MESSAGE} frames, once per
 * broadcast rather than once per subscriber.
 * <p>
 * The broker hands each subscriber of a destination its own message: the same payload and
 * headers, with only the session and the subscription differing. Spring's
 * {@code StompSubProtocolHandler} wraps each in a {@code StompHeaderAccessor} (a copy of
 * every header), encodes the whole frame, and turns the bytes into a {@code String} that
 * the container encodes to UTF-8 again. Here the part every subscriber shares
 * (destination, content type, the other headers, content length and body) is encoded once
 * ({@link Broadcast}): by {@link FanOutBroker} before it goes through the subscribers,
 * or, for deliveries that still come one message each, for the first and kept while the
 * deliveries of the same broadcast follow on the same thread. Each subscriber's frame is
 * then {@code subscription} and {@code message-id} before a copy of those bytes, and it
 * goes to the socket as bytes ({@link Encoded}). Written by hand because Spring encodes a
 * frame only whole, from a header map, per delivery.
 * <p>
 * The frame is the one Spring writes, bar the order of its headers (which STOMP leaves
 * free): the same headers, escaped the same way, {@code message-id} of the form
 * {@code <session>-<n>}. Deliveries that are anything else (relayed frames, binary
 * content, a message that carries its own {@code subscription} or {@code message-id})
 * return null and take Spring's path.
 */
final class MessageFrames {

	private static final byte[] SUBSCRIPTION = "MESSAGE\nsubscription:".getBytes(StandardCharsets.UTF_8);

	private static final byte[] MESSAGE_ID = "\nmessage-id:".getBytes(StandardCharsets.UTF_8);

	private static final String ORIGINAL_DESTINATION = SimpMessageHeaderAccessor.ORIGINAL_DESTINATION;

	/** Native headers that the frame sets itself. */
	private static final Set<String> OWN_HEADERS = Set.of(StompHeaderAccessor.STOMP_DESTINATION_HEADER,
			StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER, StompHeaderAccessor.STOMP_CONTENT_LENGTH_HEADER,
			ORIGINAL_DESTINATION);

	private final AtomicLong messageIds = new AtomicLong();

	/** The shared part of the broadcast this thread encoded last. */
	private final ThreadLocal<@Nullable Broadcast> last = new ThreadLocal<>();

	/**
	 * The frame for one of the broker's deliveries (a message Spring's broker made for
	 * one subscriber), or null when Spring's path must encode it.
	 */
	byte @Nullable [] encode(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		if (MessageHeaderAccessor.getAccessor(message, StompHeaderAccessor.class) != null) {
			return null;
		}
		String session = SimpMessageHeaderAccessor.getSessionId(headers);
		String subscription = SimpMessageHeaderAccessor.getSubscriptionId(headers);
		if (session == null || subscription == null) {
			return null;
		}
		Broadcast last = this.last.get();
		if (last == null || !last.isFor(message)) {
			last = broadcast(message);
			if (last == null) {
				return null;
			}
			this.last.set(last);
		}
		return frame(last, session, subscription);
	}

	/**
	 * What every subscriber's frame of a broadcast shares, encoded once, or null when the
	 * message must take Spring's path (see the class description).
	 */
	static @Nullable Broadcast broadcast(Message<?> message) {
		MessageHeaders headers = message.getHeaders();
		if (!(message.getPayload() instanceof byte[] payload)
				|| headers.get(SimpMessageHeaderAccessor.MESSAGE_TYPE_HEADER) != SimpMessageType.MESSAGE) {
			return null;
		}
		if (!isBroadcast(StompHeaderAccessor.getCommand(headers))) {
			return null;
		}
		String destination = SimpMessageHeaderAccessor.getDestination(headers);
		if (destination == null) {
			return null;
		}
		@SuppressWarnings("unchecked")
		Map<String, List<String>> natives = (Map<String, List<String>>) headers
			.get(NativeMessageHeaderAccessor.NATIVE_HEADERS);
		if (natives != null && (natives.containsKey(StompHeaderAccessor.STOMP_SUBSCRIPTION_HEADER)
				|| natives.containsKey(StompHeaderAccessor.STOMP_MESSAGE_ID_HEADER))) {
			return null;
		}
		Object type = headers.get(MessageHeaders.CONTENT_TYPE);
		MimeType contentType = (type instanceof MimeType mime) ? mime
				: (type instanceof String text) ? MimeTypeUtils.parseMimeType(text) : null;
		if (contentType != null && payload.length > 0
				&& MimeTypeUtils.APPLICATION_OCTET_STREAM.isCompatibleWith(contentType)) {
			// Spring sends these as binary WebSocket messages.
			return null;
		}
		return new Broadcast(payload, destination, contentType, natives);
	}

	/** Whether the STOMP command of a message is one the broker broadcasts. */
	private static boolean isBroadcast(@Nullable StompCommand command) {
		return command == null || command == StompCommand.SEND || command == StompCommand.MESSAGE;
	}

	/** One subscriber's frame of a broadcast. */
	byte[] frame(Broadcast broadcast, String session, String subscription) {
		byte[] subscriptionBytes = escaped(subscription);
		byte[] messageId = escaped(session + '-' + this.messageIds.getAndIncrement());
		byte[] frame = new byte[SUBSCRIPTION.length + subscriptionBytes.length + MESSAGE_ID.length + messageId.length
				+ broadcast.bytes.length];
		int at = put(SUBSCRIPTION, frame, 0);
		at = put(subscriptionBytes, frame, at);
		at = put(MESSAGE_ID, frame, at);
		at = put(messageId, frame, at);
		put(broadcast.bytes, frame, at);
		return frame;
	}

	private static int put(byte[] source, byte[] target, int at) {
		System.arraycopy(source, 0, target, at, source.length);
		return at + source.length;
	}

	/** A header name or value escaped as STOMP 1.2 requires in a {@code MESSAGE}. */
	static byte[] escaped(String text) {
		StringBuilder builder = null;
		for (int i = 0; i < text.length(); i++) {
			char c = text.charAt(i);
			String escape = switch (c) {
				case '\\' -> "\\\\";
				case ':' -> "\\c";
				case '\n' -> "\\n";
				case '\r' -> "\\r";
				default -> null;
			};
			if (escape != null && builder == null) {
				builder = new StringBuilder(text.length() + 8).append(text, 0, i);
			}
			if (builder != null) {
				if (escape != null) {
					builder.append(escape);
				}
				else {
					builder.append(c);
				}
			}
		}
		return ((builder != null) ? builder.toString() : text).getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * What every subscriber's frame of one broadcast ends with: the line ending the
	 * {@code message-id} header, the other headers, the blank line and the body.
	 */
	static final class Broadcast {

		private final byte[] payload;

		private final String destination;

		private final @Nullable MimeType contentType;

		private final @Nullable Map<String, List<String>> natives;

		final byte[] bytes;

		Broadcast(byte[] payload, String destination, @Nullable MimeType contentType,
				@Nullable Map<String, List<String>> natives) {
			this.payload = payload;
			this.destination = destination;
			this.contentType = contentType;
			this.natives = (natives != null) ? new LinkedHashMap<>(natives) : null;
			this.bytes = encode();
		}

		/**
		 * Whether a delivery of Spring's broker is of this broadcast: the same payload
		 * and the headers the frame is made of. A per-delivery check, on the same thread
		 * as the broadcast's first delivery, mostly of identical objects.
		 */
		boolean isFor(Message<?> delivery) {
			MessageHeaders headers = delivery.getHeaders();
			Object type = headers.get(MessageHeaders.CONTENT_TYPE);
			MimeType contentType = (type instanceof MimeType mime) ? mime
					: (type instanceof String text) ? MimeTypeUtils.parseMimeType(text) : null;
			return this.payload == delivery.getPayload()
					&& this.destination.equals(SimpMessageHeaderAccessor.getDestination(headers))
					&& Objects.equals(this.contentType, contentType)
					&& Objects.equals(this.natives, headers.get(NativeMessageHeaderAccessor.NATIVE_HEADERS))
					&& headers.get(SimpMessageHeaderAccessor.MESSAGE_TYPE_HEADER) == SimpMessageType.MESSAGE
					&& isBroadcast(StompHeaderAccessor.getCommand(headers));
		}

		private byte[] encode() {
			ByteArrayOutputStream out = new ByteArrayOutputStream(this.payload.length + 256);
			out.write('\n');
			String destination = this.destination;
			if (this.natives != null) {
				List<String> original = this.natives.get(ORIGINAL_DESTINATION);
				if (original != null && !original.isEmpty()) {
					destination = original.get(0);
				}
				for (Map.Entry<String, List<String>> header : this.natives.entrySet()) {
					if (OWN_HEADERS.contains(header.getKey())) {
						continue;
					}
					byte[] name = escaped(header.getKey());
					for (String value : header.getValue()) {
						line(out, name, value);
					}
				}
			}
			line(out, escaped(StompHeaderAccessor.STOMP_DESTINATION_HEADER), destination);
			if (this.contentType != null) {
				line(out, escaped(StompHeaderAccessor.STOMP_CONTENT_TYPE_HEADER), this.contentType.toString());
			}
			line(out, escaped(StompHeaderAccessor.STOMP_CONTENT_LENGTH_HEADER), Integer.toString(this.payload.length));
			out.write('\n');
			out.writeBytes(this.payload);
			out.write(0);
			return out.toByteArray();
		}

		private static void line(ByteArrayOutputStream out, byte[] name, String value) {
			out.writeBytes(name);
			out.write(':');
			out.writeBytes(escaped(value));
			out.write('\n');
		}

	}

	/**
	 * A STOMP frame encoded to UTF-8, to be sent as a text message: the {@link Outbox}
	 * writes its bytes as they are, without the {@code String} that a {@code TextMessage}
	 * would make of them.
	 */
	record Encoded(byte[] bytes) implements WebSocketMessage<byte[]> {

		@Override
		public byte[] getPayload() {
			return this.bytes;
		}

		@Override
		public int getPayloadLength() {
			return this.bytes.length;
		}

		@Override
		public boolean isLast() {
			return true;
		}

	}

}
