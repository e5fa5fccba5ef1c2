package com.clinicwave.auth.admin;

import com.clinicwave.platform.web.ApiException;
import com.clinicwave.platform.web.ProblemCodes;
import java.util.List;

/** One page of a listing: {@code page} from 0, {@code size} 1–100, {@code total} matching rows. */
public record Paged<T>(List<T> items, int page, int size, long total) {

    public static final int MAX_SIZE = 100;

    /** Refuses a negative page or a size outside 1–100 (400 VALIDATION_FAILED), and absurd offsets. */
    public static void check(int page, int size) {
        if (page < 0 || page > 100_000 || size < 1 || size > MAX_SIZE) {
            throw ApiException.badRequest(ProblemCodes.VALIDATION_FAILED, "page: 0-100000, size: 1-" + MAX_SIZE);
        }
    }
}
