package dev.parley.account;

import java.util.EnumSet;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.boot.ApplicationRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.crypto.factory.PasswordEncoderFactories;
import org.springframework.security.crypto.password.PasswordEncoder;

import dev.parley.security.Role;

/**
 * Password hashing (BCrypt, behind Spring Security's delegating encoder so stored hashes
 * name their algorithm and can be upgraded later) and the first admin account.
 */
@Configuration(proxyBeanMethods = false)
class AccountConfig {

	private static final Log logger = LogFactory.getLog(AccountConfig.class);

	@Bean
	PasswordEncoder passwordEncoder() {
		return PasswordEncoderFactories.createDelegatingPasswordEncoder();
	}

	@Bean
	ApplicationRunner adminBootstrap(AccountProperties properties, AccountRepository accounts, AccountService service) {
		return (args) -> {
			String username = properties.admin().username();
			String password = properties.admin().password();
			if (username == null || password == null || accounts.find(username).isPresent()) {
				return;
			}
			service.create(username, password, EnumSet.of(Role.USER, Role.ADMIN));
			logger.info("Created the admin account '" + username + "' from parley.accounts.admin");
		};
	}

}
