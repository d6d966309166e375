package dev.parley.room;

import java.security.Principal;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Lazy;
import org.springframework.context.event.EventListener;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.messaging.Message;
import org.springframework.messaging.MessageChannel;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.stereotype.Component;
import org.springframework.util.MultiValueMap;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

import dev.parley.limits.SessionLimitsInterceptor;
import dev.parley.messaging.BrokerSubscriptions;
import dev.parley.messaging.Connections;
import dev.parley.protocol.Protocol;
import dev.parley.replies.ClientErrors;
import dev.parley.replies.ErrorPayload;

/**
 * Ends the subscriptions to a room's topics ({@code /topic/chat/{room}}, {@code /users},
 * {@code /typing}) of every user who may no longer enter the room, when it was created
 * private or a member was removed: membership is checked at {@code SUBSCRIBE}, so without
 * this an early subscriber would read on.
 * <p>
 * The subscriptions are those the broker holds for this node's sessions
 * ({@link BrokerSubscriptions}: the simple broker's own registry, or in relay mode the
 * subscriptions RabbitMQ confirmed), the only ones that are exactly what the broker
 * delivers to (Spring's user registry is told of a {@code SUBSCRIBE} when it is queued,
 * before it is authorized, and misses one sent together with its {@code CONNECT}). Each
 * one no longer allowed is removed from the broker (an {@code UNSUBSCRIBE} on its
 * session's behalf), from the user registry and from the session's subscription count,
 * and the client is told on {@code /user/queue/errors} ({@code subscription-ended}). In
 * relay mode this ends the subscriptions of this node's sessions: the node where the
 * change was made.
 * <p>
 * The room module repeats the event a little later ({@code RoomService#ACCESS_RECHECKS}):
 * a {@code SUBSCRIBE} authorized just before the change may reach the broker just after a
 * pass.
 */
@Component
class RoomSubscriptionRevoker {

	private final BrokerSubscriptions broker;

	private final MessageChannel brokerChannel;

	private final Connections connections;

	private final SessionLimitsInterceptor limits;

	private final RoomDirectory rooms;

	private final ClientErrors errors;

	private final ApplicationEventPublisher events;

	/**
	 * The broker's channel is Spring's own bean, which depends on this module's
	 * interceptors: lazy.
	 */
	RoomSubscriptionRevoker(BrokerSubscriptions broker, @Lazy @Qualifier("brokerChannel") MessageChannel brokerChannel,
			Connections connections, SessionLimitsInterceptor limits, RoomDirectory rooms, ClientErrors errors,
			ApplicationEventPublisher events) {
		this.broker = broker;
		this.brokerChannel = brokerChannel;
		this.connections = connections;
		this.limits = limits;
		this.rooms = rooms;
		this.errors = errors;
		this.events = events;
	}

	/**
	 * First, so that the room's own notices of the change (a LEAVE) no longer reach those
	 * who lost access.
	 */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onAccessChanged(RoomAccessChanged event) {
		revoke(event.room());
	}

	/**
	 * @return how many subscriptions were ended
	 */
	int revoke(String room) {
		String topic = Protocol.roomTopic(room);
		Map<String, Boolean> allowed = new HashMap<>();
		int ended = 0;
		for (String destination : List.of(topic, topic + Protocol.ROOM_USERS_SUFFIX,
				topic + Protocol.ROOM_TYPING_SUFFIX)) {
			MultiValueMap<String, String> subscriptions = this.broker.find(destination);
			for (Map.Entry<String, List<String>> session : subscriptions.entrySet()) {
				Connections.Connection connection = this.connections.find(session.getKey());
				Principal user = (connection != null) ? connection.user() : null;
				if (connection == null || user == null
						|| allowed.computeIfAbsent(user.getName(), (name) -> this.rooms.mayEnter(room, name))) {
					continue;
				}
				for (String subscriptionId : session.getValue()) {
					end(connection, subscriptionId, destination, user, room);
					ended++;
				}
			}
		}
		return ended;
	}

	private void end(Connections.Connection connection, String subscriptionId, String destination, Principal user,
			String room) {
		String sessionId = connection.id();
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.UNSUBSCRIBE);
		accessor.setSessionId(sessionId);
		accessor.setSubscriptionId(subscriptionId);
		accessor.setUser(user);
		Message<byte[]> unsubscribe = MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
		this.brokerChannel.send(unsubscribe);
		this.limits.release(connection.session().getAttributes(), subscriptionId);
		// What a client's own UNSUBSCRIBE tells Spring's user registry.
		this.events.publishEvent(new SessionUnsubscribeEvent(this, unsubscribe, user));
		this.errors.report(sessionId, user.getName(),
				new ErrorPayload("subscription-ended", "Room '" + room
						+ "' is private and you are not a member: your subscription to " + destination + " ended",
						destination, null));
	}

}
