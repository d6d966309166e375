package dev.parley.support;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessagingTemplate;

/**
 * Records what a class under test publishes through a {@link SimpMessagingTemplate}, with
 * payloads as objects.
 */
public final class RecordingChannel implements MessageChannel {

	private final List<Message<?>> messages = new CopyOnWriteArrayList<>();

	public SimpMessagingTemplate template() {
		return new SimpMessagingTemplate(this);
	}

	@Override
	public boolean send(Message<?> message, long timeout) {
		this.messages.add(message);
		return true;
	}

	public List<Object> payloadsTo(String destination) {
		return this.messages.stream()
			.filter((message) -> destination.equals(SimpMessageHeaderAccessor.getDestination(message.getHeaders())))
			.map(Message::getPayload)
			.map(Object.class::cast)
			.toList();
	}

	public List<String> destinations() {
		return this.messages.stream()
			.map((message) -> SimpMessageHeaderAccessor.getDestination(message.getHeaders()))
			.toList();
	}

	public List<Message<?>> messages() {
		return List.copyOf(this.messages);
	}

	public void clear() {
		this.messages.clear();
	}

}
