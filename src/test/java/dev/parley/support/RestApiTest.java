package dev.parley.support;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.security.autoconfigure.UserDetailsServiceAutoConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.ComponentScan;
import org.springframework.context.annotation.FilterType;
import org.springframework.context.annotation.Import;
import org.springframework.core.annotation.AliasFor;

import dev.parley.security.ApiSecurityTestConfiguration;

/**
 * A web slice of the REST API: the given controllers with the API's error handling and
 * HTTP security, driven through an injected {@code MockMvcTester}; no messaging, and no
 * database unless the test adds one ({@code @AutoConfigureJdbc} with
 * {@code @AutoConfigureTestDatabase}). As in the application, Boot's generated in-memory
 * user is left out; so is the STOMP error advice, which answers no HTTP request.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@WebMvcTest(excludeAutoConfiguration = UserDetailsServiceAutoConfiguration.class,
		excludeFilters = @ComponentScan.Filter(type = FilterType.REGEX, pattern = "dev\\.parley\\.replies\\..*"))
@Import(ApiSecurityTestConfiguration.class)
public @interface RestApiTest {

	/** The controllers under test. */
	@AliasFor(annotation = WebMvcTest.class, attribute = "controllers")
	Class<?>[] value() default {};

	/** Properties of the test's environment, as {@code key=value}. */
	@AliasFor(annotation = WebMvcTest.class, attribute = "properties")
	String[] properties() default {};

}
