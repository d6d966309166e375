package dev.parley.history;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;
import org.springframework.http.HttpStatus;

import dev.parley.api.ApiProblem;

/**
 * Storing and replaying messages.
 *
 * @param maxBatch the most messages stored in one transaction
 * @param queueCapacity messages waiting to be stored before new ones are refused as {@code storage-busy}
 * @param maxReplay the most messages replayed on one {@code since-seq} subscription; beyond it the client is told
 * to fetch the rest over REST
 * @param maxPage the most messages one history request returns
 */
@ConfigurationProperties("parley.history")
public record HistoryProperties(@DefaultValue("500") int maxBatch, @DefaultValue("10000") int queueCapacity,
		@DefaultValue("1000") int maxReplay, @DefaultValue("200") int maxPage) {

	/** The page size asked for, if it is between 1 and {@code max-page}. */
	public int checkedLimit(int limit) {
		if (limit < 1 || limit > this.maxPage) {
			throw new ApiProblem(HttpStatus.BAD_REQUEST, "limit must be between 1 and " + this.maxPage);
		}
		return limit;
	}

}
