package dev.parley.security;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.eclipse.jetty.server.Request;

import org.springframework.boot.jetty.servlet.JettyServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * How Jetty treats connections, beside Boot's {@code server.jetty.*} settings
 * ({@code max-connections}, {@code connection-idle-timeout}):
 * <ul>
 * <li>The connection idle timeout (5 s in {@code application.properties}) is what drops a
 * half-sent request (slowloris). While a request is being handled, the connection may be
 * idle for {@link #REQUEST_IDLE_TIMEOUT} instead: SockJS's polling and streaming
 * transports hold a request open between their 25 s heart-beats. An open WebSocket has no
 * container idle timeout at all (see {@code Outbox.received}): Parley closes silent
 * sessions itself ({@code parley.websocket.idle-timeout}).</li>
 * <li>Behind a reverse proxy ({@code server.forward-headers-strategy=native}), Jetty's
 * {@link ForwardedRequestCustomizer} believes {@code X-Forwarded-*} from any client,
 * where Tomcat believed them from proxies on private addresses only. A client that
 * reaches a node directly could then name any address and escape the login throttle, so
 * the headers are applied only to requests from loopback, private (RFC 1918, RFC 4193),
 * link-local and shared (RFC 6598) addresses, Tomcat's {@code internal-proxies} default.
 * Jetty has no such setting, hence this wrapper.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class JettyConnections {

	static final Duration REQUEST_IDLE_TIMEOUT = Duration.ofSeconds(60);

	@Bean
	WebServerFactoryCustomizer<JettyServletWebServerFactory> jettyConnectionsCustomizer() {
		return new WebServerFactoryCustomizer<>() {

			@Override
			public void customize(JettyServletWebServerFactory factory) {
				factory.addServerCustomizers((server) -> {
					for (Connector connector : server.getConnectors()) {
						HttpConfiguration.ConnectionFactory http = connector
							.getConnectionFactory(HttpConfiguration.ConnectionFactory.class);
						if (http != null) {
							configure(http.getHttpConfiguration());
						}
					}
				});
			}

		};
	}

	static void configure(HttpConfiguration configuration) {
		configuration.setIdleTimeout(REQUEST_IDLE_TIMEOUT.toMillis());
		List<HttpConfiguration.Customizer> customizers = new ArrayList<>(configuration.getCustomizers());
		customizers.replaceAll((customizer) -> (customizer instanceof ForwardedRequestCustomizer forwarded)
				? new FromPrivateProxies(forwarded) : customizer);
		configuration.setCustomizers(customizers);
	}

	/** Applies forwarded headers only to requests that come from a private address. */
	static final class FromPrivateProxies implements HttpConfiguration.Customizer {

		private final ForwardedRequestCustomizer delegate;

		FromPrivateProxies(ForwardedRequestCustomizer delegate) {
			this.delegate = delegate;
		}

		@Override
		public Request customize(Request request, HttpFields.Mutable responseHeaders) {
			SocketAddress remote = request.getConnectionMetaData().getRemoteSocketAddress();
			if (remote instanceof InetSocketAddress inet && isPrivate(inet.getAddress())) {
				return this.delegate.customize(request, responseHeaders);
			}
			return request;
		}

		static boolean isPrivate(InetAddress address) {
			if (address.isLoopbackAddress() || address.isSiteLocalAddress() || address.isLinkLocalAddress()) {
				return true;
			}
			byte[] bytes = address.getAddress();
			if (address instanceof Inet4Address) {
				// 100.64.0.0/10, shared address space (carrier-grade NAT, some container
				// networks).
				return (bytes[0] & 0xff) == 100 && (bytes[1] & 0xc0) == 64;
			}
			// fc00::/7, unique local addresses.
			return address instanceof Inet6Address && (bytes[0] & 0xfe) == 0xfc;
		}

	}

}
