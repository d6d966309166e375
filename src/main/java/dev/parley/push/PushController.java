package dev.parley.push;

import java.security.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import jakarta.validation.Valid;
import tools.jackson.databind.JsonNode;

import org.springframework.http.HttpStatus;
import org.springframework.messaging.simp.SimpMessageSendingOperations;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.ResponseStatus;
import org.springframework.web.bind.annotation.RestController;

import dev.parley.api.ApiProblem;
import dev.parley.limits.ChatText;
import dev.parley.messaging.BrokerAvailability;
import dev.parley.messaging.UserDelivery;
import dev.parley.protocol.Protocol;

/**
 * Pushes from backend services: a notification to every session of a user, an
 * announcement to everyone. Refused with 503 while the message broker is unavailable (in
 * relay mode, while RabbitMQ is out of reach): nothing pushed then would arrive.
 */
@RestController
class PushController {

	/** When to try again after a 503: the relay tries to reconnect every 5 s. */
	static final Duration BROKER_RETRY = Duration.ofSeconds(5);

	private final SimpMessageSendingOperations messaging;

	private final UserDelivery delivery;

	private final Clock clock;

	private final BrokerAvailability broker;

	PushController(SimpMessageSendingOperations messaging, UserDelivery delivery, Clock clock,
			BrokerAvailability broker) {
		this.messaging = messaging;
		this.delivery = delivery;
		this.clock = clock;
		this.broker = broker;
	}

	/** 503 unless the broker takes messages now. */
	static void requireBroker(BrokerAvailability broker) {
		if (!broker.isAvailable()) {
			throw ApiProblem.serviceUnavailable("The message broker is unavailable: nothing was sent. Try again later.",
					BROKER_RETRY);
		}
	}

	/**
	 * Any JSON value; delivered as it is on the user's {@code /user/queue/notifications}.
	 */
	@PostMapping("/api/users/{username}/notifications")
	@ResponseStatus(HttpStatus.ACCEPTED)
	void notify(@PathVariable String username, @RequestBody JsonNode notification) {
		if (!username.matches(Protocol.USER_NAME)) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "username must be a username");
		}
		requireBroker(this.broker);
		this.delivery.toUser(username, Protocol.NOTIFICATIONS_QUEUE, notification);
	}

	@PostMapping("/api/announcements")
	@ResponseStatus(HttpStatus.ACCEPTED)
	Announcement announce(@Valid @RequestBody AnnouncementRequest request, Principal principal) {
		requireBroker(this.broker);
		Announcement announcement = new Announcement(UUID.randomUUID().toString(), request.text(), principal.getName(),
				this.clock.instant());
		this.messaging.convertAndSend(Protocol.ANNOUNCEMENTS_TOPIC, announcement);
		return announcement;
	}

	record AnnouncementRequest(@ChatText String text) {
	}

	/** What {@code /topic/announcements} carries. */
	record Announcement(String id, String text, String sender, Instant timestamp) {
	}

}
