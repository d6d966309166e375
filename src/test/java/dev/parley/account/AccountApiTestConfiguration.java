package dev.parley.account;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

import dev.parley.security.CredentialsTestConfiguration;

/**
 * The account API behind its controller, for web slice tests: the service, the repository
 * (on the test's database), password hashing, the login throttle and the token issuer.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ AccountService.class, AccountRepository.class, AccountConfig.class, CredentialsTestConfiguration.class })
@EnableConfigurationProperties(AccountProperties.class)
class AccountApiTestConfiguration {

}
