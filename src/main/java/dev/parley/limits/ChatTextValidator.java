package dev.parley.limits;

import jakarta.validation.ConstraintValidator;
import jakarta.validation.ConstraintValidatorContext;
import org.jspecify.annotations.Nullable;

/**
 * Checks {@link ChatText}; created by Spring's validator factory, so the limit comes from
 * configuration.
 */
public class ChatTextValidator implements ConstraintValidator<ChatText, String> {

	private final int maxLength;

	public ChatTextValidator(LimitsProperties limits) {
		this.maxLength = limits.maxTextLength();
	}

	@Override
	public boolean isValid(@Nullable String value, ConstraintValidatorContext context) {
		if (value == null || value.isBlank()) {
			return false;
		}
		if (value.length() > this.maxLength) {
			context.disableDefaultConstraintViolation();
			context.buildConstraintViolationWithTemplate("must be at most " + this.maxLength + " characters")
				.addConstraintViolation();
			return false;
		}
		return true;
	}

}
