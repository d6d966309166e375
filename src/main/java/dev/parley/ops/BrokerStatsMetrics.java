package dev.parley.ops;

import java.util.function.ToIntFunction;

import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.SmartInitializingSingleton;
import org.springframework.stereotype.Component;
import org.springframework.web.socket.config.WebSocketMessageBrokerStats;
import org.springframework.web.socket.messaging.SubProtocolWebSocketHandler;

/**
 * Spring's {@link WebSocketMessageBrokerStats} as gauges instead of a log line every 30
 * minutes: sessions by kind, and the counts of sessions Spring closed for exceeding send
 * limits (slow consumers), for sending nothing after connecting, and for transport
 * errors.
 */
@Component
class BrokerStatsMetrics implements SmartInitializingSingleton {

	private final WebSocketMessageBrokerStats stats;

	private final MeterRegistry registry;

	BrokerStatsMetrics(WebSocketMessageBrokerStats stats, MeterRegistry registry) {
		this.stats = stats;
		this.registry = registry;
	}

	@Override
	public void afterSingletonsInstantiated() {
		this.stats.setLoggingPeriod(0);
		gauge("parley.broker.sessions", "total", SubProtocolWebSocketHandler.Stats::getTotalSessions);
		gauge("parley.broker.sessions", "websocket", SubProtocolWebSocketHandler.Stats::getWebSocketSessions);
		gauge("parley.broker.sessions", "http-streaming", SubProtocolWebSocketHandler.Stats::getHttpStreamingSessions);
		gauge("parley.broker.sessions", "http-polling", SubProtocolWebSocketHandler.Stats::getHttpPollingSessions);
		gauge("parley.broker.sessions.closed", "slow-consumer",
				SubProtocolWebSocketHandler.Stats::getLimitExceededSessions);
		gauge("parley.broker.sessions.closed", "no-messages",
				SubProtocolWebSocketHandler.Stats::getNoMessagesReceivedSessions);
		gauge("parley.broker.sessions.closed", "transport-error",
				SubProtocolWebSocketHandler.Stats::getTransportErrorSessions);
	}

	private void gauge(String name, String kind, ToIntFunction<SubProtocolWebSocketHandler.Stats> value) {
		Gauge.builder(name, this.stats, (stats) -> {
			SubProtocolWebSocketHandler.Stats sessions = stats.getWebSocketSessionStats();
			return (sessions != null) ? value.applyAsInt(sessions) : 0;
		}).tag("kind", kind).description("From Spring's WebSocketMessageBrokerStats").register(this.registry);
	}

}
