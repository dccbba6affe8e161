package com.tokenwallet.domain.idempotency;

import com.tokenwallet.domain.InvalidRequestException;
import com.tokenwallet.domain.Limits;

/** The caller's Idempotency-Key: 1 to 255 printable ASCII characters. */
public record IdempotencyKey(String value) {
    public IdempotencyKey {
        if (value == null || value.isEmpty()) {
            throw new InvalidRequestException("Idempotency-Key", "The Idempotency-Key header is required on this request (1 to 255 printable ASCII characters).");
        }
        if (value.length() > Limits.MAX_IDEMPOTENCY_KEY_LENGTH) {
            throw new InvalidRequestException("Idempotency-Key", "The Idempotency-Key header is longer than 255 characters.");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c < 0x20 || c > 0x7e) {
                throw new InvalidRequestException("Idempotency-Key", "The Idempotency-Key header may hold printable ASCII characters only.");
            }
        }
    }
}
