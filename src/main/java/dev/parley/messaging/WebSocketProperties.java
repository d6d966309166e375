package dev.parley.messaging;

import java.time.Duration;
import java.util.List;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.util.unit.DataSize;
import org.springframework.validation.annotation.Validated;

/**
 * The STOMP endpoint's settings.
 *
 * @param allowedOrigins origin patterns browsers may connect from; empty means the
 * server's own origin only
 * @param heartbeat the server's heart-beat offer, both ways
 * @param messageSizeLimit the largest inbound STOMP frame, whole in one WebSocket message
 * or split over several
 * @param sendTimeLimit how long a send to a slow client may take before the session is
 * closed
 * @param sendBufferSizeLimit how much may be buffered for a slow client before the
 * session is closed
 * @param idleTimeout how long a session whose client sends no heart-beats may stay silent
 * before it is closed
 */
@Validated
@ConfigurationProperties("parley.websocket")
public record WebSocketProperties(@DefaultValue List<String> allowedOrigins,
		@DefaultValue("10s") @DurationMin(millis = 0) Duration heartbeat,
		@DefaultValue("64KB") DataSize messageSizeLimit,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration sendTimeLimit,
		@DefaultValue("512KB") DataSize sendBufferSizeLimit,
		@DefaultValue("60s") @DurationMin(millis = 0) Duration idleTimeout) {
}
