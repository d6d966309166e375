package dev.parley.security;

import tools.jackson.databind.json.JsonMapper;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpMethod;
import org.springframework.http.HttpStatus;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.web.AuthenticationEntryPoint;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.access.AccessDeniedHandler;
import org.springframework.security.web.authentication.AnonymousAuthenticationFilter;
import org.springframework.security.web.header.writers.ReferrerPolicyHeaderWriter.ReferrerPolicy;

/**
 * HTTP security: bearer tokens on {@code /api/**}, health open to all, the rest of
 * actuator for {@code ADMIN}, the WebSocket handshake left to the handshake and CONNECT
 * interceptors.
 */
@Configuration(proxyBeanMethods = false)
class HttpSecurityConfig {

	/**
	 * The chat page loads everything from this server and renders user text as text:
	 * nothing else is allowed.
	 */
	static final String CONTENT_SECURITY_POLICY = "default-src 'self'; script-src 'self'; style-src 'self'; "
			+ "img-src 'self' data:; connect-src 'self'; object-src 'none'; frame-ancestors 'none'; base-uri 'self'; "
			+ "form-action 'self'";

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http, JwtVerifier verifier, JsonMapper jsonMapper,
			ApiDocsProperties apiDocs) throws Exception {
		// "/v3/api-docs*" takes springdoc's "/v3/api-docs.yaml" too.
		String[] apiDocsPaths = { "/v3/api-docs*", "/v3/api-docs/**", "/swagger-ui.html", "/swagger-ui/**" };
		ProblemResponses problems = new ProblemResponses(jsonMapper);
		AuthenticationEntryPoint unauthorized = (request, response, ex) -> problems.write(response,
				HttpStatus.UNAUTHORIZED, (ex instanceof InvalidTokenException invalid) ? invalid.detail()
						: "Authentication required: send 'Authorization: Bearer <token>'");
		AccessDeniedHandler forbidden = (request, response, ex) -> problems.write(response, HttpStatus.FORBIDDEN,
				"Not allowed for this account");
		http
			// Bearer tokens, no cookies: a foreign page cannot make a browser send
			// credentials, so CSRF tokens add nothing here. Nothing is kept in an HTTP
			// session either.
			.csrf((csrf) -> csrf.disable())
			.sessionManagement((session) -> session.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
			.httpBasic((basic) -> basic.disable())
			.formLogin((form) -> form.disable())
			.logout((logout) -> logout.disable())
			.requestCache((cache) -> cache.disable())
			.headers((headers) -> headers.contentSecurityPolicy((csp) -> csp.policyDirectives(CONTENT_SECURITY_POLICY))
				.referrerPolicy((referrer) -> referrer.policy(ReferrerPolicy.NO_REFERRER)))
			.addFilterBefore(new MalformedOriginFilter(problems), AnonymousAuthenticationFilter.class)
			.addFilterBefore(new BearerTokenFilter(verifier, unauthorized, "/ws"), AnonymousAuthenticationFilter.class)
			.exceptionHandling((ex) -> ex.authenticationEntryPoint(unauthorized).accessDeniedHandler(forbidden))
			.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
				.permitAll()
				.requestMatchers("/actuator/**")
				.hasRole(Role.ADMIN.name())
				.requestMatchers("/ws", "/ws/**")
				.permitAll()
				.requestMatchers(apiDocsPaths)
				.access((authentication, context) -> new AuthorizationDecision(
						apiDocs.publicAccess() || authentication.get() instanceof JwtAuthentication))
				.requestMatchers(HttpMethod.POST, "/api/auth/register", "/api/auth/login", "/api/auth/service-token")
				.permitAll()
				.requestMatchers(HttpMethod.POST, "/api/users/*/notifications")
				.hasRole(Role.SERVICE.name())
				.requestMatchers(HttpMethod.POST, "/api/announcements")
				.hasAnyRole(Role.SERVICE.name(), Role.ADMIN.name())
				.requestMatchers("/api/**")
				.authenticated()
				.anyRequest()
				.permitAll());
		return http.build();
	}

}
