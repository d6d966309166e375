package dev.parley.messaging;

import org.jspecify.annotations.Nullable;

/**
 * The one place where Parley's destinations become RabbitMQ's and back, on the relay's
 * connections to RabbitMQ's STOMP plugin. Clients and the rest of Parley see only the
 * contract's forms.
 * <ul>
 * <li>{@code /topic/<name>}: RabbitMQ publishes to its {@code amq.topic} exchange with
 * {@code <name>} as routing key, but refuses a name with a slash
 * ({@code /topic/chat/lobby} is an ERROR, "Invalid destination", and a closed
 * connection); a slash is written {@code %2F}, which RabbitMQ decodes in the routing key
 * ({@code chat/lobby}) and writes back in the {@code destination} of the messages it
 * delivers.</li>
 * <li>{@code /queue/<name>} (only Spring's resolved user queues,
 * {@code /queue/private-user<session>}): RabbitMQ's own {@code /queue/<name>} declares a
 * durable shared queue, on {@code SUBSCRIBE} and on {@code SEND} alike, that outlives the
 * session, and shares its messages among the subscriptions to it. Parley's (Spring's
 * simple broker's) {@code /queue} is publish and subscribe like {@code /topic}, so it
 * goes to the {@code amq.direct} exchange instead: each subscription gets a queue of its
 * own, bound to the name, and a message for a session that has gone is dropped, not
 * kept.</li>
 * </ul>
 */
final class RabbitDestinations {

	static final String TOPIC = "/topic/";

	static final String QUEUE = "/queue/";

	static final String DIRECT_EXCHANGE = "/exchange/amq.direct/";

	private static final String SLASH = "%2F";

	private RabbitDestinations() {
	}

	/** Parley's destination as RabbitMQ takes it. */
	static @Nullable String toBroker(@Nullable String destination) {
		if (destination == null) {
			return null;
		}
		if (destination.startsWith(TOPIC)) {
			return TOPIC + escape(destination.substring(TOPIC.length()));
		}
		if (destination.startsWith(QUEUE)) {
			return DIRECT_EXCHANGE + escape(destination.substring(QUEUE.length()));
		}
		return destination;
	}

	/** The destination RabbitMQ gives a message it delivers, as Parley names it. */
	static @Nullable String fromBroker(@Nullable String destination) {
		if (destination == null) {
			return null;
		}
		if (destination.startsWith(TOPIC)) {
			return TOPIC + unescape(destination.substring(TOPIC.length()));
		}
		if (destination.startsWith(DIRECT_EXCHANGE)) {
			return QUEUE + unescape(destination.substring(DIRECT_EXCHANGE.length()));
		}
		return destination;
	}

	private static String escape(String name) {
		return name.replace("/", SLASH);
	}

	private static String unescape(String name) {
		return name.replace(SLASH, "/");
	}

}
