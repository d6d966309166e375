package dev.parley.security;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Import;

/**
 * The REST API's HTTP security for web slice tests: bearer tokens checked with the test
 * suite's secret, refusals as problems, the security headers. Only what
 * {@link HttpSecurityConfig} needs comes with it.
 */
@TestConfiguration(proxyBeanMethods = false)
@Import({ HttpSecurityConfig.class, JwtVerifier.class })
@EnableConfigurationProperties({ JwtProperties.class, ApiDocsProperties.class })
public class ApiSecurityTestConfiguration {

}
