package dev.parley.messaging;

import org.springframework.context.event.EventListener;
import org.springframework.messaging.simp.broker.BrokerAvailabilityEvent;
import org.springframework.stereotype.Component;

/**
 * Whether the message broker takes messages now, from Spring's
 * {@link BrokerAvailabilityEvent}: the simple broker from its start to its stop; the
 * relay while its system connection to RabbitMQ is up. What is sent while it is not is
 * lost, so the REST pushes refuse instead (503).
 */
@Component
public class BrokerAvailability {

	private volatile boolean available;

	@EventListener
	void onBrokerAvailability(BrokerAvailabilityEvent event) {
		this.available = event.isBrokerAvailable();
	}

	public boolean isAvailable() {
		return this.available;
	}

}
