package dev.parley;

import java.time.Clock;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.context.annotation.Bean;

/**
 * Parley, a STOMP over WebSocket chat server.
 * <p>
 * Boot's in-memory user with a generated password is excluded: every caller authenticates
 * with a JWT, and a generated password would be written to the log.
 */
@SpringBootApplication(exclude = UserDetailsServiceAutoConfiguration.class)
@ConfigurationPropertiesScan
public class ParleyApplication {

	public static void main(String[] args) {
		SpringApplication.run(ParleyApplication.class, args);
	}

	/** Timestamps are UTC; tests may replace the clock. */
	@Bean
	Clock clock() {
		return Clock.systemUTC();
	}

}
