package dev.parley.support;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.ThreadLocalRandom;

import org.jspecify.annotations.Nullable;

/**
 * A STOMP client over a WebSocket spoken by hand on a plain socket, which connects,
 * subscribes and then stops reading: a client on a stalled network, or a tab the browser
 * froze. Its receive buffer is kept small, so the server's writes back up soon. What the
 * server finally said can be read afterwards with {@link #closeCode()}.
 */
public final class NonReadingClient implements AutoCloseable {

	private final Socket socket;

	private final DataInputStream in;

	private final OutputStream out;

	public NonReadingClient(int port, String token, String... destinations) throws IOException {
		this.socket = new Socket();
		this.socket.setReceiveBufferSize(4096);
		this.socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
		this.socket.setSoTimeout(10_000);
		this.in = new DataInputStream(this.socket.getInputStream());
		this.out = this.socket.getOutputStream();
		String key = Base64.getEncoder().encodeToString(new byte[16]);
		this.out.write(("GET /ws HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\nUpgrade: websocket\r\n"
				+ "Connection: Upgrade\r\nSec-WebSocket-Key: " + key + "\r\nSec-WebSocket-Version: 13\r\n"
				+ "Sec-WebSocket-Protocol: v12.stomp\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII));
		String status = readHttpHeaders();
		if (!status.startsWith("HTTP/1.1 101")) {
			throw new IOException("Handshake refused: " + status);
		}
		sendText("CONNECT\naccept-version:1.2\nhost:localhost\nheart-beat:0,0\nAuthorization:Bearer " + token
				+ "\n\n\0");
		String connected = readTextFrame();
		if (connected == null || !connected.startsWith("CONNECTED")) {
			throw new IOException("Not connected: " + connected);
		}
		int id = 0;
		for (String destination : destinations) {
			sendText("SUBSCRIBE\nid:" + (id++) + "\ndestination:" + destination + "\nreceipt:r" + id + "\n\n\0");
			String receipt;
			do {
				receipt = readTextFrame();
			}
			while (receipt != null && !receipt.startsWith("RECEIPT"));
		}
	}

	/**
	 * Reads everything the server sent until it closed the connection, and returns the
	 * code of its close frame, or null if the connection ended without one.
	 */
	public @Nullable Integer closeCode() throws IOException {
		this.socket.setSoTimeout(30_000);
		while (true) {
			int first;
			try {
				first = this.in.read();
			}
			catch (SocketTimeoutException ex) {
				throw new IOException("The server never closed the connection", ex);
			}
			if (first == -1) {
				return null;
			}
			int opcode = first & 0x0F;
			byte[] payload;
			try {
				payload = readPayload();
			}
			catch (EOFException ex) {
				// Cut off in the middle of a frame.
				return null;
			}
			if (opcode == 0x8) {
				return (payload.length >= 2) ? ((payload[0] & 0xFF) << 8) | (payload[1] & 0xFF) : null;
			}
		}
	}

	private @Nullable String readTextFrame() throws IOException {
		while (true) {
			int first = this.in.read();
			if (first == -1) {
				return null;
			}
			byte[] payload = readPayload();
			if ((first & 0x0F) == 0x1) {
				String text = new String(payload, StandardCharsets.UTF_8);
				if (!text.isBlank()) {
					return text;
				}
			}
		}
	}

	private byte[] readPayload() throws IOException {
		int second = this.in.readUnsignedByte();
		long length = second & 0x7F;
		if (length == 126) {
			length = this.in.readUnsignedShort();
		}
		else if (length == 127) {
			length = this.in.readLong();
		}
		byte[] payload = new byte[(int) length];
		this.in.readFully(payload);
		return payload;
	}

	private String readHttpHeaders() throws IOException {
		StringBuilder headers = new StringBuilder();
		InputStream raw = this.in;
		while (!headers.toString().endsWith("\r\n\r\n")) {
			int b = raw.read();
			if (b == -1) {
				throw new EOFException("Closed during the handshake: " + headers);
			}
			headers.append((char) b);
		}
		return headers.toString();
	}

	private void sendText(String text) throws IOException {
		byte[] payload = text.getBytes(StandardCharsets.UTF_8);
		byte[] mask = new byte[4];
		ThreadLocalRandom.current().nextBytes(mask);
		int header = (payload.length < 126) ? 2 : 4;
		byte[] frame = new byte[header + 4 + payload.length];
		frame[0] = (byte) 0x81;
		if (payload.length < 126) {
			frame[1] = (byte) (0x80 | payload.length);
		}
		else {
			frame[1] = (byte) (0x80 | 126);
			frame[2] = (byte) (payload.length >> 8);
			frame[3] = (byte) payload.length;
		}
		System.arraycopy(mask, 0, frame, header, 4);
		for (int i = 0; i < payload.length; i++) {
			frame[header + 4 + i] = (byte) (payload[i] ^ mask[i % 4]);
		}
		this.out.write(frame);
		this.out.flush();
	}

	@Override
	public void close() throws IOException {
		this.socket.close();
	}

}
