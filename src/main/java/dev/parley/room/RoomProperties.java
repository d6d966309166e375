package dev.parley.room;

import java.time.Duration;

import org.hibernate.validator.constraints.time.DurationMin;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Rooms.
 *
 * @param leaveGrace how long a disconnected session still counts as in its rooms; a user
 * who reconnects and joins again within it is not announced as leaving and joining
 * @param restartGrace after a restart, how long the users who were in a room before it
 * still count as in it: a reconnect within it is not announced as a JOIN, and those who
 * do not come back leave at its end
 * @param accessRefresh how often the private rooms and their members, held in memory, are
 * read again from the database (for changes made through other nodes)
 */
@Validated
@ConfigurationProperties("parley.rooms")
record RoomProperties(@DefaultValue("5s") @DurationMin(millis = 0) Duration leaveGrace,
		@DefaultValue("10s") @DurationMin(millis = 1) Duration accessRefresh,
		@DefaultValue("30s") @DurationMin(millis = 0) Duration restartGrace) {
}
