package dev.parley.security;

import java.net.InetAddress;

import org.eclipse.jetty.server.ForwardedRequestCustomizer;
import org.eclipse.jetty.server.HttpConfiguration;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class JettyConnectionsTests {

	@Test
	void forwardedHeadersAreBelievedFromPrivateAddressesOnly() throws Exception {
		for (String proxy : new String[] { "127.0.0.1", "10.1.2.3", "172.16.0.9", "192.168.1.1", "100.64.0.1",
				"169.254.1.1", "::1", "fd00::1", "fe80::1" }) {
			assertThat(JettyConnections.FromPrivateProxies.isPrivate(InetAddress.getByName(proxy))).as(proxy).isTrue();
		}
		for (String client : new String[] { "8.8.8.8", "172.32.0.1", "100.128.0.1", "2001:db8::1", "11.0.0.1" }) {
			assertThat(JettyConnections.FromPrivateProxies.isPrivate(InetAddress.getByName(client))).as(client)
				.isFalse();
		}
	}

	@Test
	void jettysForwardedCustomizerIsReplacedAndRequestsMayIdleWhileHandled() {
		HttpConfiguration configuration = new HttpConfiguration();
		configuration.addCustomizer(new ForwardedRequestCustomizer());
		JettyConnections.configure(configuration);
		assertThat(configuration.getCustomizers()).singleElement()
			.isInstanceOf(JettyConnections.FromPrivateProxies.class);
		assertThat(configuration.getIdleTimeout()).isEqualTo(JettyConnections.REQUEST_IDLE_TIMEOUT.toMillis());
	}

}
