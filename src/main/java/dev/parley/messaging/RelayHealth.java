package dev.parley.messaging;

import java.util.HashMap;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.health.actuate.endpoint.AdditionalHealthEndpointPath;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroup;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroups;
import org.springframework.boot.health.actuate.endpoint.HealthEndpointGroupsPostProcessor;
import org.springframework.boot.health.actuate.endpoint.HttpCodeStatusMapper;
import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.stereotype.Component;

/**
 * The {@code relay} health component, in relay mode: UP while the relay's system
 * connection to RabbitMQ is up (Spring's {@code BrokerAvailabilityEvent}), DOWN while it
 * is not. It is part of readiness too: without RabbitMQ a node in relay mode can deliver
 * nothing (every client session's connection to RabbitMQ is gone with it, and what the
 * application publishes is refused), so a load balancer should send clients to a node
 * that can. It is added to the readiness group here, so that the group's list in
 * {@code application.properties} stays valid in every mode (Spring Boot refuses to start
 * with a group member that does not exist).
 */
@Component("relay")
@ConditionalOnProperty(name = "parley.broker.mode", havingValue = "relay")
class RelayHealth implements HealthIndicator, HealthEndpointGroupsPostProcessor {

	static final String NAME = "relay";

	static final String READINESS = "readiness";

	private final BrokerAvailability availability;

	private final RelayProperties properties;

	RelayHealth(BrokerAvailability availability, RelayProperties properties) {
		this.availability = availability;
		this.properties = properties;
	}

	@Override
	public Health health() {
		Health.Builder health = this.availability.isAvailable() ? Health.up()
				: Health.down().withDetail("reason", "no connection to RabbitMQ's STOMP plugin");
		return health.withDetail("broker", this.properties.address()).build();
	}

	@Override
	public HealthEndpointGroups postProcessHealthEndpointGroups(HealthEndpointGroups groups) {
		HealthEndpointGroup readiness = groups.get(READINESS);
		if (readiness == null || readiness.isMember(NAME)) {
			return groups;
		}
		Map<String, HealthEndpointGroup> all = new HashMap<>();
		for (String name : groups.getNames()) {
			HealthEndpointGroup group = groups.get(name);
			if (group != null) {
				all.put(name, group);
			}
		}
		all.put(READINESS, new WithRelay(readiness));
		return HealthEndpointGroups.of(groups.getPrimary(), all);
	}

	/** A group with the relay as a member besides its own. */
	private record WithRelay(HealthEndpointGroup group) implements HealthEndpointGroup {

		@Override
		public boolean isMember(String name) {
			return NAME.equals(name) || this.group.isMember(name);
		}

		@Override
		public boolean showComponents(SecurityContext securityContext) {
			return this.group.showComponents(securityContext);
		}

		@Override
		public boolean showDetails(SecurityContext securityContext) {
			return this.group.showDetails(securityContext);
		}

		@Override
		public StatusAggregator getStatusAggregator() {
			return this.group.getStatusAggregator();
		}

		@Override
		public HttpCodeStatusMapper getHttpCodeStatusMapper() {
			return this.group.getHttpCodeStatusMapper();
		}

		@Override
		public @Nullable AdditionalHealthEndpointPath getAdditionalPath() {
			return this.group.getAdditionalPath();
		}

	}

}
