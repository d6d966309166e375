package dev.parley.messaging;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.SimpleBrokerMessageHandler;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

/**
 * The subscriptions this node's sessions hold at the broker, exactly as the broker
 * delivers to them: with the simple broker, its own registry; with the relay, the
 * subscriptions RabbitMQ confirmed, as Parley keeps them (RabbitMQ cannot be asked, and
 * Spring's user registry is told of a {@code SUBSCRIBE} before it is authorized).
 */
@Component
public class BrokerSubscriptions {

	private final ObjectProvider<SimpleBrokerMessageHandler> simpleBroker;

	private final ObjectProvider<RelayBroker> relay;

	/** The brokers are Spring's own beans, created after this: looked up when asked. */
	BrokerSubscriptions(ObjectProvider<SimpleBrokerMessageHandler> simpleBroker, ObjectProvider<RelayBroker> relay) {
		this.simpleBroker = simpleBroker;
		this.relay = relay;
	}

	/**
	 * @return session id to subscription ids, of this node's sessions subscribed to
	 * exactly this destination
	 */
	public MultiValueMap<String, String> find(String destination) {
		RelayBroker relay = this.relay.getIfAvailable();
		if (relay != null) {
			return relay.subscribers(destination);
		}
		SimpleBrokerMessageHandler broker = this.simpleBroker.getIfAvailable();
		if (broker == null) {
			return new LinkedMultiValueMap<>();
		}
		SimpMessageHeaderAccessor probe = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		probe.setDestination(destination);
		return broker.getSubscriptionRegistry()
			.findSubscriptions(MessageBuilder.createMessage(new byte[0], probe.getMessageHeaders()));
	}

}
