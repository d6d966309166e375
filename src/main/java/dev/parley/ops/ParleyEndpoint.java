package dev.parley.ops;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.messaging.simp.user.SimpSubscription;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.stereotype.Component;

import dev.parley.messaging.BrokerProperties;
import dev.parley.messaging.Connections;
import dev.parley.protocol.Protocol;

/**
 * {@code /actuator/parley} (role {@code ADMIN}): what this node is serving now.
 */
@Component
@Endpoint(id = "parley")
class ParleyEndpoint {

	private static final String ROOM_TOPIC = Protocol.ROOM_TOPIC_PREFIX;

	private final Connections sessions;

	private final SimpUserRegistry users;

	private final MessagingMetrics metrics;

	private final String mode;

	ParleyEndpoint(Connections sessions, SimpUserRegistry users, MessagingMetrics metrics, BrokerProperties broker) {
		this.sessions = sessions;
		this.users = users;
		this.metrics = metrics;
		this.mode = broker.mode().name().toLowerCase(Locale.ROOT);
	}

	/**
	 * Sessions by transport, users connected, rooms with their subscriber counts, and the
	 * broker. Users and rooms are read from Spring's user registry: in relay mode it
	 * holds the other nodes' users too, as they last sent them.
	 */
	record Status(Map<String, Integer> sessions, int users, Map<String, Integer> rooms, Broker broker) {
	}

	record Broker(String mode, boolean available) {
	}

	@ReadOperation
	Status status() {
		Map<String, Integer> rooms = new TreeMap<>();
		for (SimpSubscription subscription : this.users.findSubscriptions(ParleyEndpoint::isRoomTopic)) {
			rooms.merge(subscription.getDestination().substring(ROOM_TOPIC.length()), 1, Integer::sum);
		}
		Map<String, Integer> sessions = new TreeMap<>();
		sessions.put("total", this.sessions.count());
		sessions.put("websocket", this.sessions.count("websocket"));
		sessions.put("sockjs", this.sessions.count("sockjs"));
		return new Status(sessions, this.users.getUserCount(), rooms,
				new Broker(this.mode, this.metrics.isBrokerAvailable()));
	}

	private static boolean isRoomTopic(SimpSubscription subscription) {
		String destination = subscription.getDestination();
		return destination.startsWith(ROOM_TOPIC) && destination.indexOf('/', ROOM_TOPIC.length()) < 0;
	}

}
