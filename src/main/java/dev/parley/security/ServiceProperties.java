package dev.parley.security;

import java.util.Map;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.validation.annotation.Validated;

/**
 * Backend services that may get a {@code SERVICE} token.
 *
 * @param clients each service's client id and the hash of its secret, as Spring
 * Security's delegating encoder writes it (for example {@code {bcrypt}$2a$10$...}); the
 * secret itself is never stored
 */
@Validated
@ConfigurationProperties("parley.services")
record ServiceProperties(@DefaultValue Map<String, String> clients) {

	@Override
	public String toString() {
		return "ServiceProperties[clients=" + this.clients.keySet() + "]";
	}

}
