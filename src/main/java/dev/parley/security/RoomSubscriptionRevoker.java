package dev.parley.security;

import java.security.Principal;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;

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
import org.springframework.messaging.simp.user.SimpSubscription;
import org.springframework.messaging.simp.user.SimpUserRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.scheduling.TaskScheduler;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.messaging.SessionConnectEvent;
import org.springframework.web.socket.messaging.SessionUnsubscribeEvent;

import dev.parley.messaging.ClientErrors;
import dev.parley.messaging.ErrorPayload;
import dev.parley.room.RoomAccessChanged;
import dev.parley.room.RoomDirectory;

/**
 * Ends the subscriptions to a room's topics ({@code /topic/chat/{room}}, {@code /users}, {@code /typing}) of every
 * user who may no longer enter the room, when it was created private or a member was removed: membership is
 * checked at {@code SUBSCRIBE}, so without this an early subscriber would read on. Each such subscription is
 * removed from the broker (an {@code UNSUBSCRIBE} on its own session's behalf), from the user registry and from the
 * session's subscription count, and the client is told on {@code /user/queue/errors} ({@code subscription-ended}).
 * <p>
 * A {@code SUBSCRIBE} authorized just before the change may reach the broker just after this pass; a second pass a
 * little later, far longer than a frame waits in the inbound queue, catches it.
 */
@Component
class RoomSubscriptionRevoker {

	/** How long after the change the second pass runs. */
	static final Duration SECOND_PASS = Duration.ofSeconds(2);

	private final SimpUserRegistry users;

	private final MessageChannel brokerChannel;

	private final RoomDirectory rooms;

	private final ClientErrors errors;

	private final ApplicationEventPublisher events;

	private final TaskScheduler scheduler;

	/**
	 * Each open session's attributes, which hold its subscription count. Weak values: an entry goes with its
	 * session, whatever the order in which its events arrive.
	 */
	private final Cache<String, Map<String, Object>> sessionAttributes = Caffeine.newBuilder().weakValues().build();

	/** Spring's own messaging beans, which depend on the interceptors of this module, hence lazy. */
	RoomSubscriptionRevoker(SimpUserRegistry users, @Lazy @Qualifier("brokerChannel") MessageChannel brokerChannel,
			RoomDirectory rooms, ClientErrors errors, ApplicationEventPublisher events,
			@Lazy @Qualifier("messageBrokerTaskScheduler") TaskScheduler scheduler) {
		this.users = users;
		this.brokerChannel = brokerChannel;
		this.rooms = rooms;
		this.errors = errors;
		this.events = events;
		this.scheduler = scheduler;
	}

	@EventListener
	void onConnect(SessionConnectEvent event) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.wrap(event.getMessage());
		Map<String, Object> attributes = accessor.getSessionAttributes();
		if (accessor.getSessionId() != null && attributes != null) {
			this.sessionAttributes.put(accessor.getSessionId(), attributes);
		}
	}

	/** First, so that the room's own notices of the change (a LEAVE) no longer reach those who lost access. */
	@EventListener
	@Order(Ordered.HIGHEST_PRECEDENCE)
	void onAccessChanged(RoomAccessChanged event) {
		revoke(event.room());
		this.scheduler.schedule(() -> revoke(event.room()), Instant.now().plus(SECOND_PASS));
	}

	/** @return how many subscriptions were ended */
	int revoke(String room) {
		String topic = "/topic/chat/" + room;
		Set<String> topics = Set.of(topic, topic + "/users", topic + "/typing");
		Map<String, Boolean> allowed = new HashMap<>();
		int ended = 0;
		for (SimpSubscription subscription : this.users.findSubscriptions((s) -> topics.contains(s.getDestination()))) {
			Principal user = subscription.getSession().getUser().getPrincipal();
			if (user == null) {
				continue;
			}
			String name = user.getName();
			if (!allowed.computeIfAbsent(name, (key) -> this.rooms.mayEnter(room, key))) {
				end(subscription, user, room);
				ended++;
			}
		}
		return ended;
	}

	private void end(SimpSubscription subscription, Principal user, String room) {
		String sessionId = subscription.getSession().getId();
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.UNSUBSCRIBE);
		accessor.setSessionId(sessionId);
		accessor.setSubscriptionId(subscription.getId());
		accessor.setUser(user);
		Map<String, Object> attributes = this.sessionAttributes.getIfPresent(sessionId);
		if (attributes != null) {
			accessor.setSessionAttributes(attributes);
		}
		Message<byte[]> unsubscribe = MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
		this.brokerChannel.send(unsubscribe);
		// What a client's own UNSUBSCRIBE would tell the user registry and the subscription count.
		this.events.publishEvent(new SessionUnsubscribeEvent(this, unsubscribe, user));
		this.errors.report(sessionId, user.getName(), new ErrorPayload("subscription-ended",
				"Room '" + room + "' is private and you are not a member: your subscription to "
						+ subscription.getDestination() + " ended",
				subscription.getDestination(), null));
	}

}
