package dev.parley.api;

import java.time.Duration;

import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.web.ErrorResponseException;

/**
 * A REST error with a status and a detail meant for the caller, rendered as an RFC 9457
 * problem.
 */
public class ApiProblem extends ErrorResponseException {

	public ApiProblem(HttpStatus status, String detail) {
		super(status, ProblemDetail.forStatusAndDetail(status, detail), null);
	}

	/**
	 * A request parameter that must lie in a range.
	 * @return the value, when it is between {@code min} and {@code max}; else a 400
	 * problem is thrown
	 */
	public static int requireBetween(String parameter, int value, int min, int max) {
		if (value < min || value > max) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, parameter + " must be between " + min + " and " + max);
		}
		return value;
	}

	/** 429, with {@code Retry-After}. */
	public static ApiProblem tooManyRequests(String detail, Duration retryAfter) {
		return withRetryAfter(new ApiProblem(HttpStatus.TOO_MANY_REQUESTS, detail), retryAfter);
	}

	/** 503, with {@code Retry-After}. */
	public static ApiProblem serviceUnavailable(String detail, Duration retryAfter) {
		return withRetryAfter(new ApiProblem(HttpStatus.SERVICE_UNAVAILABLE, detail), retryAfter);
	}

	private static ApiProblem withRetryAfter(ApiProblem problem, Duration retryAfter) {
		problem.getHeaders()
			.set(org.springframework.http.HttpHeaders.RETRY_AFTER, Long.toString(Math.max(1, retryAfter.toSeconds())));
		return problem;
	}

}
