package dev.parley.messaging;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.messaging.Message;
import org.springframework.messaging.simp.SimpMessageHeaderAccessor;
import org.springframework.messaging.simp.SimpMessageType;
import org.springframework.messaging.simp.broker.DefaultSubscriptionRegistry;
import org.springframework.messaging.simp.broker.SubscriptionRegistry;
import org.springframework.messaging.support.MessageBuilder;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The broker's subscriptions by exact destination, and the canary for the Spring
 * behaviour it replaces.
 */
class ExactSubscriptionRegistryTests {

	private final SubscriptionRegistry registry = new ExactSubscriptionRegistry();

	@Test
	void findsTheSubscribersOfExactlyTheDestination() {
		subscribe("s1", "a", "/topic/chat/lobby");
		subscribe("s1", "b", "/topic/chat/lobby/users");
		subscribe("s2", "a", "/topic/chat/lobby");
		subscribe("s3", "x", "/topic/chat/lobbyist");
		MultiValueMap<String, String> found = find("/topic/chat/lobby");
		assertThat(found).containsOnlyKeys("s1", "s2");
		assertThat(found.get("s1")).containsExactly("a");
		assertThat(found.get("s2")).containsExactly("a");
		assertThat(find("/topic/chat/*")).as("no pattern matching").isEmpty();
		assertThat(find("/topic/chat/nowhere")).isEmpty();
	}

	@Test
	void unsubscribingAndLeavingTakeTheSubscriptionsOut() {
		subscribe("s1", "a", "/topic/chat/lobby");
		subscribe("s1", "b", "/topic/chat/lobby");
		subscribe("s2", "a", "/topic/chat/lobby");
		unsubscribe("s1", "a");
		assertThat(find("/topic/chat/lobby").get("s1")).containsExactly("b");
		unsubscribe("s1", "unknown");
		this.registry.unregisterAllSubscriptions("s1");
		assertThat(find("/topic/chat/lobby")).containsOnlyKeys("s2");
		this.registry.unregisterAllSubscriptions("s2");
		assertThat(find("/topic/chat/lobby")).isEmpty();
	}

	@Test
	void aSubscriptionIdUsedAgainForAnotherDestinationMovesThere() {
		subscribe("s1", "a", "/topic/chat/one");
		subscribe("s1", "a", "/topic/chat/two");
		assertThat(find("/topic/chat/one")).isEmpty();
		assertThat(find("/topic/chat/two").get("s1")).containsExactly("a");
	}

	@Test
	void aBroadcastSeesEveryChangeMadeBeforeIt() {
		subscribe("s1", "a", "/topic/chat/lobby");
		assertThat(each("/topic/chat/lobby")).containsExactly("s1/a");
		subscribe("s2", "b", "/topic/chat/lobby");
		subscribe("s1", "c", "/topic/chat/lobby");
		assertThat(each("/topic/chat/lobby")).containsExactlyInAnyOrder("s1/a", "s1/c", "s2/b");
		assertThat(each("/topic/chat/lobby")).as("unchanged").containsExactlyInAnyOrder("s1/a", "s1/c", "s2/b");
		unsubscribe("s1", "a");
		assertThat(each("/topic/chat/lobby")).containsExactlyInAnyOrder("s1/c", "s2/b");
		this.registry.unregisterAllSubscriptions("s2");
		assertThat(each("/topic/chat/lobby")).containsExactly("s1/c");
		this.registry.unregisterAllSubscriptions("s1");
		assertThat(each("/topic/chat/lobby")).isEmpty();
		subscribe("s3", "a", "/topic/chat/lobby");
		assertThat(each("/topic/chat/lobby")).containsExactly("s3/a");
		assertThat(each("/topic/chat/elsewhere")).isEmpty();
	}

	private List<String> each(String destination) {
		List<String> found = new ArrayList<>();
		((ExactSubscriptionRegistry) this.registry).forEachSubscription(destination,
				(session, id) -> found.add(session + "/" + id));
		return found;
	}

	/**
	 * The canary: Spring's registry still caches only this many destinations, and finds
	 * any other one by scanning every session's subscriptions. When this fails, Spring
	 * changed how it finds subscribers: see whether {@link ExactSubscriptionRegistry} is
	 * still needed.
	 */
	@Test
	void springsRegistryStillCachesFewDestinationsAndScansOnAMiss() {
		DefaultSubscriptionRegistry spring = new DefaultSubscriptionRegistry();
		assertThat(spring.getCacheLimit()).isEqualTo(1024);
		for (int i = 0; i < 3; i++) {
			SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
			accessor.setSessionId("s" + i);
			accessor.setSubscriptionId("x");
			accessor.setDestination("/topic/chat/*");
			spring.registerSubscription(MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders()));
		}
		// A pattern subscription matches any room: only a scan of every subscription can
		// find it, which is what a miss costs.
		assertThat(spring.findSubscriptions(message("/topic/chat/anything"))).hasSize(3);
	}

	private void subscribe(String session, String id, String destination) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.SUBSCRIBE);
		accessor.setSessionId(session);
		accessor.setSubscriptionId(id);
		accessor.setDestination(destination);
		this.registry.registerSubscription(MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders()));
	}

	private void unsubscribe(String session, String id) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.UNSUBSCRIBE);
		accessor.setSessionId(session);
		accessor.setSubscriptionId(id);
		this.registry.unregisterSubscription(MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders()));
	}

	private MultiValueMap<String, String> find(String destination) {
		return this.registry.findSubscriptions(message(destination));
	}

	private static Message<byte[]> message(String destination) {
		SimpMessageHeaderAccessor accessor = SimpMessageHeaderAccessor.create(SimpMessageType.MESSAGE);
		accessor.setDestination(destination);
		return MessageBuilder.createMessage(new byte[0], accessor.getMessageHeaders());
	}

}
