package dev.parley.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * What logging in asks of security, for slice tests of the account API: the throttle on
 * failed logins and registrations, and the issuer of Parley's own tokens.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ LoginThrottle.class, TokenIssuer.class })
@EnableConfigurationProperties({ ThrottleProperties.class, JwtProperties.class })
public class CredentialsTestConfiguration {

}
