package dev.parley.messaging;

import java.io.IOException;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.jspecify.annotations.Nullable;

import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Bounds the bodies SockJS clients {@code POST} to {@code /ws/**} ({@code xhr_send}).
 * Spring's SockJS reads a whole body into memory before any STOMP frame size limit
 * applies, and neither Spring nor Jetty bounds a non-form request body, so a client could
 * make the server hold megabytes per request; written by hand for that reason. A declared
 * {@code Content-Length} over the limit gets 413 at once; a chunked body fails once it
 * passes the limit.
 */
class SockJsBodyLimitFilter extends OncePerRequestFilter {

	private final String prefix;

	private final long limit;

	SockJsBodyLimitFilter(String prefix, long limit) {
		this.prefix = prefix;
		this.limit = limit;
	}

	@Override
	protected boolean shouldNotFilter(HttpServletRequest request) {
		return !"POST".equals(request.getMethod())
				|| !request.getRequestURI().startsWith(request.getContextPath() + this.prefix);
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (request.getContentLengthLong() > this.limit) {
			response.sendError(HttpServletResponse.SC_REQUEST_ENTITY_TOO_LARGE,
					"A SockJS request body may be at most " + this.limit + " bytes");
			return;
		}
		chain.doFilter(new Bounded(request, this.limit), response);
	}

	private static final class Bounded extends HttpServletRequestWrapper {

		private final long limit;

		private @Nullable ServletInputStream stream;

		Bounded(HttpServletRequest request, long limit) {
			super(request);
			this.limit = limit;
		}

		@Override
		public ServletInputStream getInputStream() throws IOException {
			if (this.stream == null) {
				this.stream = new BoundedStream(super.getInputStream(), this.limit);
			}
			return this.stream;
		}

	}

	private static final class BoundedStream extends ServletInputStream {

		private final ServletInputStream delegate;

		private final long limit;

		private long read;

		BoundedStream(ServletInputStream delegate, long limit) {
			this.delegate = delegate;
			this.limit = limit;
		}

		@Override
		public int read() throws IOException {
			int b = this.delegate.read();
			if (b >= 0) {
				count(1);
			}
			return b;
		}

		@Override
		public int read(byte[] buffer, int offset, int length) throws IOException {
			int n = this.delegate.read(buffer, offset, length);
			if (n > 0) {
				count(n);
			}
			return n;
		}

		private void count(int n) throws IOException {
			this.read += n;
			if (this.read > this.limit) {
				throw new IOException("SockJS request body over " + this.limit + " bytes");
			}
		}

		@Override
		public boolean isFinished() {
			return this.delegate.isFinished();
		}

		@Override
		public boolean isReady() {
			return this.delegate.isReady();
		}

		@Override
		public void setReadListener(ReadListener listener) {
			this.delegate.setReadListener(listener);
		}

	}

}
